import { UserError } from './errors';
import { GitCommandError, type GitRepository } from './git/repository';

/** The command that pushes tags one at a time, in order (each push is its own trigger event). */
export function pushCommand(remote: string, tags: readonly string[]): string {
  return tags.map((tag) => `git push ${remote} refs/tags/${tag}`).join(' && ');
}

/**
 * Pushes tags one at a time, in order, printing each. A failed push is a user-facing problem
 * (network, credentials, a protected ref), not a bug: the error says which tag failed and why,
 * which were pushed, and the exact command that pushes the rest once the cause is fixed. The local
 * tags stay: they point at the right commit, and tags are never moved or recreated.
 */
export async function pushTagsInOrder(git: GitRepository, remote: string, tags: readonly string[], print: (line: string) => void): Promise<void> {
  for (const [index, tag] of tags.entries()) {
    try {
      await git.pushTag(remote, tag);
    } catch (error) {
      if (!(error instanceof GitCommandError)) throw error;
      const reason = error.reason;
      const pushed = tags.slice(0, index);
      const rest = tags.slice(index);
      throw new UserError(
        `push of ${tag} to ${remote} failed (${reason}); ${pushed.length > 0 ? `pushed: ${pushed.join(', ')}; ` : 'nothing was pushed; '}created but not pushed: ${rest.join(', ')}: fix the cause, then run: ${pushCommand(remote, rest)}`,
      );
    }
    print(`pushed ${tag} to ${remote}`);
  }
}

/**
 * The message for a release tag that already exists: a tag at HEAD is most likely one whose push
 * failed earlier, so name the push; elsewhere, a new version is the way. `untagged`: the tags of
 * the same release that do not exist yet, with how to create only those.
 */
export function existingTagProblem(
  tags: readonly { tag: string; target: string; atHead: boolean }[],
  remote: string,
  untagged: readonly string[] = [],
): string {
  const atHead = tags.filter((t) => t.atHead).map((t) => t.tag);
  const elsewhere = tags.filter((t) => !t.atHead).map((t) => `${t.tag} (on ${t.target.slice(0, 12)})`);
  const parts: string[] = [];
  if (elsewhere.length > 0) parts.push(`tag(s) already exist on other commits: ${elsewhere.join(', ')}; release a new version instead of moving tags`);
  if (atHead.length > 0) parts.push(`tag(s) already exist at HEAD: ${atHead.join(', ')}; if an earlier push failed, push them: ${pushCommand(remote, atHead)}`);
  if (untagged.length > 0)
    parts.push(`not tagged yet: ${untagged.join(', ')}: tag only those by naming their scopes (--regions, --global), or release a new version`);
  return parts.join('; ');
}
