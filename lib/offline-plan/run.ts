import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import { firstLineOf, runCaptured } from '../subprocess';
import { requiredProviders, type ProviderSchema } from './offline-config';
import { providerBinary } from './provider-dir';
import { contain } from './containment';
import { offlineStackCopy, remoteStatesOf, stateLocationOf, type RemoteStateRef, type StackCopy } from './stack-copy';
import { TestOutputReader, type TestFailure, type TestReport } from './terraform-test';
import { awsProviderSchema, closedPort, initFromPluginDir, startProvider, TERRAFORM_TIMEOUT_MS, terraformEnv, terraformVersion } from './terraform-process';

/**
 * `multiregion plan --offline`: plans and applies synthesized stacks with no AWS account.
 *
 * One workspace holds every stack's scratch copy (offlineStackCopy) as a directory and one test
 * file per stack whose runs use that directory as their module; one `terraform init` serves them
 * all. The stacks are split into one batch per job, and each batch is one `terraform test`
 * process with its own provider in debug mode, so terraform reads the provider's schema once per
 * batch rather than once per stack. Stacks whose state other stacks read (a team's global stack)
 * run first: their outputs after the mocked apply are what the readers' remote state returns, so
 * a missing or renamed output fails the reader.
 */

export interface OfflinePlanOptions {
  /** A synth output directory: `<outdir>/stacks/<id>/cdk.tf.json`. */
  readonly outdir: string;
  /** The stacks to report on; the stacks whose state they read run too (as dependencies). */
  readonly stacks: readonly string[];
  readonly pluginDir: string;
  /** The hashicorp/aws version in the plugin directory to use. */
  readonly providerVersion: string;
  /** Scratch directory; the caller removes it. */
  readonly workDir: string;
  /** terraform processes at once. */
  readonly jobs: number;
  /** The terraform binary. @default 'terraform' */
  readonly terraform?: string;
  /** Called as each stack finishes, in finishing order. */
  readonly onResult?: (result: StackPlanResult) => void;
}

export interface StackPlanResult {
  readonly stack: string;
  readonly ok: boolean;
  readonly plan: 'pass' | 'fail' | 'not run';
  readonly apply: 'pass' | 'fail' | 'not run';
  readonly failures: readonly TestFailure[];
  /** Resource instances the plan creates (known for stacks whose outputs others read). */
  readonly toCreate?: number;
  /** Arguments dropped for an older provider (provider 6's per-resource region). */
  readonly removedArguments: number;
  /** What the scratch copy dropped to stay offline: check and import blocks, provisioners. */
  readonly dropped: readonly string[];
  /** terraform's time for the stack's two runs and teardown. */
  readonly seconds: number;
  /** Run only because a selected stack reads its outputs. */
  readonly dependency: boolean;
}

export interface OfflinePlanReport {
  readonly results: readonly StackPlanResult[];
  readonly seconds: number;
}

function readStack(outdir: string, stack: string): Record<string, unknown> {
  const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
  if (!fs.existsSync(file)) throw new UserError(`${file} is missing: synthesize ${stack} first`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`${file} is not Terraform JSON (${(error as Error).message}): synthesize ${stack} again`);
  }
}

const stateId = (bucket: string | undefined, key: string | undefined): string => `${bucket ?? ''}/${key ?? ''}`;
const testFileOf = (stack: string): string => `tests/${stack}.tftest.hcl`;

/** Splits stacks into at most `jobs` batches of about equal size (by resource count), keeping their order within a batch. */
export function batches<T>(items: readonly T[], jobs: number, weight: (item: T) => number): T[][] {
  const bins = Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, () => ({ items: [] as T[], load: 0 }));
  for (const item of [...items].sort((a, b) => weight(b) - weight(a))) {
    const lightest = bins.reduce((min, bin) => (bin.load < min.load ? bin : min));
    lightest.items.push(item);
    lightest.load += weight(item);
  }
  return bins.map((bin) => bin.items).filter((items) => items.length > 0);
}

export async function runOfflinePlan(options: OfflinePlanOptions): Promise<OfflinePlanReport> {
  const started = Date.now();
  const terraform = options.terraform ?? 'terraform';
  await terraformVersion(terraform);
  // Every stack in its canonical, contained shape (see containment.ts); the refused are never written.
  const configs: Record<string, Record<string, unknown>> = {};
  const refusals = new Map<string, readonly string[]>();
  for (const stack of fs.readdirSync(path.join(options.outdir, 'stacks')).sort()) {
    const contained = contain(readStack(options.outdir, stack));
    configs[stack] = contained.config;
    if (contained.refusals.length > 0) refusals.set(stack, contained.refusals);
  }

  // Who writes which state, which stacks each selected stack reads, and so what runs first.
  const writers = new Map<string, string>();
  for (const [stack, config] of Object.entries(configs)) {
    const { bucket, key } = stateLocationOf(config);
    if (bucket !== undefined && key !== undefined) writers.set(stateId(bucket, key), stack);
  }
  const writerOf = (state: RemoteStateRef): string | undefined => writers.get(stateId(state.bucket, state.key));
  const readsOf = (stack: string): { state: RemoteStateRef; writer?: string }[] =>
    remoteStatesOf(configs[stack]).map((state) => ({ state, writer: writerOf(state) }));
  const needed = new Set(options.stacks);
  for (const stack of options.stacks) for (const { writer } of readsOf(stack)) if (writer !== undefined) needed.add(writer);
  const firstWave = [...needed].filter((stack) => [...needed].some((reader) => reader !== stack && readsOf(reader).some((r) => r.writer === stack)));
  const secondWave = [...needed].filter((stack) => !firstWave.includes(stack));
  const unresolved = firstWave.filter((stack) => readsOf(stack).some((r) => r.writer !== undefined && r.writer !== stack));
  if (unresolved.length > 0)
    throw new UserError(`${unresolved.join(', ')} read(s) the state of another stack and is read by one: the offline plan runs one level of remote state`);

  // The workspace: the root holds only the provider requirements; each stack is a directory.
  const root = path.join(options.workDir, 'workspace');
  const home = path.join(options.workDir, 'home');
  fs.mkdirSync(home, { recursive: true });
  const env = terraformEnv({ TF_DATA_DIR: path.join(root, '.terraform'), HOME: home, TMPDIR: home });
  fs.mkdirSync(path.join(root, 'tests'), { recursive: true });
  const providers: Record<string, { source?: string; version?: string }> = {};
  for (const stack of needed) if (!refusals.has(stack)) Object.assign(providers, requiredProviders(configs[stack]));
  providers.aws = { source: 'hashicorp/aws', version: options.providerVersion };
  fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: providers } }));
  await initFromPluginDir(terraform, root, options.pluginDir, env);
  const schema: ProviderSchema = await awsProviderSchema(terraform, root, env);

  const outputs = new Map<string, Record<string, unknown>>();
  const copyOf = (stack: string): StackCopy =>
    offlineStackCopy(
      stack,
      configs[stack],
      schema,
      options.providerVersion,
      (state) => {
        const writer = writerOf(state);
        return writer === undefined ? undefined : (outputs.get(writer) ?? {});
      },
      `./stacks/${stack}`,
    );
  const copies = new Map<string, StackCopy>();
  for (const stack of needed) {
    const copy = copyOf(stack);
    copies.set(stack, copy);
    if (refusals.has(stack)) continue;
    fs.mkdirSync(path.join(root, 'stacks', stack), { recursive: true });
    fs.writeFileSync(path.join(root, 'stacks', stack, 'main.tf.json'), JSON.stringify(copy.config, null, 2));
    // Written now so that init installs every stack's module; the second wave's are rewritten with outputs.
    fs.writeFileSync(path.join(root, testFileOf(stack)), copy.testFile);
  }
  // A stack whose configuration terraform cannot load fails init for all: set it aside, with its error, and init again.
  const broken = new Map<string, string>();
  for (;;) {
    const failure = await initFromPluginDir(terraform, root, options.pluginDir, env, true);
    if (failure === undefined) break;
    const named = [...new Set([...failure.output.matchAll(/stacks\/([^/\s]+)\/main\.tf\.json/g)].map((m) => m[1]))].filter(
      (s) => copies.has(s) && !broken.has(s),
    );
    if (named.length === 0) throw new UserError(failure.message);
    for (const stack of named) {
      broken.set(stack, failure.reason);
      fs.rmSync(path.join(root, 'stacks', stack), { recursive: true, force: true });
      fs.rmSync(path.join(root, testFileOf(stack)), { force: true });
    }
  }

  const port = await closedPort();
  const binary = providerBinary(options.pluginDir, options.providerVersion);
  const results: StackPlanResult[] = [];
  const finish = (result: StackPlanResult): void => {
    results.push(result);
    options.onResult?.(result);
  };
  const base = (stack: string) => ({
    stack,
    removedArguments: copies.get(stack)?.removals.length ?? 0,
    dropped: copies.get(stack)?.dropped ?? [],
    dependency: !options.stacks.includes(stack),
  });

  /** Runs stacks in batches, `jobs` terraform processes at a time; `verbose` stacks report their outputs. */
  const runWave = async (waves: readonly { stacks: readonly string[]; verbose: boolean }[]): Promise<void> => {
    const groups: { stacks: string[]; reattach: boolean; verbose: boolean }[] = [];
    for (const { stacks, verbose } of waves) {
      const runnable: string[] = [];
      for (const stack of stacks) {
        const copy = copyOf(stack);
        const refused = refusals.get(stack);
        if (refused !== undefined || broken.has(stack)) {
          const why = refused?.map((r) => `not run: ${r}`) ?? [`not run: terraform cannot load its configuration: ${broken.get(stack)}`];
          finish({ ...base(stack), ok: false, plan: 'not run', apply: 'not run', failures: why.map((summary) => ({ run: 'check', summary })), seconds: 0 });
          continue;
        }
        const early: TestFailure[] = copy.problems.map((summary) => ({ run: 'check', summary }));
        const failedWriter = readsOf(stack).find((r) => r.writer !== undefined && r.writer !== stack && !outputs.has(r.writer));
        if (failedWriter !== undefined) {
          early.push({ run: 'check', summary: `not run: ${failedWriter.writer}, whose outputs it reads (${failedWriter.state.address}), did not apply` });
        }
        if (early.some((f) => /^not run:|which no stack of this run writes$/.test(f.summary))) {
          finish({ ...base(stack), ok: false, plan: 'not run', apply: 'not run', failures: early, seconds: 0 });
          continue;
        }
        fs.writeFileSync(path.join(root, testFileOf(stack)), copy.testFile);
        runnable.push(stack);
      }
      const single = (stack: string): boolean => ((copies.get(stack)!.config.provider as Record<string, unknown[]>).aws ?? []).length === 1;
      const weight = (stack: string): number =>
        Object.values((configs[stack].resource ?? {}) as Record<string, object>).reduce((n, r) => n + Object.keys(r).length, 1);
      const share = Math.max(1, Math.round(options.jobs / waves.filter((w) => w.stacks.length > 0).length));
      groups.push(
        ...batches(runnable.filter(single), share, weight).map((g) => ({ stacks: g, reattach: true, verbose })),
        // Stacks with several aws configurations: terraform starts their providers itself.
        ...batches(
          runnable.filter((s) => !single(s)),
          share,
          weight,
        ).map((g) => ({ stacks: g, reattach: false, verbose })),
      );
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let group = groups[next++]; group !== undefined; group = groups[next++]) await runBatch(group.stacks, group.reattach, group.verbose);
    };
    await Promise.all(Array.from({ length: Math.min(options.jobs, groups.length) }, worker));
  };

  const runBatch = async (stacks: readonly string[], reattach: boolean, verbose: boolean): Promise<void> => {
    const provider = reattach && binary !== undefined ? await startProvider(binary, port.port, home) : { stop: () => undefined };
    const reported = new Set<string>();
    const resultOf = (stack: string, report: TestReport): StackPlanResult => {
      const copy = copies.get(stack)!;
      const failures = [...copy.problems.map((summary) => ({ run: 'check', summary })), ...report.failures];
      const status = (run: string): 'pass' | 'fail' | 'not run' => {
        const ran = report.runs[run];
        return ran === 'pass' ? 'pass' : ran === undefined || ran === 'skip' ? 'not run' : 'fail';
      };
      const ok = failures.length === 0 && status('plan') === 'pass' && status('apply') === 'pass';
      if (ok) outputs.set(stack, report.outputs ?? {});
      return {
        ...base(stack),
        ok,
        plan: status('plan'),
        apply: status('apply'),
        failures,
        ...(report.toCreate !== undefined ? { toCreate: report.toCreate } : {}),
        seconds: report.seconds ?? 0,
      };
    };
    const byFile = new Map(stacks.map((stack) => [testFileOf(stack), stack]));
    const reader = new TestOutputReader((file, report) => {
      const stack = byFile.get(file);
      if (stack === undefined || reported.has(stack)) return;
      reported.add(stack);
      finish(resultOf(stack, report));
    });
    try {
      const extra: Record<string, string> = {
        TF_DATA_DIR: path.join(root, '.terraform'),
        ...(provider.reattach !== undefined ? { TF_REATTACH_PROVIDERS: provider.reattach } : {}),
      };
      const args = ['test', '-json', '-no-color', ...(verbose ? ['-verbose'] : []), ...stacks.map((stack) => `-filter=${testFileOf(stack)}`)];
      const result = await runCaptured(terraform, args, {
        cwd: root,
        env: terraformEnv(extra, port.port),
        timeoutMs: TERRAFORM_TIMEOUT_MS,
        onStdoutLine: (line) => reader.line(line),
      });
      const unfinished = stacks.filter((s) => !reported.has(s));
      // The batch's process died (a crash of terraform or the provider, the time limit) before
      // these stacks finished: run each alone, so that one stack's crash is not the others' result.
      if (unfinished.length > 0 && stacks.length > 1) {
        provider.stop();
        for (const stack of unfinished) await runBatch([stack], reattach, verbose);
        return;
      }
      // A stack terraform never finished on its own: its report says why.
      for (const stack of unfinished) {
        const report = reader.reportOf(testFileOf(stack));
        const reason = result.timedOut
          ? `terraform test did not finish in ${TERRAFORM_TIMEOUT_MS / 1000} s`
          : firstLineOf(result.stderr) || `terraform test exited ${result.status ?? result.signal}`;
        finish(resultOf(stack, { ...report, failures: [...report.failures, ...(report.failures.length === 0 ? [{ run: 'setup', summary: reason }] : [])] }));
      }
    } finally {
      provider.stop();
    }
  };

  try {
    // Stacks that read no other stack's outputs run beside the ones that others read; readers after.
    const readers = secondWave.filter((stack) => readsOf(stack).some((r) => r.writer !== undefined && r.writer !== stack));
    const independent = secondWave.filter((stack) => !readers.includes(stack));
    await runWave([
      { stacks: firstWave, verbose: true },
      { stacks: independent, verbose: false },
    ]);
    await runWave([{ stacks: readers, verbose: false }]);
  } finally {
    port.close();
  }
  const order = [...needed].sort();
  return { results: [...results].sort((a, b) => order.indexOf(a.stack) - order.indexOf(b.stack)), seconds: (Date.now() - started) / 1000 };
}
