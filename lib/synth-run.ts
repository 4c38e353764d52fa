import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from './errors';
import { runProcess } from './subprocess';

/** What `multiregion synth` passes to the cdktf app: the same variables `cdktf synth` users set. */
export interface SynthRun {
  /** The project root: the directory of cdktf.json, where bin/app.js lives. */
  readonly projectRoot: string;
  /** The organisation directory (ENVIRONMENTS_DIR), absolute or relative to the working directory. */
  readonly environmentsDir: string;
  /** A release tag, or HEAD (DEPLOY_TAG). */
  readonly tag?: string;
  /** A stack selector (STACKS), e.g. `workload`, `tooling-dev,research-dev-global` or `research-dev-*`. */
  readonly stacks?: string;
  /** The output directory (CDKTF_OUTDIR), relative to the working directory. @default <project root>/cdktf.out */
  readonly outdir?: string;
  /** More variables for the app (the pipeline's MULTIREGION_CI_ROLES, ...). @default - none */
  readonly env?: NodeJS.ProcessEnv;
}

/** What the app wrote, from its manifest. */
export interface SynthResult {
  readonly status: number;
  readonly outdir: string;
  readonly stacks: readonly string[];
  /** Stack folders of an earlier synth that this one removed (see removeOrphanedStacks). */
  readonly removed: readonly string[];
}

/**
 * Runs the project's cdktf app (`node bin/app.js`, the "app" of cdktf.json) as `cdktf synth` does,
 * but with its output passed straight through: the app's one-line errors appear once (the cdktf
 * CLI prints them live and again in its summary) and nothing else is printed. Like `cdktf synth`,
 * it then removes the stack folders of earlier synths that this one did not write. The app does every
 * check itself (tag at HEAD, selectors, config), so this adds none.
 */
export function runSynthApp(run: SynthRun, cwd = process.cwd()): SynthResult {
  const app = path.join(run.projectRoot, 'bin', 'app.js');
  if (!fs.existsSync(app)) throw new UserError(`${app} is missing: ${run.projectRoot} is not a multiregion project (cdktf.json with "app": "node bin/app.js")`);
  const outdir = path.resolve(cwd, run.outdir ?? path.join(run.projectRoot, 'cdktf.out'));
  const env: NodeJS.ProcessEnv = { ...process.env, ...run.env, ENVIRONMENTS_DIR: path.resolve(cwd, run.environmentsDir), CDKTF_OUTDIR: outdir };
  for (const [name, value] of [
    ['DEPLOY_TAG', run.tag],
    ['STACKS', run.stacks],
  ] as const) {
    if (value !== undefined) env[name] = value;
    else delete env[name];
  }
  const result = runProcess(process.execPath, [app], { cwd: run.projectRoot, env });
  if (result.signal !== null) throw new UserError(`the synth app (node ${app}) was stopped by ${result.signal}; what it wrote is incomplete: run it again`);
  const status = result.status ?? 1;
  const manifest = path.join(outdir, 'manifest.json');
  if (status !== 0 || !fs.existsSync(manifest)) return { status, outdir, stacks: [], removed: [] };
  const stacks = Object.keys((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { stacks: Record<string, unknown> }).stacks);
  return { status, outdir, stacks, removed: removeOrphanedStacks(outdir, stacks) };
}

/**
 * Deletes the folders under `<outdir>/stacks` of stacks this synth did not write (an earlier,
 * wider synth's), as `cdktf synth` does: a later `cdktf deploy` or terraform run must not pick
 * up a stale stack. Only directories directly under stacks/ are touched.
 */
function removeOrphanedStacks(outdir: string, written: readonly string[]): string[] {
  const dir = path.join(outdir, 'stacks');
  if (!fs.existsSync(dir)) return [];
  const orphans = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !written.includes(entry.name))
    .map((entry) => entry.name)
    .sort();
  for (const name of orphans) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  return orphans;
}
