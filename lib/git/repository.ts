import type { SimpleGit } from 'simple-git';

/**
 * The git adapter: the one place in lib/, cli/ and stacks/ that runs git (see docs/development.md).
 * Its methods are named for what the callers need, not for git's commands, and run through
 * simple-git, which is loaded on first use: importing this module costs nothing, so commands
 * that never touch git (and the synth) do not pay for it.
 *
 * The one exception is lib/git/sync-reader.ts, the synchronous reads of the synth's tag check.
 *
 * A git command that fails throws a {@link GitCommandError}; turning it into a message for the
 * user is the caller's business, since only the caller knows what the user was trying to do.
 */
export class GitRepository {
  private client: Promise<SimpleGit> | undefined;

  /** @param dir a directory inside the repository (git finds the root upwards, as it does itself) */
  constructor(readonly dir: string = process.cwd()) {}

  /** Whether `dir` is inside a git work tree; false for a directory that is not, or does not exist. */
  async isRepository(): Promise<boolean> {
    try {
      return await (await this.git()).checkIsRepo();
    } catch {
      return false;
    }
  }

  /** The commit HEAD is at; undefined in a repository without commits. */
  async head(): Promise<string | undefined> {
    // --quiet: a missing HEAD exits 1 without a message, which simple-git returns as empty output.
    return nonEmpty(await this.run(['rev-parse', '--verify', '--quiet', 'HEAD']));
  }

  /** The tags that point at `rev` (a commit, or anything git resolves to one), sorted. */
  async tagsAt(rev: string): Promise<string[]> {
    return lines(await this.run(['tag', '--points-at', rev])).sort();
  }

  /**
   * The tags whose names match one of `patterns` (git's glob patterns; a release tag has no glob
   * characters, so it matches only itself), or all tags when there are none; in git's order.
   */
  async listTags(patterns: readonly string[] = []): Promise<string[]> {
    return lines(await this.run(['tag', '--list', ...patterns]));
  }

  /**
   * The object a tag points at, through any annotated tag objects: the commit for a release tag,
   * or (for a tag someone made of a tree or blob) that object, so it still counts as existing.
   * Undefined when there is no such tag.
   */
  async tagTarget(name: string): Promise<string | undefined> {
    return nonEmpty(await this.run(['rev-parse', '--verify', '--quiet', `refs/tags/${name}^{}`]));
  }

  /** The names of the configured remotes. */
  async remotes(): Promise<string[]> {
    try {
      return (await (await this.git()).getRemotes()).map((remote) => remote.name);
    } catch (error) {
      throw new GitCommandError(['remote'], error);
    }
  }

  /** Whether the working tree has no changes: staged, unstaged or untracked (ignored files do not count). */
  async isClean(): Promise<boolean> {
    try {
      return (await (await this.git()).status()).isClean();
    } catch (error) {
      throw new GitCommandError(['status'], error);
    }
  }

  /** Creates an annotated tag on `rev`; fails if the tag exists (tags are never moved). */
  async createAnnotatedTag(name: string, message: string, rev = 'HEAD'): Promise<void> {
    await this.run(['tag', '--annotate', '--message', message, name, rev]);
  }

  /** Deletes a local tag (the roll-back of a tag this run created and never pushed). */
  async deleteTag(name: string): Promise<void> {
    await this.run(['tag', '--delete', name]);
  }

  /** Pushes one tag, by its full ref name (so a branch of the same name is never pushed instead). */
  async pushTag(remote: string, tag: string): Promise<void> {
    await this.run(['push', remote, `refs/tags/${tag}`]);
  }

  /**
   * Checks `commit` out into a new worktree at `dir`, with a detached HEAD (no branch is created
   * or moved). `--force`: a worktree left registered by an earlier run that died is replaced.
   */
  async addDetachedWorktree(dir: string, commit: string): Promise<void> {
    await this.run(['worktree', 'add', '--force', '--detach', dir, commit]);
  }

  /** Removes a worktree and its directory, changes and all. */
  async removeWorktree(dir: string): Promise<void> {
    await this.run(['worktree', 'remove', '--force', dir]);
  }

  private git(): Promise<SimpleGit> {
    this.client ??= import('simple-git').then(({ simpleGit }) => simpleGit({ baseDir: this.dir }));
    return this.client;
  }

  private async run(args: readonly string[]): Promise<string> {
    try {
      return await (await this.git()).raw([...args]);
    } catch (error) {
      throw new GitCommandError(args, error);
    }
  }
}

/** A git command failed; `reason` is git's own explanation, one line. */
export class GitCommandError extends Error {
  readonly args: readonly string[];
  readonly reason: string;

  constructor(args: readonly string[], cause: unknown) {
    const reason = gitReason(cause instanceof Error ? cause.message : String(cause));
    super(`git ${args.join(' ')}: ${reason}`);
    this.name = 'GitCommandError';
    this.args = args;
    this.reason = reason;
  }
}

/** Git's reason for a failure: the first `error:`/`fatal:`/`remote:` line, else the first line. */
export function gitReason(message: string): string {
  const all = lines(message);
  const reason = all.find((line) => /^(fatal|error|remote):/.test(line) && !/^remote:\s*$/.test(line)) ?? all[0] ?? 'unknown error';
  return reason.length > 200 ? `${reason.slice(0, 197)}...` : reason;
}

function lines(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function nonEmpty(output: string): string | undefined {
  const value = output.trim();
  return value === '' ? undefined : value;
}
