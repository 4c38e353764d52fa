import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, succeeded } from './processes';

/**
 * Runs the framework the way users and pipelines do: the synth app (`node bin/app.js`) and the
 * `multiregion` CLI, as child processes on the compiled code (bin/ compiles it when stale).
 */

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
// The first run after a source change compiles the project (a few seconds); later runs take < 1 s.
const NODE_TIMEOUT_MS = 120_000;

function frameworkEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ['DEPLOY_TAG', 'ENVIRONMENTS_DIR', 'CDKTF_OUTDIR', 'MULTIREGION_DEBUG']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

function runNode(script: string, args: readonly string[], extra: Record<string, string> = {}): ReturnType<typeof run> {
  return run(process.execPath, [path.join(REPO_ROOT, script), ...args], { cwd: REPO_ROOT, env: frameworkEnv(extra), timeoutMs: NODE_TIMEOUT_MS });
}

/** Where the framework says a stack keeps its state (`tag explain --json`). */
export interface ReportedBackend {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  readonly dynamodbTable: string | null;
  readonly useLockfile: boolean;
  readonly kmsKeyId: string;
}

export interface TagExplanation {
  readonly tag: string;
  readonly stack: string;
  readonly backend: ReportedBackend;
}

/** `multiregion tag explain <tag> --json --environments <dir>`. */
export async function explainTag(tag: string, environmentsDir: string): Promise<TagExplanation> {
  const result = succeeded(await runNode('bin/multiregion.js', ['tag', 'explain', tag, '--json', '--environments', environmentsDir]));
  const explanation = JSON.parse(result.stdout) as TagExplanation;
  if (typeof explanation.stack !== 'string' || typeof explanation.backend?.bucket !== 'string' || typeof explanation.backend.key !== 'string') {
    throw new Error(`unexpected tag explain output: ${result.stdout}`);
  }
  return explanation;
}

export interface SynthesizedStack {
  readonly stack: string;
  /** `terraform.backend.s3` of the stack's cdk.tf.json. */
  readonly s3Backend: Record<string, unknown>;
}

/**
 * `DEPLOY_TAG=<tag> ENVIRONMENTS_DIR=<dir> CDKTF_OUTDIR=<out> node bin/app.js`, then the S3
 * backend block of the one stack it wrote.
 */
export async function synthesizeForTag(tag: string, environmentsDir: string, outDir: string): Promise<SynthesizedStack> {
  // cdktf creates the out dir itself, but not its parents.
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  // The state-layout tests synthesize tags that exist in no repository: the experiment override.
  succeeded(await runNode('bin/app.js', [], { DEPLOY_TAG: tag, ENVIRONMENTS_DIR: environmentsDir, CDKTF_OUTDIR: outDir, MULTIREGION_ALLOW_UNRELEASED: '1' }));
  const stacks = fs.readdirSync(path.join(outDir, 'stacks'));
  if (stacks.length !== 1) throw new Error(`DEPLOY_TAG=${tag} synthesized ${stacks.length} stacks (${stacks.join(', ')}), expected exactly one`);
  const [stack] = stacks;
  const json = JSON.parse(fs.readFileSync(path.join(outDir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
    terraform?: { backend?: { s3?: Record<string, unknown> } };
  };
  const s3Backend = json.terraform?.backend?.s3;
  if (s3Backend === undefined) throw new Error(`${stack}/cdk.tf.json has no terraform.backend.s3 block`);
  return { stack, s3Backend };
}

/** Compiles the project if it is stale, so that the first test does not pay for it. */
export async function ensureFrameworkBuilt(): Promise<void> {
  succeeded(await runNode('bin/multiregion.js', ['--help']));
}
