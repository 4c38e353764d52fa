import { UserError } from './errors';
import { commitAtSync, workingTreeChangesSync } from './git/sync-reader';

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
  // Synchronous git reads, not the git adapter: this check is on the hot path of every release
  // synth, where loading simple-git would cost more than the check (lib/git/sync-reader.ts).
  const head = commitAtSync(repoDir, 'HEAD');
  if (head === undefined) {
    throw new UserError(
      `DEPLOY_TAG=${tag}: ${repoDir} is not a git repository with a commit, so the tag's code cannot be checked: run synth in the repository that holds the tag${override}`,
    );
  }
  const tagged = commitAtSync(repoDir, `refs/tags/${tag}`);
  if (tagged === undefined) {
    throw new UserError(
      `DEPLOY_TAG=${tag}: no such tag in ${repoDir}: create it on the commit to release (npx multiregion tag create ...) or fetch it (git fetch --tags)${override}`,
    );
  }
  if (tagged !== head) {
    throw new UserError(
      `DEPLOY_TAG=${tag}: the tag points at ${tagged.slice(0, 12)} but HEAD is ${head.slice(0, 12)}: check it out first (git checkout ${tag})${override}`,
    );
  }
  const changed = workingTreeChangesSync(repoDir);
  if (changed.length > 0) {
    const first = changed[0].slice(3);
    throw new UserError(
      `DEPLOY_TAG=${tag}: the working tree has ${changed.length} uncommitted change${changed.length === 1 ? '' : 's'} (${first}${changed.length > 1 ? ', ...' : ''}), so it is not the tagged code: commit or stash them${override}`,
    );
  }
}
