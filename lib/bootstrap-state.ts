import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from './errors';

/**
 * Where the first deploy of a tooling or access stack keeps its state, before the bucket that will
 * hold it exists. The file is the only record of the buckets and keys just created, so it lives
 * outside cdktf.out (which every narrower synth rewrites) at an absolute path, and a second
 * bootstrap never starts over an existing one by accident.
 */

/** `MULTIREGION_BOOTSTRAP`: unset (S3 state), `1` (a first deploy) or `resume` (continue one). */
export type BootstrapMode = 'off' | 'new' | 'resume';

export const DEFAULT_BOOTSTRAP_STATE_DIR = 'bootstrap-state';

export function bootstrapModeFromEnv(env: NodeJS.ProcessEnv = process.env): BootstrapMode {
  const value = env.MULTIREGION_BOOTSTRAP;
  if (value === undefined || value === '' || value === '0') return 'off';
  if (value === '1') return 'new';
  if (value === 'resume') return 'resume';
  throw new UserError(
    `MULTIREGION_BOOTSTRAP=${value}: expected 1 (first deploy of a tooling or access stack) or resume (continue a bootstrap that stopped half-way)`,
  );
}

/**
 * The directory of bootstrap state files: `MULTIREGION_BOOTSTRAP_STATE_DIR`, else
 * `bootstrap-state/` in the project directory; never inside the synth output directory.
 */
export function bootstrapStateDir(cwd: string, outdir: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.MULTIREGION_BOOTSTRAP_STATE_DIR;
  const dir = path.resolve(cwd, configured !== undefined && configured !== '' ? configured : DEFAULT_BOOTSTRAP_STATE_DIR);
  const out = path.resolve(cwd, outdir);
  if (dir === out || dir.startsWith(out + path.sep)) {
    throw new UserError(
      `MULTIREGION_BOOTSTRAP_STATE_DIR=${configured ?? ''}: ${dir} is inside the synth output ${out}, which the next synth rewrites; choose a directory outside it`,
    );
  }
  return dir;
}

/** The bootstrap state file of one stack. */
export function bootstrapStatePath(dir: string, stack: string): string {
  return path.join(dir, `${stack}.tfstate`);
}

/**
 * Refuses a new bootstrap over existing state files (they hold the only record of what the last
 * bootstrap created); `resume` continues from them. Creates the directory for the files to come.
 */
export function prepareBootstrapState(dir: string, stacks: readonly string[], mode: Exclude<BootstrapMode, 'off'>): Map<string, string> {
  const paths = new Map(stacks.map((stack) => [stack, bootstrapStatePath(dir, stack)]));
  if (mode === 'new') {
    const existing = [...paths.values()].filter((file) => fs.existsSync(file));
    if (existing.length > 0) {
      throw new UserError(
        `MULTIREGION_BOOTSTRAP=1: bootstrap state already exists (${existing.join(', ')}): move it to S3 as docs/pipelines.md "Bootstrap" says, or set MULTIREGION_BOOTSTRAP=resume to continue that bootstrap`,
      );
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  return paths;
}
