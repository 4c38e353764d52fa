import { execFileSync } from 'node:child_process';

/**
 * The one exception to the git adapter (lib/git/repository.ts): two synchronous reads for the tag
 * check every `DEPLOY_TAG` synth makes (lib/tag-checkout.ts), on the hot path of every release.
 * Plain `git` through execFileSync, three calls of about 8 ms in all, rather than simple-git,
 * whose loading alone costs 20-35 ms of a 0.4 s tag-selected synth (the synth benchmark asks the
 * tag synth to be at least 20 times faster than its baseline). This file must never import
 * simple-git or lib/git/repository.ts; test/lib/git/ checks that the synth never loads simple-git.
 * Everything else runs git through GitRepository.
 */

function git(repoDir: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/**
 * The commit `rev` names in the repository at `repoDir` (`HEAD`, `refs/tags/<tag>`; annotated
 * tags are peeled), or undefined when it names none, the repository has no commit or `repoDir`
 * is not a repository at all.
 */
export function commitAtSync(repoDir: string, rev: string): string | undefined {
  try {
    const commit = git(repoDir, ['rev-parse', '--verify', '-q', `${rev}^{commit}`]).trim();
    return commit === '' ? undefined : commit;
  } catch {
    return undefined;
  }
}

/**
 * The working tree's changes as `git status --porcelain` lines (`XY path`): tracked files that
 * differ from HEAD and untracked files; ignored ones (cdktf.out/) do not count. Throws when
 * `repoDir` is not a repository.
 */
export function workingTreeChangesSync(repoDir: string): string[] {
  return git(repoDir, ['status', '--porcelain', '--untracked-files=normal'])
    .split('\n')
    .filter((line) => line.trim() !== '');
}
