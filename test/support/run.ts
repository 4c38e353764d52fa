import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, tempDir, writeOrg } from './org';

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const CHILD_ENV = { ...process.env, MULTIREGION_SKIP_BUILD: '1', NO_COLOR: '1', FORCE_COLOR: '0' };

/** Runs the `multiregion` CLI (compiled; the jest global setup builds it). */
export function cli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'multiregion.js'), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...CHILD_ENV, ...options.env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the cdktf app command (`node bin/app.js`), as `cdktf synth` does, writing to `outdir`. */
export function synthApp(outdir: string, env: NodeJS.ProcessEnv, cwd = REPO_ROOT): RunResult {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'app.js')], {
    cwd,
    env: { ...CHILD_ENV, CDKTF_OUTDIR: outdir, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs git in a directory with a fixed identity, failing loudly. */
export function git(cwd: string, args: readonly string[]): string {
  const result = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** A git repository with a small organisation in environments/ committed on main (cdktf.out ignored). */
export function repoWithOrg(): string {
  const repo = tempDir('repo');
  git(repo, ['init', '-q', '-b', 'main']);
  writeOrg(undefined, path.join(repo, 'environments'));
  fs.writeFileSync(path.join(repo, '.gitignore'), 'cdktf.out/\n');
  git(repo, ['add', '.']);
  git(repo, ['commit', '-q', '-m', 'infra']);
  return repo;
}
