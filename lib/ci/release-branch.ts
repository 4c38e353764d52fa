import { spawnSync } from 'node:child_process';
import { UserError } from '../errors';

function git(repoDir: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('git', args, { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Refuses a release whose commit is not on the release branch: a tag pushed on an unmerged
 * branch must not deploy (releases ship reviewed code). Fetches the branch from `origin` first,
 * whole, since a shallow clone cannot answer the question.
 */
export function assertOnReleaseBranch(repoDir: string, tag: string, commit: string, branch: string): void {
  const remoteRef = `refs/remotes/origin/${branch}`;
  const shallow = git(repoDir, ['rev-parse', '--is-shallow-repository']).stdout.trim() === 'true';
  const fetch = git(repoDir, ['fetch', '--quiet', '--no-tags', ...(shallow ? ['--unshallow'] : []), 'origin', `+refs/heads/${branch}:${remoteRef}`]);
  if (fetch.status !== 0) {
    throw new UserError(`cannot fetch the release branch '${branch}' from origin to check release ${tag}: ${fetch.stderr.trim().split('\n')[0]}`);
  }
  const check = git(repoDir, ['merge-base', '--is-ancestor', commit, remoteRef]);
  if (check.status === 1) {
    throw new UserError(`release ${tag} points at ${commit.slice(0, 12)}, which is not on the release branch '${branch}': merge it first, then tag the merged commit`);
  }
  if (check.status !== 0) throw new UserError(`cannot check release ${tag} against the release branch '${branch}': ${check.stderr.trim().split('\n')[0]}`);
}
