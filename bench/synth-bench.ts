/**
 * `npm run bench`: how long a synth takes and how much memory it needs, measured on child
 * processes started the way `cdktf synth` starts the app.
 *
 *   (a) one tag-selected stack of the example organisation (environments/), through the app
 *       command of cdktf.json;
 *   (b) the whole matrix of a generated organisation (4 environments x 5 teams x 17 regions);
 *   (c) baseline: the same stack as (a) written as the default cdktf TypeScript template does
 *       (bench/baseline: type-checking ts-node, provider classes from the package root);
 *   (d) (a) against generated organisations of 10, 100 and 1000 stacks.
 *
 * Every scenario is warmed up once (the first app run may compile TypeScript), then measured
 * `--runs` times in round-robin order, so that noise from other work on the machine spreads over
 * all scenarios; measured app runs set MULTIREGION_SKIP_BUILD=1. Medians are reported: wall
 * time, CPU time and peak memory (see measure.ts for how memory is measured). Each run writes to
 * a fresh CDKTF_OUTDIR and must have written the expected stacks, or the benchmark stops: it
 * never reports the timing of a failed synth. Targets are checked and reported as PASS or MISS;
 * a miss does not fail the process.
 *
 * Options: --runs N (default 5), --quick (3 runs, (d) at 10 and 1000 stacks only), --json
 * (machine-readable results on stdout; use `npm run -s bench -- --json` to keep npm's banner
 * out of it), --memory time|reporter (see measure.ts).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadOrganisation } from '../lib/config';
import { stackMatrix } from '../lib/stack-spec';
import { defaultMemoryMethod, measure, RunFailedError, type CommandRun, type Measurement, type MemoryMethod } from './measure';
import { writeOrganisation, type OrganisationShape } from './organisation-generator';
import { compareWithBaseline, compiledAppFingerprint } from './run-checks';
import { checkTargets, formatTable, summarise, type ScenarioGroup } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const BASELINE_DIR = path.join(ROOT, 'bench', 'baseline');

/** The example organisation's tag: research's web-service and global-table in one region. */
const EXAMPLE_TAG = { tag: 'dev_eu-central-1/research/1.0', stack: 'research-dev-eu-central-1' };
/** The baseline program hard-codes the stack of EXAMPLE_TAG. */
const BASELINE_STACK = EXAMPLE_TAG.stack;
/** The baseline's app command: the template's `npx ts-node main.ts` without npx's own start-up. */
const BASELINE_COMMAND = 'ts-node main.ts';

const MATRIX_SHAPE: OrganisationShape = { environments: 4, teams: 5, regions: 17 };
const GROWTH_SHAPES: Record<number, OrganisationShape> = {
  10: { environments: 1, teams: 2, regions: 4 },
  100: { environments: 2, teams: 5, regions: 9 },
  1000: { environments: 5, teams: 10, regions: 19 },
};

interface Options {
  readonly runs: number;
  readonly growthSizes: readonly number[];
  readonly json: boolean;
  readonly memory: MemoryMethod;
}

interface Scenario {
  readonly id: string;
  readonly group: ScenarioGroup;
  readonly label: string;
  /** Workload stacks in the organisation the run reads. */
  readonly organisationStacks: number;
  readonly command: string;
  readonly cwd: string;
  /** Variables besides the ones cdktf sets; `undefined` removes an inherited one. */
  readonly variables: Readonly<Record<string, string | undefined>>;
  /**
   * Stacks every run must write. `exactly`: these and no others (a tag selects one stack);
   * `at-least`: all of these, plus whatever else the full synth adds (tooling and access stacks
   * of organisations that configure pipelines), as many in every run as in the warm-up.
   */
  readonly expected: { readonly stacks: readonly string[]; readonly mode: 'exactly' | 'at-least' };
  /** Whether the app compiles stale TypeScript itself (bin/ensure-built.js) unless told not to. */
  readonly selfBuilding: boolean;
}

/** A bad command-line option: printed as one line with the usage, exit 2. */
class UsageError extends Error {}

const USAGE = 'usage: node dist/bench/synth-bench.js [--runs N] [--quick] [--json] [--memory time|reporter]';

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        runs: { type: 'string' },
        quick: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        memory: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick === true;
  const runs = values.runs === undefined ? (quick ? 3 : 5) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs '${values.runs}': expected a positive integer`);
  const memory = values.memory ?? defaultMemoryMethod();
  if (memory !== 'time' && memory !== 'reporter') throw new UsageError(`--memory '${memory}': expected time or reporter`);
  return { runs, growthSizes: quick ? [10, 1000] : [10, 100, 1000], json: values.json === true, memory };
}

/** The app command of cdktf.json, run by cdktf through the shell. */
function appCommand(): { command: string; context: Record<string, unknown> } {
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')) as { app?: unknown; context?: Record<string, unknown> };
  if (typeof config.app !== 'string' || config.app === '') throw new Error(`${path.join(ROOT, 'cdktf.json')}: no "app" command`);
  return { command: config.app, context: config.context ?? {} };
}

/**
 * The environment `cdktf synth` gives the app (cdktf-cli 0.21, cli-core synth-stack.js): the
 * caller's variables without TF_VAR_*, NODE_OPTIONS=--max-old-space-size=4096 when unset, the
 * output directory, the context and the synth flags.
 */
function synthEnvironment(outdir: string, context: Record<string, unknown>, variables: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('TF_VAR_')));
  for (const key of ['DEPLOY_TAG', 'ENVIRONMENTS_DIR', 'MULTIREGION_SKIP_BUILD']) delete env[key];
  if (env.NODE_OPTIONS === undefined || env.NODE_OPTIONS === '') env.NODE_OPTIONS = '--max-old-space-size=4096';
  env.PATH = `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${env.PATH ?? ''}`;
  env.CDKTF_OUTDIR = outdir;
  env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  env.CDKTF_CONTEXT_JSON = JSON.stringify({ ...context, cdktfRelativeModules: [] });
  env.SYNTH_HCL_OUTPUT = 'false';
  for (const [key, value] of Object.entries(variables)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * The number of stacks `outdir` holds; fails unless it holds the expected ones (and, once the
 * warm-up has counted them, as many as the warm-up), each with its Terraform JSON.
 */
function verifyOutput(scenario: Scenario, outdir: string, countOfWarmUp: number | undefined): number {
  const stacksDir = path.join(outdir, 'stacks');
  const written = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir) : [];
  const writtenSet = new Set(written);
  const problems: string[] = [];
  const missing = scenario.expected.stacks.filter((stack) => !writtenSet.has(stack));
  if (missing.length > 0) problems.push(`${missing.length} expected stack(s) missing: ${listSome(missing)}`);
  if (scenario.expected.mode === 'exactly' && written.length !== scenario.expected.stacks.length) {
    problems.push(`wrote ${written.length} stacks, expected exactly ${scenario.expected.stacks.length}`);
  }
  if (countOfWarmUp !== undefined && written.length !== countOfWarmUp) problems.push(`wrote ${written.length} stacks, the warm-up wrote ${countOfWarmUp}`);
  const empty = written.filter((stack) => !fs.existsSync(path.join(stacksDir, stack, 'cdk.tf.json')));
  if (empty.length > 0) problems.push(`no cdk.tf.json in ${listSome(empty)}`);
  if (problems.length > 0) throw new RunFailedError(`${scenario.label}: ${problems.join('; ')}`);
  return written.length;
}

function listSome(items: readonly string[]): string {
  return `${items.slice(0, 3).join(', ')}${items.length > 3 ? ', ...' : ''}`;
}

function describe(m: Measurement): string {
  return `${m.wallSeconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s cpu, ${m.peakMb.toFixed(0)} MB`;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-bench-'));
  const cleanUp = (): void => fs.rmSync(scratch, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals): void => {
    cleanUp();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runBenchmark(options, scratch);
  } finally {
    cleanUp();
  }
}

/** A git repository with one commit (ignoring every file) and the given tags on it. */
function releaseRepository(dir: string, tags: readonly string[]): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '.gitignore'), '*\n');
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const git = (...args: string[]): void => {
    const result = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} in ${dir} failed: ${result.stderr}`);
  };
  git('init', '-q');
  git('add', '-f', '.gitignore');
  git('commit', '-q', '-m', 'bench release');
  for (const tag of new Set(tags)) git('tag', tag);
  return dir;
}

/** The scenarios, with the generated organisations written under `scratch`. */
function scenariosFor(options: Options, scratch: string, appCommandLine: string): Scenario[] {
  const exampleDir = path.join(ROOT, 'environments');
  const growthOrgs = options.growthSizes.map((size) => ({ size, org: writeOrganisation(path.join(scratch, `org-${size}`), GROWTH_SHAPES[size]) }));
  // A synth of DEPLOY_TAG checks that the tag exists, points at HEAD and finds a clean tree, as a
  // user's does; the tagged runs therefore start in a repository holding those tags at HEAD and
  // run the app by absolute path (the project's own repository never gets bench tags).
  const releaseRepo = releaseRepository(path.join(scratch, 'release-repo'), [EXAMPLE_TAG.tag, ...growthOrgs.map((g) => g.org.tag)]);
  const taggedCommand = appCommandLine.replace(/^node (\S+)/, (_all, script: string) => `node ${path.resolve(ROOT, script)}`);
  const scenarios: Scenario[] = [
    {
      id: 'a',
      group: 'a',
      label: '(a) tag-selected, example org',
      organisationStacks: stackMatrix(loadOrganisation(exampleDir)).length,
      command: taggedCommand,
      cwd: releaseRepo,
      variables: { DEPLOY_TAG: EXAMPLE_TAG.tag, ENVIRONMENTS_DIR: exampleDir },
      expected: { stacks: [EXAMPLE_TAG.stack], mode: 'exactly' },
      selfBuilding: true,
    },
  ];
  const matrixOrg = writeOrganisation(path.join(scratch, 'org-matrix'), MATRIX_SHAPE);
  scenarios.push({
    id: 'b',
    group: 'b',
    label: `(b) whole matrix, ${MATRIX_SHAPE.environments} env x ${MATRIX_SHAPE.teams} teams x ${MATRIX_SHAPE.regions} regions`,
    organisationStacks: matrixOrg.stackCount,
    command: appCommandLine,
    cwd: ROOT,
    variables: { DEPLOY_TAG: undefined, ENVIRONMENTS_DIR: matrixOrg.dir },
    expected: { stacks: matrixOrg.stackIds, mode: 'at-least' },
    selfBuilding: true,
  });
  scenarios.push({
    id: 'c',
    group: 'c',
    label: '(c) baseline: template style, ts-node',
    organisationStacks: 1,
    command: BASELINE_COMMAND,
    cwd: BASELINE_DIR,
    variables: {},
    expected: { stacks: [BASELINE_STACK], mode: 'exactly' },
    selfBuilding: false,
  });
  for (const { size, org } of growthOrgs) {
    scenarios.push({
      id: `d${size}`,
      group: 'd',
      label: `(d) tag-selected, org of ${org.stackCount} stacks`,
      organisationStacks: org.stackCount,
      command: taggedCommand,
      cwd: releaseRepo,
      variables: { DEPLOY_TAG: org.tag, ENVIRONMENTS_DIR: org.dir },
      expected: { stacks: [org.selectedStack], mode: 'exactly' },
      selfBuilding: true,
    });
  }
  // The generator and the app must agree on the matrix, or (b) and (d) measure something else.
  for (const scenario of scenarios.filter((s) => s.group === 'b' || s.group === 'd')) {
    const dir = scenario.variables.ENVIRONMENTS_DIR as string;
    const count = stackMatrix(loadOrganisation(dir)).length;
    if (count !== scenario.organisationStacks) throw new Error(`${dir}: the app sees ${count} stacks, the generator wrote ${scenario.organisationStacks}`);
  }
  return scenarios;
}

async function runBenchmark(options: Options, scratch: string): Promise<void> {
  const app = appCommand();
  const scenarios = scenariosFor(options, scratch, app.command);

  log(
    `multiregion synth benchmark: node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
  );
  log(`app command (cdktf.json): ${app.command}; baseline: ${BASELINE_COMMAND} in bench/baseline`);
  log(
    `memory: ${options.memory === 'time' ? 'GNU time %M (ru_maxrss of the largest process in the child tree)' : 'process.resourceUsage().maxRSS of every Node process (--require usage-reporter)'}`,
  );
  log(`${options.runs} measured run(s) per scenario after one warm-up, round-robin`);
  let peakLoad = os.loadavg()[0];

  let runNumber = 0;
  const writtenCounts = new Map<string, number>();
  const runOnce = async (scenario: Scenario, warmUp: boolean, keep?: string): Promise<Measurement> => {
    const outdir = keep ?? path.join(scratch, `out-${++runNumber}`);
    const variables = scenario.selfBuilding && !warmUp ? { ...scenario.variables, MULTIREGION_SKIP_BUILD: '1' } : scenario.variables;
    const run: CommandRun = { command: scenario.command, cwd: scenario.cwd, env: synthEnvironment(outdir, app.context, variables) };
    try {
      const measurement = await measure(run, options.memory);
      writtenCounts.set(scenario.id, verifyOutput(scenario, outdir, writtenCounts.get(scenario.id)));
      return measurement;
    } finally {
      if (keep === undefined) fs.rmSync(outdir, { recursive: true, force: true });
    }
  };

  // Warm-up: the first app run compiles stale TypeScript (bin/ensure-built.js) and fills caches.
  const warmOutputs = new Map<string, string>();
  for (const scenario of scenarios) {
    const outdir = path.join(scratch, `warm-${scenario.id}`);
    warmOutputs.set(scenario.id, outdir);
    const m = await runOnce(scenario, true, outdir);
    log(`warm-up ${scenario.label}: ${describe(m)}, ${writtenCounts.get(scenario.id)} stack(s) written`);
  }
  const baseline = compareWithBaseline(
    path.join(warmOutputs.get('a') as string, 'stacks', EXAMPLE_TAG.stack),
    path.join(warmOutputs.get('c') as string, 'stacks', BASELINE_STACK),
  );
  if (baseline.identical) log('baseline check: (c) synthesizes the same cdk.tf.json as (a), byte for byte');
  else if (baseline.sameAddresses) log('baseline check: (c) declares the same resources as (a); some values differ');
  else {
    log(
      `WARNING: baseline check: (c) and (a) declare different resources (only in the app: ${listSome(baseline.onlyInApp)}; only in the baseline: ${listSome(baseline.onlyInBaseline)}): bring bench/baseline/main.ts up to date`,
    );
  }
  for (const outdir of warmOutputs.values()) fs.rmSync(outdir, { recursive: true, force: true });

  const runs = new Map<string, Measurement[]>(scenarios.map((s) => [s.id, []]));
  const fingerprint = compiledAppFingerprint();
  let rebuiltDuringRuns = false;
  for (let round = 1; round <= options.runs; round++) {
    for (const scenario of scenarios) {
      const m = await runOnce(scenario, false);
      (runs.get(scenario.id) as Measurement[]).push(m);
      peakLoad = Math.max(peakLoad, os.loadavg()[0]);
      log(`run ${round}/${options.runs} ${scenario.label}: ${describe(m)}`);
    }
    if (!rebuiltDuringRuns && compiledAppFingerprint() !== fingerprint) {
      rebuiltDuringRuns = true;
      log(`WARNING: dist/ changed during round ${round}: the medians mix two builds of the app; run the benchmark again`);
    }
  }

  // One benchmark child keeps about one CPU busy; a higher load means other work competed.
  const busy = peakLoad > os.cpus().length;
  const results = summarise(
    scenarios.map((s) => ({
      id: s.id,
      group: s.group,
      label: s.label,
      stacksWritten: writtenCounts.get(s.id) ?? 0,
      organisationStacks: s.organisationStacks,
      command: s.command,
    })),
    runs,
  );
  const checks = checkTargets(results);
  let table = formatTable(results, checks);
  if (!baseline.sameAddresses) table += `\nwarning: (c) no longer declares the same resources as (a): bring bench/baseline/main.ts up to date.`;
  if (rebuiltDuringRuns) table += `\nwarning: dist/ was rebuilt while the runs went on: these medians mix two builds of the app.`;
  if (busy) {
    table += `\nnote: the 1-minute load average reached ${peakLoad.toFixed(1)} on ${os.cpus().length} CPUs: other work competed for the CPUs, so wall times are inflated; cpu s is the steadier figure.`;
  }
  if (options.json) {
    log(`\n${table}`);
    const report = {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      memoryMethod: options.memory,
      peakLoadAverage: peakLoad,
      rebuiltDuringRuns,
      runsPerScenario: options.runs,
      appCommand: app.command,
      baselineCommand: BASELINE_COMMAND,
      baselineCheck: baseline,
      scenarios: results,
      targets: checks,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`\n${table}\n`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (error instanceof RunFailedError) {
    process.stderr.write(`error: a measured run failed, so there is nothing honest to report:\n${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
