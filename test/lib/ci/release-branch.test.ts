import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertOnReleaseBranch } from '../../../lib/ci/release-branch';
import { UserError } from '../../../lib/errors';
import { tempDir } from '../../support/org';
import { git } from '../../support/run';

/** An origin with main (one commit) and a side branch (one more), and a shallow clone of the side commit. */
function repos(): { clone: string; mainCommit: string; sideCommit: string } {
  const work = tempDir('branch-work');
  git(work, ['init', '-q', '-b', 'main']);
  fs.writeFileSync(path.join(work, 'a.txt'), 'a\n');
  git(work, ['add', '.']);
  git(work, ['commit', '-q', '-m', 'reviewed']);
  const mainCommit = git(work, ['rev-parse', 'HEAD']).trim();
  git(work, ['checkout', '-q', '-b', 'feature']);
  git(work, ['commit', '-q', '--allow-empty', '-m', 'not reviewed']);
  const sideCommit = git(work, ['rev-parse', 'HEAD']).trim();
  const origin = tempDir('branch-origin');
  git(origin, ['init', '-q', '--bare']);
  git(work, ['push', '-q', origin, 'main', 'feature']);
  const clone = tempDir('branch-clone');
  // As CodeBuild does: a clone at the pushed ref (here shallow, to exercise the unshallow fetch).
  git(clone, ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin}`, '.']);
  return { clone, mainCommit, sideCommit };
}

describe('assertOnReleaseBranch', () => {
  test('GIVEN a tagged commit on the release branch WHEN checked from a shallow clone THEN it passes', () => {
    const { clone, mainCommit } = repos();
    expect(() => assertOnReleaseBranch(clone, 'dev_us-east-1/research/1.0', mainCommit, 'main')).not.toThrow();
  });

  test('GIVEN a tagged commit only on a side branch WHEN checked THEN the release is refused', () => {
    const { clone, sideCommit } = repos();
    expect(() => assertOnReleaseBranch(clone, 'dev_us-east-1/research/1.1', sideCommit, 'main')).toThrow(
      new UserError(`release dev_us-east-1/research/1.1 points at ${sideCommit.slice(0, 12)}, which is not on the release branch 'main': merge it first, then tag the merged commit`),
    );
  });

  test('GIVEN a release branch that origin does not have WHEN checked THEN it fails closed', () => {
    const { clone, mainCommit } = repos();
    expect(() => assertOnReleaseBranch(clone, 'dev_us-east-1/research/1.0', mainCommit, 'release')).toThrow(/cannot fetch the release branch 'release' from origin/);
  });
});
