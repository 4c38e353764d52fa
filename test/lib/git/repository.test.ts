import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitCommandError, gitReason, GitRepository } from '../../../lib/git/repository';
import { UserError } from '../../../lib/errors';
import { pushTagsInOrder } from '../../../lib/tag-push';
import { tempDir } from '../../support/org';
import { git } from '../../support/run';

/**
 * The git adapter against real temporary repositories (no mocks): each method once as it should
 * work and once where it can fail.
 */

/** A repository with one commit; the adapter runs git with the jest worker's environment, so the identity is configured. */
function repoWithCommit(): { dir: string; commit: string } {
  const dir = emptyRepo();
  fs.writeFileSync(path.join(dir, 'main.tf'), '# infra\n');
  fs.writeFileSync(path.join(dir, '.gitignore'), 'cdktf.out/\n');
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'infra']);
  return { dir, commit: git(dir, ['rev-parse', 'HEAD']).trim() };
}

function emptyRepo(): string {
  const dir = tempDir('git-adapter');
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.name', 'Test']);
  git(dir, ['config', 'user.email', 'test@example.com']);
  return dir;
}

function bareRemote(): string {
  const dir = tempDir('git-remote');
  git(dir, ['init', '-q', '--bare']);
  return dir;
}

const notARepository = (): string => tempDir('not-a-repo');

/** The GitCommandError a promise rejects with. */
async function gitFailure(promise: Promise<unknown>): Promise<GitCommandError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitCommandError);
  return error as GitCommandError;
}

describe('GitRepository reads', () => {
  test('GIVEN a repository THEN isRepository is true, also from a subdirectory', async () => {
    const { dir } = repoWithCommit();
    fs.mkdirSync(path.join(dir, 'environments'));
    expect(await new GitRepository(dir).isRepository()).toBe(true);
    expect(await new GitRepository(path.join(dir, 'environments')).isRepository()).toBe(true);
  });

  test('GIVEN a plain directory, or none at all THEN isRepository is false', async () => {
    expect(await new GitRepository(notARepository()).isRepository()).toBe(false);
    expect(await new GitRepository(path.join(notARepository(), 'missing')).isRepository()).toBe(false);
  });

  test('GIVEN a commit THEN head is it; GIVEN no commit yet THEN head is undefined', async () => {
    const { dir, commit } = repoWithCommit();
    expect(await new GitRepository(dir).head()).toBe(commit);
    expect(await new GitRepository(emptyRepo()).head()).toBeUndefined();
  });

  test('GIVEN a plain directory THEN head fails with git reason', async () => {
    const error = await gitFailure(new GitRepository(notARepository()).head());
    expect(error.reason).toMatch(/^fatal: not a git repository/);
    expect(error.message).toBe(`git rev-parse --verify --quiet HEAD: ${error.reason}`);
  });

  test('GIVEN lightweight and annotated tags on a commit THEN tagsAt lists them sorted, and nothing for another commit', async () => {
    const { dir, commit } = repoWithCommit();
    git(dir, ['tag', 'v2']);
    git(dir, ['tag', '-a', '-m', 'release', 'dev_us-east-1/research/1.0']);
    git(dir, ['commit', '-q', '--allow-empty', '-m', 'later']);
    const repo = new GitRepository(dir);
    expect(await repo.tagsAt(commit)).toEqual(['dev_us-east-1/research/1.0', 'v2']);
    expect(await repo.tagsAt('HEAD')).toEqual([]);
  });

  test('GIVEN a revision that names nothing THEN tagsAt fails with git reason', async () => {
    const { dir } = repoWithCommit();
    expect((await gitFailure(new GitRepository(dir).tagsAt('no-such-rev'))).reason).toBe("error: malformed object name 'no-such-rev'");
  });

  test('GIVEN tags THEN listTags lists all of them, or those matching the names asked for', async () => {
    const { dir } = repoWithCommit();
    const repo = new GitRepository(dir);
    expect(await repo.listTags()).toEqual([]);
    for (const tag of ['dev_global/risk/1.0', 'dev_us-east-1/research/1.0', 'v2']) git(dir, ['tag', tag]);
    expect(await repo.listTags()).toEqual(['dev_global/risk/1.0', 'dev_us-east-1/research/1.0', 'v2']);
    expect(await repo.listTags(['v2', 'dev_global/risk/1.0', 'dev_global/risk/2.0'])).toEqual(['dev_global/risk/1.0', 'v2']);
  });

  test('GIVEN a plain directory THEN listTags fails', async () => {
    expect((await gitFailure(new GitRepository(notARepository()).listTags())).reason).toMatch(/not a git repository/);
  });

  test('GIVEN an annotated and a lightweight tag THEN tagTarget is the commit each points at; a missing tag has none', async () => {
    const { dir, commit } = repoWithCommit();
    git(dir, ['tag', '-a', '-m', 'release', 'dev_global/risk/1.0']);
    git(dir, ['commit', '-q', '--allow-empty', '-m', 'later']);
    git(dir, ['tag', 'dev_global/risk/1.1']);
    // A branch of the same name is not a tag.
    git(dir, ['branch', 'dev_global/risk/2.0', commit]);
    const repo = new GitRepository(dir);
    expect(await repo.tagTarget('dev_global/risk/1.0')).toBe(commit);
    expect(await repo.tagTarget('dev_global/risk/1.1')).toBe(await repo.head());
    expect(await repo.tagTarget('dev_global/risk/2.0')).toBeUndefined();
    // A tag of a tree (not a commit) still exists: its tree is what it points at.
    git(dir, ['tag', 'dev_global/risk/3.0', 'HEAD^{tree}']);
    expect(await repo.tagTarget('dev_global/risk/3.0')).toBe(git(dir, ['rev-parse', 'HEAD^{tree}']).trim());
  });

  test('GIVEN a plain directory THEN tagTarget fails', async () => {
    expect((await gitFailure(new GitRepository(notARepository()).tagTarget('v1'))).reason).toMatch(/not a git repository/);
  });

  test('GIVEN remotes THEN remotes names them; GIVEN none THEN it is empty', async () => {
    const { dir } = repoWithCommit();
    const repo = new GitRepository(dir);
    expect(await repo.remotes()).toEqual([]);
    git(dir, ['remote', 'add', 'origin', bareRemote()]);
    git(dir, ['remote', 'add', 'upstream', bareRemote()]);
    expect((await repo.remotes()).sort()).toEqual(['origin', 'upstream']);
  });

  test('GIVEN a plain directory THEN remotes fails', async () => {
    const error = await gitFailure(new GitRepository(notARepository()).remotes());
    expect(error.message).toMatch(/^git remote: .*not a git repository/);
  });

  test('GIVEN changes THEN isClean is false for tracked and untracked files, true for ignored ones', async () => {
    const { dir } = repoWithCommit();
    const repo = new GitRepository(dir);
    fs.mkdirSync(path.join(dir, 'cdktf.out'));
    fs.writeFileSync(path.join(dir, 'cdktf.out', 'manifest.json'), '{}');
    expect(await repo.isClean()).toBe(true);
    fs.writeFileSync(path.join(dir, 'extra.ts'), '');
    expect(await repo.isClean()).toBe(false);
    fs.rmSync(path.join(dir, 'extra.ts'));
    fs.appendFileSync(path.join(dir, 'main.tf'), '# edited\n');
    expect(await repo.isClean()).toBe(false);
  });

  test('GIVEN a plain directory THEN isClean fails', async () => {
    expect((await gitFailure(new GitRepository(notARepository()).isClean())).message).toMatch(/^git status: /);
  });
});

describe('GitRepository writes', () => {
  test('GIVEN a commit WHEN an annotated tag is created THEN it is a tag object with the message, on HEAD', async () => {
    const { dir, commit } = repoWithCommit();
    await new GitRepository(dir).createAnnotatedTag('dev_us-east-1/research/1.0', 'Release 1.0 of team research');
    expect(git(dir, ['cat-file', '-t', 'dev_us-east-1/research/1.0']).trim()).toBe('tag');
    expect(git(dir, ['rev-list', '-n', '1', 'dev_us-east-1/research/1.0']).trim()).toBe(commit);
    expect(git(dir, ['tag', '-l', '--format=%(contents)', 'dev_us-east-1/research/1.0']).trim()).toBe('Release 1.0 of team research');
  });

  test('GIVEN the tag exists on another commit WHEN created again THEN it fails and the tag does not move', async () => {
    const { dir, commit } = repoWithCommit();
    git(dir, ['tag', 'dev_global/risk/1.0']);
    git(dir, ['commit', '-q', '--allow-empty', '-m', 'later']);
    const error = await gitFailure(new GitRepository(dir).createAnnotatedTag('dev_global/risk/1.0', 'again'));
    expect(error.reason).toBe("fatal: tag 'dev_global/risk/1.0' already exists");
    expect(git(dir, ['rev-list', '-n', '1', 'dev_global/risk/1.0']).trim()).toBe(commit);
  });

  test('GIVEN a remote WHEN a tag is pushed THEN the remote has it, and only it', async () => {
    const { dir } = repoWithCommit();
    const remote = bareRemote();
    git(dir, ['remote', 'add', 'origin', remote]);
    git(dir, ['tag', 'dev_global/risk/1.0']);
    git(dir, ['tag', 'dev_global/risk/1.1']);
    await new GitRepository(dir).pushTag('origin', 'dev_global/risk/1.0');
    expect(git(remote, ['tag', '-l'])).toBe('dev_global/risk/1.0\n');
    expect(git(remote, ['branch', '--list'])).toBe('');
  });

  test('GIVEN a remote that does not exist WHEN a tag is pushed THEN it fails with git reason', async () => {
    const { dir } = repoWithCommit();
    git(dir, ['tag', 'dev_global/risk/1.0']);
    const error = await gitFailure(new GitRepository(dir).pushTag('nowhere', 'dev_global/risk/1.0'));
    expect(error.reason).toBe("fatal: 'nowhere' does not appear to be a git repository");
    expect(error.args).toEqual(['push', 'nowhere', 'refs/tags/dev_global/risk/1.0']);
  });

  test('GIVEN a remote that does not exist WHEN tags are pushed in order THEN a UserError names the tag, the reason and the exact push command', async () => {
    const { dir } = repoWithCommit();
    const tags = ['dev_global/risk/1.0', 'dev_us-east-1/risk/1.0'];
    for (const tag of tags) git(dir, ['tag', tag]);
    const printed: string[] = [];
    const error = await pushTagsInOrder(new GitRepository(dir), 'nowhere', tags, (line) => printed.push(line)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).problems).toEqual([
      "push of dev_global/risk/1.0 to nowhere failed (fatal: 'nowhere' does not appear to be a git repository); nothing was pushed; " +
        'created but not pushed: dev_global/risk/1.0, dev_us-east-1/risk/1.0: fix the cause, then run: ' +
        'git push nowhere refs/tags/dev_global/risk/1.0 && git push nowhere refs/tags/dev_us-east-1/risk/1.0',
    ]);
    expect(printed).toEqual([]);
  });

  test('GIVEN a remote WHEN tags are pushed in order THEN each is printed as it is pushed', async () => {
    const { dir } = repoWithCommit();
    const remote = bareRemote();
    git(dir, ['remote', 'add', 'origin', remote]);
    const tags = ['dev_global/risk/1.0', 'dev_us-east-1/risk/1.0'];
    for (const tag of tags) git(dir, ['tag', tag]);
    const printed: string[] = [];
    await pushTagsInOrder(new GitRepository(dir), 'origin', tags, (line) => printed.push(line));
    expect(printed).toEqual(['pushed dev_global/risk/1.0 to origin', 'pushed dev_us-east-1/risk/1.0 to origin']);
    expect(git(remote, ['tag', '-l'])).toBe('dev_global/risk/1.0\ndev_us-east-1/risk/1.0\n');
  });
});

describe('GitRepository worktrees', () => {
  test('GIVEN an older commit WHEN a detached worktree is added THEN it holds that commit, and no branch is created', async () => {
    const { dir, commit } = repoWithCommit();
    fs.writeFileSync(path.join(dir, 'later.tf'), '# later\n');
    git(dir, ['add', '.']);
    git(dir, ['commit', '-q', '-m', 'later']);
    const worktree = path.join(dir, '.multiregion', 'drift', 'research-dev-global');
    await new GitRepository(dir).addDetachedWorktree(worktree, commit);
    expect(git(worktree, ['rev-parse', 'HEAD']).trim()).toBe(commit);
    expect(fs.existsSync(path.join(worktree, 'main.tf'))).toBe(true);
    expect(fs.existsSync(path.join(worktree, 'later.tf'))).toBe(false);
    expect(git(worktree, ['status', '--porcelain', '--branch']).split('\n')[0]).toBe('## HEAD (no branch)');
    expect(git(dir, ['branch', '--list']).trim()).toBe('* main');
  });

  test('GIVEN a commit the repository does not have WHEN a worktree is added THEN it fails with git reason and leaves nothing', async () => {
    const { dir } = repoWithCommit();
    const worktree = path.join(dir, '.multiregion', 'drift', 'x');
    const error = await gitFailure(new GitRepository(dir).addDetachedWorktree(worktree, 'f'.repeat(40)));
    expect(error.reason).toBe(`fatal: invalid reference: ${'f'.repeat(40)}`);
    expect(fs.existsSync(worktree)).toBe(false);
  });

  test('GIVEN a worktree with changes WHEN removed THEN its directory and registration are gone; a directory deleted earlier can be added again', async () => {
    const { dir, commit } = repoWithCommit();
    const repo = new GitRepository(dir);
    const worktree = path.join(tempDir('worktrees'), 'stack');
    await repo.addDetachedWorktree(worktree, commit);
    fs.writeFileSync(path.join(worktree, 'main.tf'), '# changed by a synth\n');
    await repo.removeWorktree(worktree);
    expect(fs.existsSync(worktree)).toBe(false);
    expect(git(dir, ['worktree', 'list'])).not.toContain(worktree);
    // A run that died leaves the registration; the next one deletes the directory and adds it again.
    await repo.addDetachedWorktree(worktree, commit);
    fs.rmSync(worktree, { recursive: true, force: true });
    await repo.addDetachedWorktree(worktree, commit);
    expect(git(worktree, ['rev-parse', 'HEAD']).trim()).toBe(commit);
  });

  test('GIVEN a directory that is no worktree WHEN removed THEN it fails with git reason', async () => {
    const { dir } = repoWithCommit();
    const error = await gitFailure(new GitRepository(dir).removeWorktree(tempDir('not-a-worktree')));
    expect(error.reason).toMatch(/^fatal: '.+' is not a working tree$/);
  });
});

describe('git reason', () => {
  test.each([
    ['the fatal line after progress output', 'Preparing worktree (detached HEAD abc)\nfatal: invalid reference: abc\n', 'fatal: invalid reference: abc'],
    ["the remote's reason, not an empty remote: line", 'remote: \nremote: tag rule: not allowed\nerror: failed to push', 'remote: tag rule: not allowed'],
    ['the first line when git names no reason', 'something odd\nhappened', 'something odd'],
    ['a placeholder for no output', '\n', 'unknown error'],
  ])('GIVEN %s THEN it is the reason', (_what, message, reason) => {
    expect(gitReason(message)).toBe(reason);
  });

  test('GIVEN a very long reason THEN it is cut to 200 characters', () => {
    expect(gitReason(`fatal: ${'x'.repeat(300)}`)).toHaveLength(200);
  });
});
