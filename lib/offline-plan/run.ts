import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { UserError } from '../errors';
import { firstLineOf, runCaptured } from '../subprocess';
import { requiredProviders, type ProviderSchema } from './offline-config';
import { providerBinary } from './provider-dir';
import { offlineStackCopy, remoteStatesOf, stateLocationOf, type RemoteStateRef } from './stack-copy';
import { parseTestOutput, type TestFailure } from './terraform-test';
import { MINIMUM_TERRAFORM_FOR_MOCKS } from './test-file';

/**
 * `multiregion plan --offline`: plans and applies synthesized stacks with no AWS account. Each
 * stack runs in a scratch copy (offlineStackCopy) under `terraform test`, in parallel; a team's
 * global stack runs before the regional stacks that read its state, and its outputs after the
 * mocked apply are what those stacks read, so a missing or renamed output fails them.
 */

export interface OfflinePlanOptions {
  /** A synth output directory: `<outdir>/stacks/<id>/cdk.tf.json`. */
  readonly outdir: string;
  /** The stacks to report on; the global stacks they read run too (as dependencies). */
  readonly stacks: readonly string[];
  readonly pluginDir: string;
  /** The hashicorp/aws version in the plugin directory to use. */
  readonly providerVersion: string;
  /** Scratch directory; emptied by the caller. */
  readonly workDir: string;
  /** Stacks run at once. */
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
  /** Resource instances the plan creates (global stacks, whose run is verbose). */
  readonly toCreate?: number;
  /** Arguments dropped for an older provider (provider 6's per-resource region). */
  readonly removedArguments: number;
  readonly seconds: number;
  /** Run only because a selected stack reads its outputs. */
  readonly dependency: boolean;
}

export interface OfflinePlanReport {
  readonly results: readonly StackPlanResult[];
  readonly seconds: number;
}

const TERRAFORM_TIMEOUT_MS = 600_000;
const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** terraform's version, refused when it has no mock providers. */
export async function terraformVersion(terraform: string): Promise<string> {
  const result = await runCaptured(terraform, ['version', '-json'], { timeoutMs: 60_000, env: terraformEnv({}) });
  if (result.status !== 0) {
    throw new UserError(
      `${terraform} cannot be run (${firstLineOf(result.stderr) || `exit ${result.status}`}): install terraform ≥ ${MINIMUM_TERRAFORM_FOR_MOCKS} or set TERRAFORM_BINARY=<path>`,
    );
  }
  const version = (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  const [major, minor] = version.split('.').map((p) => Number.parseInt(p, 10));
  if (major < 1 || (major === 1 && minor < 7)) {
    throw new UserError(`terraform ${version} has no mock providers: the offline plan needs terraform ≥ ${MINIMUM_TERRAFORM_FOR_MOCKS}`);
  }
  return version;
}

/** A loopback port nothing listens on: every AWS request fails at once, on this machine. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * terraform's environment, built from nothing but PATH: no AWS profile, keys, credential files or
 * endpoint of the caller's can reach the run, and every SDK endpoint is the closed port.
 */
function terraformEnv(extra: Record<string, string>, port?: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    TF_CLI_CONFIG_FILE: '/dev/null',
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    ...(port !== undefined ? { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` } : {}),
    ...extra,
  };
}

interface Workspace {
  readonly lockFile: string;
  readonly dataDir: string;
  readonly schema: ProviderSchema;
}

/**
 * One `terraform init` for every stack: the providers all stacks require, from the plugin
 * directory, into one data directory that each stack's run reads (TF_DATA_DIR) with a copy of its
 * lock file. Init per stack would copy the 600 MB provider once a stack.
 */
async function prepareWorkspace(
  options: OfflinePlanOptions,
  configs: Readonly<Record<string, Record<string, unknown>>>,
  terraform: string,
): Promise<Workspace> {
  const probe = path.join(options.workDir, 'init');
  const dataDir = path.join(options.workDir, 'terraform-data');
  fs.mkdirSync(probe, { recursive: true });
  const providers: Record<string, { source?: string; version?: string }> = {};
  for (const config of Object.values(configs)) Object.assign(providers, requiredProviders(config));
  providers.aws = { source: 'hashicorp/aws', version: options.providerVersion };
  fs.writeFileSync(path.join(probe, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: providers } }));
  const env = terraformEnv({ TF_DATA_DIR: dataDir });
  const init = await runCaptured(terraform, ['init', '-backend=false', `-plugin-dir=${options.pluginDir}`, '-input=false', '-no-color'], {
    cwd: probe,
    env,
    timeoutMs: TERRAFORM_TIMEOUT_MS,
  });
  if (init.status !== 0) {
    const reason = init.stderr.split('\n').find((l) => /Error:/.test(l)) ?? firstLineOf(init.stderr);
    throw new UserError(
      `terraform init with --plugin-dir ${options.pluginDir} failed: ${reason.replace(/^.*Error:\s*/, '').trim()} (every provider the stacks require must be in the plugin directory)`,
    );
  }
  const schemaRun = await runCaptured(terraform, ['providers', 'schema', '-json'], { cwd: probe, env, timeoutMs: TERRAFORM_TIMEOUT_MS });
  if (schemaRun.status !== 0) throw new Error(`terraform providers schema failed: ${firstLineOf(schemaRun.stderr)}`);
  const schema = (JSON.parse(schemaRun.stdout) as { provider_schemas: Record<string, ProviderSchema> }).provider_schemas[AWS_PROVIDER];
  return { lockFile: path.join(probe, '.terraform.lock.hcl'), dataDir, schema };
}

/**
 * The provider in its debug mode for one stack's run (TF_REATTACH_PROVIDERS): terraform then
 * attaches to one process instead of starting the 600 MB binary for each step, which halves a
 * stack's time. A provider can be configured once, so each stack gets its own and only stacks
 * with one aws configuration use it.
 */
async function startProvider(binary: string): Promise<{ reattach?: string; stop: () => void }> {
  const child = spawn(binary, ['-debug'], { stdio: ['ignore', 'pipe', 'ignore'], env: terraformEnv({}) });
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const reattach = await new Promise<string | undefined>((resolve) => {
    let output = '';
    const timer = setTimeout(() => resolve(undefined), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output);
      if (line !== null) {
        clearTimeout(timer);
        resolve(line[1]);
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
  if (reattach === undefined) stop();
  return { ...(reattach !== undefined ? { reattach } : {}), stop };
}

function readStack(outdir: string, stack: string): Record<string, unknown> {
  const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
  if (!fs.existsSync(file)) throw new UserError(`${file} is missing: synthesize ${stack} first`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

const stateId = (bucket: string | undefined, key: string | undefined): string => `${bucket ?? ''}/${key ?? ''}`;

export async function runOfflinePlan(options: OfflinePlanOptions): Promise<OfflinePlanReport> {
  const started = Date.now();
  const terraform = options.terraform ?? 'terraform';
  await terraformVersion(terraform);
  const all = fs.readdirSync(path.join(options.outdir, 'stacks')).sort();
  const configs: Record<string, Record<string, unknown>> = {};
  for (const stack of all) configs[stack] = readStack(options.outdir, stack);

  // Who writes which state, and which stacks each selected stack reads.
  const writers = new Map<string, string>();
  for (const stack of all) {
    const { bucket, key } = stateLocationOf(configs[stack]);
    if (bucket !== undefined && key !== undefined) writers.set(stateId(bucket, key), stack);
  }
  const readsOf = (stack: string): { state: RemoteStateRef; writer?: string }[] =>
    remoteStatesOf(configs[stack]).map((state) => ({ state, writer: writers.get(stateId(state.bucket, state.key)) }));
  const needed = new Set(options.stacks);
  for (const stack of options.stacks) for (const { writer } of readsOf(stack)) if (writer !== undefined) needed.add(writer);
  const used: Record<string, Record<string, unknown>> = Object.fromEntries([...needed].map((s) => [s, configs[s]]));

  const workspace = await prepareWorkspace(options, used, terraform);
  const port = await closedPort();
  const binary = providerBinary(options.pluginDir, options.providerVersion);
  const readers = new Set(
    [...needed].flatMap((stack) =>
      readsOf(stack)
        .map((r) => r.writer)
        .filter((w): w is string => w !== undefined),
    ),
  );

  const outputs = new Map<string, Record<string, unknown> | undefined>();
  const done = new Map<string, Promise<StackPlanResult>>();
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<() => void> => {
    if (running >= Math.max(1, options.jobs)) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    return () => {
      running--;
      waiting.shift()?.();
    };
  };

  const runOne = async (stack: string): Promise<StackPlanResult> => {
    const dependencies = readsOf(stack);
    for (const { writer } of dependencies) if (writer !== undefined && writer !== stack) await resultOf(writer);
    const release = await slot();
    const begin = Date.now();
    try {
      const failedDependency = dependencies.find((d) => d.writer !== undefined && outputs.get(d.writer) === undefined);
      const copy = offlineStackCopy(stack, configs[stack], workspace.schema, options.providerVersion, (state) => {
        const writer = writers.get(stateId(state.bucket, state.key));
        return writer === undefined ? undefined : (outputs.get(writer) ?? {});
      });
      const base = { stack, removedArguments: copy.removals.length, dependency: !options.stacks.includes(stack) };
      const early: TestFailure[] = copy.problems.map((summary) => ({ run: 'check', summary }));
      if (failedDependency !== undefined) {
        early.push({ run: 'check', summary: `not run: ${failedDependency.writer}, whose outputs it reads (${failedDependency.state.address}), did not apply` });
      }
      if (early.some((f) => /not run:|which no stack of this run writes/.test(f.summary))) {
        return { ...base, ok: false, plan: 'not run', apply: 'not run', failures: early, seconds: (Date.now() - begin) / 1000 };
      }
      const dir = path.join(options.workDir, 'stacks', stack);
      fs.mkdirSync(path.join(dir, 'tests'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(copy.config, null, 2));
      fs.writeFileSync(path.join(dir, 'tests', 'offline.tftest.hcl'), copy.testFile);
      fs.copyFileSync(workspace.lockFile, path.join(dir, '.terraform.lock.hcl'));
      const singleProvider = ((copy.config.provider as Record<string, unknown[]>).aws ?? []).length === 1;
      const provider = binary !== undefined && singleProvider ? await startProvider(binary) : { stop: () => undefined };
      try {
        const env = terraformEnv(
          { TF_DATA_DIR: workspace.dataDir, ...(provider.reattach !== undefined ? { TF_REATTACH_PROVIDERS: provider.reattach } : {}) },
          port,
        );
        const verbose = readers.has(stack) ? ['-verbose'] : [];
        const result = await runCaptured(terraform, ['test', '-json', '-no-color', ...verbose], { cwd: dir, env, timeoutMs: TERRAFORM_TIMEOUT_MS });
        const report = parseTestOutput(result.stdout);
        const failures = [...early, ...report.failures];
        if (result.timedOut) failures.push({ run: 'setup', summary: `terraform test did not finish in ${TERRAFORM_TIMEOUT_MS / 1000} s` });
        else if (result.status !== 0 && report.failures.length === 0)
          failures.push({ run: 'setup', summary: firstLineOf(result.stderr) || `terraform test exited ${result.status}` });
        const status = (run: string): 'pass' | 'fail' | 'not run' =>
          report.runs[run] === 'pass' ? 'pass' : report.runs[run] === undefined ? 'not run' : 'fail';
        const ok = failures.length === 0 && status('plan') === 'pass' && status('apply') === 'pass';
        if (ok) outputs.set(stack, report.outputs ?? {});
        return {
          ...base,
          ok,
          plan: status('plan'),
          apply: status('apply'),
          failures,
          ...(report.toCreate !== undefined ? { toCreate: report.toCreate } : {}),
          seconds: (Date.now() - begin) / 1000,
        };
      } finally {
        provider.stop();
      }
    } finally {
      release();
    }
  };
  const resultOf = (stack: string): Promise<StackPlanResult> => {
    let promise = done.get(stack);
    if (promise === undefined) {
      promise = runOne(stack).then((result) => {
        options.onResult?.(result);
        return result;
      });
      done.set(stack, promise);
    }
    return promise;
  };
  const results = await Promise.all([...needed].sort().map((stack) => resultOf(stack)));
  return { results, seconds: (Date.now() - started) / 1000 };
}
