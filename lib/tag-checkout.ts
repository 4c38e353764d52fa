import { execFileSync } from 'node:child_process';
import { UserError } from './errors';

/**
 * The check every DEPLOY_TAG synth makes, on the hot path of a release: plain `git` through
 * execFileSync (three calls, about 8 ms) rather than simple-git, whose loading alone costs about
 * 35 ms of a 0.45 s tag-selected synth. Everything else that reads tags uses simple-git
 * (lib/release-tags.ts).
 */
function git(repoDir: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/** `MULTIREGION_ALLOW_UNRELEASED=1`: synthesize the working tree under a tag's name (experiments). */
export const ALLOW_UNRELEASED_VARIABLE = 'MULTIREGION_ALLOW_UNRELEASED';

/**
 * Refuses to synthesize a release from anything but its own code: the tag must exist in the
 * repository at `repoDir`, point at HEAD, and the working tree must be clean (tracked and
 * untracked files; ignored ones such as cdktf.out/ do not count). Otherwise a synth would
 * stamp `Version = <tag's version>` on code that is not that version.
 */
export function assertTagIsCheckedOut(repoDir: string, tag: string): void {
  const override = `, or set ${ALLOW_UNRELEASED_VARIABLE}=1 to synthesize the working tree under that name for an experiment`;
  let head: string;
  try {
    head = git(repoDir, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']).trim();
  } catch {
    throw new UserError(
      `DEPLOY_TAG=${tag}: ${repoDir} is not a git repository with a commit, so the tag's code cannot be checked: run synth in the repository that holds the tag${override}`,
    );
  }
  let tagged = '';
  try {
    tagged = git(repoDir, ['rev-parse', '--verify', '-q', `refs/tags/${tag}^{commit}`]).trim();
  } catch {
    tagged = '';
  }
  if (tagged === '') {
    throw new UserError(
      `DEPLOY_TAG=${tag}: no such tag in ${repoDir}: create it on the commit to release (npx multiregion tag create ...) or fetch it (git fetch --tags)${override}`,
    );
  }
  if (tagged !== head) {
    throw new UserError(
      `DEPLOY_TAG=${tag}: the tag points at ${tagged.slice(0, 12)} but HEAD is ${head.slice(0, 12)}: check it out first (git checkout ${tag})${override}`,
    );
  }
  const changed = git(repoDir, ['status', '--porcelain', '--untracked-files=normal'])
    .split('\n')
    .filter((line) => line.trim() !== '');
  if (changed.length > 0) {
    const first = changed[0].slice(3);
    throw new UserError(
      `DEPLOY_TAG=${tag}: the working tree has ${changed.length} uncommitted change${changed.length === 1 ? '' : 's'} (${first}${changed.length > 1 ? ', ...' : ''}), so it is not the tagged code: commit or stash them${override}`,
    );
  }
}
