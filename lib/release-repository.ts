import { UserError } from './errors';
import { scopeName, type StackSpec } from './stack-spec';
import { GitCommandError, GitRepository } from './git/repository';

/**
 * The checks `tag create`, `tag list` and `release` make of the repository they tag, through the
 * git adapter, each failing with the one line that tells the user what to do.
 */

/** The hint of the not-a-repository error for commands that must run in the infrastructure repository. */
export const OUTSIDE_REPOSITORY_HINT = 'run the command inside the infrastructure repository';

/** The repository at `dir`; a UserError (`<dir> is not a git repository[: <hint>]`) outside one. */
export async function requireRepository(dir: string, hint?: string): Promise<GitRepository> {
  const git = new GitRepository(dir);
  if (!(await git.isRepository())) throw new UserError(`${dir} is not a git repository${hint !== undefined ? `: ${hint}` : ''}`);
  return git;
}

/** The repository `dir` is in, or undefined outside one (for checks that only apply inside one). */
export async function repositoryAt(dir: string): Promise<GitRepository | undefined> {
  const git = new GitRepository(dir);
  return (await git.isRepository()) ? git : undefined;
}

/** The commit HEAD is at, which the tags of a release point at; a UserError before the first commit. */
export async function requireHead(git: GitRepository): Promise<string> {
  const head = await git.head();
  if (head === undefined) throw new UserError('the repository has no commits: commit the code to release first');
  return head;
}

/** Refuses a `--remote` that is not a remote of the repository, before any tag is created. */
export async function assertPushRemote(git: GitRepository, remote: string): Promise<void> {
  const remotes = await git.remotes();
  if (remotes.length === 0) {
    throw new UserError(`--push: this repository has no git remote: add one (git remote add ${remote} <url>) or leave out --push and push the tags later`);
  }
  if (!remotes.includes(remote)) {
    throw new UserError(`--remote '${remote}' is not a remote of this repository (expected one of: ${remotes.join(', ')})`);
  }
}

/** Which of `names` exist as tags, in the order given, with the commit each points at and whether that is `head`. */
export async function existingTags(git: GitRepository, names: readonly string[], head: string): Promise<{ tag: string; target: string; atHead: boolean }[]> {
  const found: { tag: string; target: string; atHead: boolean }[] = [];
  for (const tag of names) {
    const target = await git.tagTarget(tag);
    if (target !== undefined) found.push({ tag, target, atHead: target === head });
  }
  return found;
}

/**
 * Creates annotated tags on HEAD in order, all or none. A failure git reports (no user.email, a
 * signing key that cannot sign, a tag name git refuses) deletes the tags this call had created,
 * none of which was pushed yet, and becomes one line with git's reason: running the command again
 * after fixing the cause starts from the same state.
 */
export async function createTagsAtHead(
  git: GitRepository,
  tags: readonly { name: string; message: string }[],
  created: (name: string) => void = () => undefined,
): Promise<void> {
  const done: string[] = [];
  for (const { name, message } of tags) {
    try {
      await git.createAnnotatedTag(name, message);
    } catch (error) {
      if (!(error instanceof GitCommandError)) throw error;
      for (const tag of [...done].reverse()) await git.deleteTag(tag);
      const undone = done.length > 0 ? `; removed the tag(s) created before it (${done.join(', ')}), so no tag was added` : '';
      throw new UserError(`creating tag ${name} failed (${error.reason})${undone}: fix the cause (e.g. git config user.email), then run the command again`);
    }
    done.push(name);
    created(name);
  }
}

/** The message of a release tag: what it deploys, shown by `git show <tag>`. */
export function releaseTagMessage(spec: StackSpec, version: string): string {
  return `Release ${version} of team ${spec.team} to ${spec.environment} ${scopeName(spec)} (stack ${spec.stack})`;
}

/** `--remote` only says where `--push` pushes: alone it is a usage error. */
export function assertRemoteOnlyWithPush(remoteGiven: boolean, push: boolean, usage: string): void {
  if (remoteGiven && !push) throw new UserError(`--remote needs --push (expected: ${usage} --push --remote <name>)`);
}

/** The warning for tags created while the working tree has changes they do not contain, if it has. */
export async function uncommittedChangesWarning(git: GitRepository, head: string): Promise<string | undefined> {
  return (await git.isClean()) ? undefined : `the working tree has uncommitted changes; the tags point at HEAD (${head.slice(0, 12)}) without them`;
}
