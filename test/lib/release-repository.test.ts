import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../lib/errors';
import { assertPushRemote, createTagsAtHead, existingTags, OUTSIDE_REPOSITORY_HINT, requireHead, requireRepository } from '../../lib/release-repository';
import { tempDir } from '../support/org';
import { git } from '../support/run';

/** The repository checks of tag create, tag list and release, against real temporary repositories. */

function repo(): string {
  const dir = tempDir('release-repo');
  git(dir, ['init', '-q', '-b', 'main']);
  return dir;
}

function repoWithCommit(): { dir: string; commit: string } {
  const dir = repo();
  fs.writeFileSync(path.join(dir, 'main.tf'), '# infra\n');
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'infra']);
  return { dir, commit: git(dir, ['rev-parse', 'HEAD']).trim() };
}

/** The one-line message a promise rejects with, as a UserError. */
async function userError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as UserError).problems.join('\n');
}

describe('the repository of a release', () => {
  test('GIVEN a repository with a commit THEN it is opened and HEAD is that commit', async () => {
    const { dir, commit } = repoWithCommit();
    expect(await requireHead(await requireRepository(dir))).toBe(commit);
  });

  test('GIVEN a plain directory THEN the error names it, with the hint when given', async () => {
    const dir = tempDir('release-plain');
    expect(await userError(requireRepository(dir))).toBe(`${dir} is not a git repository`);
    expect(await userError(requireRepository(dir, OUTSIDE_REPOSITORY_HINT))).toBe(
      `${dir} is not a git repository: run the command inside the infrastructure repository`,
    );
  });

  test('GIVEN no commit yet THEN HEAD is refused', async () => {
    expect(await userError(requireHead(await requireRepository(repo())))).toBe('the repository has no commits: commit the code to release first');
  });

  test('GIVEN remotes THEN a configured one passes and another is refused, naming the ones there are', async () => {
    const { dir } = repoWithCommit();
    const repository = await requireRepository(dir);
    expect(await userError(assertPushRemote(repository, 'origin'))).toBe(
      '--push: this repository has no git remote: add one (git remote add origin <url>) or leave out --push and push the tags later',
    );
    git(dir, ['remote', 'add', 'origin', tempDir('release-remote')]);
    await assertPushRemote(repository, 'origin');
    expect(await userError(assertPushRemote(repository, 'upstream'))).toBe("--remote 'upstream' is not a remote of this repository (expected one of: origin)");
  });

  test('GIVEN tags at HEAD and elsewhere THEN existingTags lists those that exist, in the order asked, with where they point', async () => {
    const { dir, commit } = repoWithCommit();
    git(dir, ['tag', '-a', '-m', 'old', 'dev_us-east-1/research/1.0']);
    git(dir, ['commit', '-q', '--allow-empty', '-m', 'later']);
    git(dir, ['tag', 'dev_global/research/1.0']);
    const repository = await requireRepository(dir);
    const head = await requireHead(repository);
    const asked = ['dev_global/research/1.0', 'dev_us-east-1/research/1.0', 'dev_eu-central-1/research/1.0'];
    expect(await existingTags(repository, asked, head)).toEqual([
      { tag: 'dev_global/research/1.0', target: head, atHead: true },
      { tag: 'dev_us-east-1/research/1.0', target: commit, atHead: false },
    ]);
    expect(await existingTags(repository, ['dev_eu-central-1/research/1.0'], head)).toEqual([]);
  });
});

describe('creating the tags of a release', () => {
  const tagsOf = (dir: string): string[] =>
    git(dir, ['tag', '--list'])
      .split('\n')
      .filter((t) => t !== '');

  test('GIVEN valid names THEN every tag is created on HEAD, in order, and reported', async () => {
    const { dir, commit } = repoWithCommit();
    const reported: string[] = [];
    await createTagsAtHead(
      await requireRepository(dir),
      [
        { name: 'dev_global/research/1.0', message: 'm' },
        { name: 'dev_us-east-1/research/1.0', message: 'm' },
      ],
      (t) => reported.push(t),
    );
    expect(reported).toEqual(['dev_global/research/1.0', 'dev_us-east-1/research/1.0']);
    expect(git(dir, ['rev-list', '-n', '1', 'dev_us-east-1/research/1.0']).trim()).toBe(commit);
  });

  test("GIVEN a second tag git refuses THEN the first is removed again and one line gives git's reason", async () => {
    const { dir } = repoWithCommit();
    const message = await userError(
      createTagsAtHead(await requireRepository(dir), [
        { name: 'dev_global/research/1.0', message: 'm' },
        { name: 'bad..name', message: 'm' },
      ]),
    );
    expect(message).toBe(
      "creating tag bad..name failed (fatal: 'bad..name' is not a valid tag name.); removed the tag(s) created before it (dev_global/research/1.0), so no tag was added: fix the cause (e.g. git config user.email), then run the command again",
    );
    expect(tagsOf(dir)).toEqual([]);
  });
});
