import * as fs from 'node:fs';
import * as path from 'node:path';
import { commitAtSync, workingTreeChangesSync } from '../../../lib/git/sync-reader';
import { tempDir } from '../../support/org';
import { git } from '../../support/run';

/** The synchronous reads of the synth's tag check, against real temporary repositories. */

function repoWithCommit(): { dir: string; commit: string } {
  const dir = tempDir('git-sync');
  git(dir, ['init', '-q', '-b', 'main']);
  fs.writeFileSync(path.join(dir, 'main.tf'), '# infra\n');
  fs.writeFileSync(path.join(dir, '.gitignore'), 'cdktf.out/\n');
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'infra']);
  return { dir, commit: git(dir, ['rev-parse', 'HEAD']).trim() };
}

describe('commitAtSync', () => {
  test('GIVEN HEAD, an annotated and a lightweight tag THEN each is the commit it names', () => {
    const { dir, commit } = repoWithCommit();
    git(dir, ['tag', '-a', '-m', 'release', 'dev_us-east-1/research/1.0']);
    git(dir, ['commit', '-q', '--allow-empty', '-m', 'later']);
    git(dir, ['tag', 'dev_us-east-1/research/1.1']);
    const later = git(dir, ['rev-parse', 'HEAD']).trim();
    expect(commitAtSync(dir, 'HEAD')).toBe(later);
    expect(commitAtSync(dir, 'refs/tags/dev_us-east-1/research/1.0')).toBe(commit);
    expect(commitAtSync(dir, 'refs/tags/dev_us-east-1/research/1.1')).toBe(later);
  });

  test('GIVEN a missing tag, a repository without commits or a plain directory THEN there is no commit', () => {
    const { dir } = repoWithCommit();
    expect(commitAtSync(dir, 'refs/tags/dev_us-east-1/research/9.0')).toBeUndefined();
    const empty = tempDir('git-sync-empty');
    git(empty, ['init', '-q']);
    expect(commitAtSync(empty, 'HEAD')).toBeUndefined();
    expect(commitAtSync(tempDir('git-sync-plain'), 'HEAD')).toBeUndefined();
  });
});

describe('workingTreeChangesSync', () => {
  test('GIVEN a clean tree with ignored files THEN there are no changes', () => {
    const { dir } = repoWithCommit();
    fs.mkdirSync(path.join(dir, 'cdktf.out'));
    fs.writeFileSync(path.join(dir, 'cdktf.out', 'manifest.json'), '{}');
    expect(workingTreeChangesSync(dir)).toEqual([]);
  });

  test('GIVEN a changed tracked file and an untracked one THEN both are listed as porcelain lines', () => {
    const { dir } = repoWithCommit();
    fs.appendFileSync(path.join(dir, 'main.tf'), '# edited\n');
    fs.writeFileSync(path.join(dir, 'extra.ts'), '');
    expect(workingTreeChangesSync(dir)).toEqual([' M main.tf', '?? extra.ts']);
  });

  test('GIVEN a plain directory THEN it throws', () => {
    expect(() => workingTreeChangesSync(tempDir('git-sync-plain'))).toThrow(/git status/);
  });
});
