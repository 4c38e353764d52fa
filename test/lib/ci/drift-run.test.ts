import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipelineStacks, refusedDriftResults } from '../../../lib/ci/drift';
import { runDrift } from '../../../lib/ci/drift-run';
import { planRoleName } from '../../../lib/ci/release';
import { firstLineOf, runProcess } from '../../../lib/subprocess';
import { synthTaggedStack } from '../../../lib/ci/synth-tagged';
import { UserError } from '../../../lib/errors';
import { stackMatrix } from '../../../lib/stack-spec';
import { exampleOrg } from '../../pipeline/helpers';
import { tempDir } from '../../support/org';
import { git } from '../../support/run';

/**
 * The side-effecting pipeline steps of lib/ci (worktrees, subprocesses) where they fail before
 * terraform: a real repository whose cdktf app exits at once. The whole drift run, with terraform
 * and a synth, is test/buildspecs/pipeline-run.test.ts.
 */

const TAG = 'dev_us-east-1/research/2.0';
const STACK = 'research-dev-us-east-1';

/** A repository whose `bin/app.js` fails the synth with exit 3, without output. */
function repoWithFailingApp(): { dir: string; commit: string } {
  const dir = tempDir('drift-run');
  git(dir, ['init', '-q', '-b', 'main']);
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'app.js'), 'process.exit(3);\n');
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'infra']);
  return { dir, commit: git(dir, ['rev-parse', 'HEAD']).trim() };
}

describe('runDrift', () => {
  const org = exampleOrg();
  const context = { environment: 'dev', scopes: ['us-east-1', 'eu-central-1'] };

  test('GIVEN an applied release whose commit the repository lacks THEN it is an error with git reason; stacks never applied say so', async () => {
    const { dir } = repoWithFailingApp();
    const missing = 'f'.repeat(40);
    const results = await runDrift(org, context, dir, [{ stack: STACK, tag: TAG, commit: missing }]);
    expect(results.filter((r) => r.stack.startsWith('research-'))).toEqual([
      { stack: STACK, tag: TAG, status: 'error', detail: `git worktree: fatal: invalid reference: ${missing}` },
      { stack: 'research-dev-eu-central-1', tag: undefined, status: 'never-released' },
    ]);
    expect(results.every((r) => r.stack.endsWith('us-east-1') || r.stack.endsWith('eu-central-1'))).toBe(true);
  });

  test('GIVEN a release whose synth fails THEN it is an error naming the synth, and its worktree is removed', async () => {
    const { dir, commit } = repoWithFailingApp();
    const results = await runDrift(org, context, dir, [{ stack: STACK, tag: TAG, commit }]);
    expect(results.find((r) => r.stack === STACK)).toEqual({
      stack: STACK,
      tag: TAG,
      status: 'error',
      detail: `synth of '${TAG}' failed (exit 3); see the output above`,
    });
    expect(fs.existsSync(path.join(dir, '.multiregion', 'drift', STACK))).toBe(false);
    expect(git(dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });

  test('GIVEN the tag moved to another commit after the release was applied THEN drift plans the recorded commit, not the tag', async () => {
    const { dir, commit } = repoWithFailingApp();
    git(dir, ['tag', '-a', '-m', 'release', TAG, commit]);
    // A later commit whose app fails differently; the tag is moved there (deleted and recreated).
    fs.writeFileSync(path.join(dir, 'bin', 'app.js'), 'process.exit(4);\n');
    git(dir, ['commit', '-q', '-am', 'moved']);
    git(dir, ['tag', '-f', '-a', '-m', 'moved', TAG]);
    const results = await runDrift(org, context, dir, [{ stack: STACK, tag: TAG, commit }]);
    expect(results.find((r) => r.stack === STACK)?.detail).toBe(`synth of '${TAG}' failed (exit 3); see the output above`);
  });

  test('GIVEN an organisation without a pipeline section THEN it is refused before any checkout', async () => {
    const noPipeline = { ...org, project: { ...org.project, pipeline: undefined } };
    expect(() => planRoleName(noPipeline)).toThrow(/project.yaml has no pipeline section/);
    await expect(runDrift(noPipeline, context, repoWithFailingApp().dir, [])).rejects.toThrow(UserError);
  });
});

describe('the pure parts of the drift run', () => {
  test('GIVEN a pipeline with scopes THEN only the stacks of its environment and scopes are planned', () => {
    const stacks = pipelineStacks(stackMatrix(exampleOrg()), { environment: 'dev', scopes: ['global'] });
    expect(stacks.length).toBeGreaterThan(0);
    expect(stacks.every((s) => s.environment === 'dev' && s.scope === 'global')).toBe(true);
    const all = pipelineStacks(stackMatrix(exampleOrg()), { environment: 'dev' });
    expect(all.map((s) => s.stack)).toEqual(
      stackMatrix(exampleOrg())
        .filter((s) => s.environment === 'dev')
        .map((s) => s.stack),
    );
  });

  test('GIVEN refused lines THEN each is reported, never planned', () => {
    expect(refusedDriftResults(`research-dev-global dev_global/research/5.0 ${'a'.repeat(40)}\n\n`)).toEqual([
      { stack: 'research-dev-global', tag: 'dev_global/research/5.0', status: 'refused', detail: 'its commit is not on the release branch: not planned' },
    ]);
    expect(refusedDriftResults('')).toEqual([]);
  });
});

describe('synthTaggedStack and the subprocess helper', () => {
  test('GIVEN an app that exits 3 THEN the synth is a UserError naming the tag and the exit code', () => {
    expect(() => synthTaggedStack(exampleOrg(), TAG, repoWithFailingApp().dir)).toThrow(`synth of '${TAG}' failed (exit 3); see the output above`);
  });

  test('GIVEN quiet THEN stderr is captured and its first line reported; otherwise it is not captured', () => {
    const quiet = runProcess(process.execPath, ['-e', 'process.stderr.write("first\\nsecond\\n"); process.exit(4)'], { quiet: true });
    expect(quiet).toEqual({ status: 4, signal: null, stderr: 'first\nsecond\n' });
    expect(firstLineOf(quiet.stderr)).toBe('first');
    expect(runProcess(process.execPath, ['-e', 'process.exit(0)'])).toEqual({ status: 0, signal: null, stderr: '' });
  });

  test('GIVEN a program that does not exist THEN there is no exit code', () => {
    expect(runProcess(path.join(tempDir('no-program'), 'terraform'), ['init'], { quiet: true }).status).toBeNull();
  });
});
