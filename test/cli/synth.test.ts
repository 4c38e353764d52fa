import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_ENVIRONMENTS, REPO_ROOT, tempDir, writeOrg } from '../support/org';
import { cli } from '../support/run';

/**
 * `multiregion synth` runs the same app as `cdktf synth`; what it adds is that the app's output
 * reaches the user once (the cdktf CLI repeats an app's errors in its summary) and a one-line summary.
 */
describe('multiregion synth', () => {
  test('GIVEN a stack selector and an output directory WHEN run from a subdirectory THEN the project app writes that stack and one line says so', () => {
    const out = path.join(tempDir('synth'), 'out');
    const result = cli(['synth', '--stacks', 'tooling-dev', '--out', out], { cwd: path.join(REPO_ROOT, 'docs'), env: { ENVIRONMENTS_DIR: '' } });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toBe(`synthesized 1 stack into ${out}/stacks: tooling-dev\n`);
    expect(fs.readdirSync(path.join(out, 'stacks'))).toEqual(['tooling-dev']);
  });

  test('GIVEN an earlier, wider synth in the same directory WHEN a narrower one runs THEN the stale stack folders are removed, as cdktf synth does (the narrower one by a glob)', () => {
    const out = path.join(tempDir('synth'), 'out');
    expect(cli(['synth', '--stacks', 'tooling', '--out', out]).status).toBe(0);
    expect(fs.readdirSync(path.join(out, 'stacks')).length).toBeGreaterThan(1);
    const result = cli(['synth', '--stacks', 'tooling-d*', '--out', out]);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/\nremoved \d+ stack folder\(s\) of an earlier synth: tooling-prod, /);
    expect(fs.readdirSync(path.join(out, 'stacks'))).toEqual(['tooling-dev']);
  });

  test('GIVEN a release tag WHEN synthesized THEN the app checks it: an unknown team is one line, exit 2, nothing written', () => {
    const out = path.join(tempDir('synth'), 'out');
    const result = cli(['--environments', EXAMPLE_ENVIRONMENTS, 'synth', '--tag', 'dev_us-east-1/nobody/1.0', '--out', out]);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
    expect(result.stderr).toBe("error: release tag 'dev_us-east-1/nobody/1.0': unknown team 'nobody' in environment 'dev' (expected one of research, risk)\n");
    expect(fs.existsSync(out)).toBe(false);
  });

  test('GIVEN an organisation with two config errors WHEN synthesized THEN each error is printed exactly once and the exit code is 2', () => {
    const dir = writeOrg({ 'project.yaml': 'project: acme\n', 'dev.yaml': 'regions: [us-east-1]\nteams: {}\n' });
    const result = cli(['--environments', dir, 'synth', '--out', path.join(tempDir('synth'), 'out')]);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.filter((line) => line.includes(`${dir}/project.yaml:1: (top level): missing field 'backend'`))).toHaveLength(1);
  });

  test('GIVEN a directory outside any project WHEN synth runs THEN one line names what it looked for', () => {
    const result = cli(['--environments', EXAMPLE_ENVIRONMENTS, 'synth'], { cwd: tempDir('outside') });
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
    expect(result.stderr).toMatch(/^error: .+ is not inside a multiregion project: no cdktf.json here or above\n$/);
  });

  test('GIVEN DEPLOY_TAG and CDKTF_OUTDIR set, as cdktf synth users do, and no flags WHEN synth runs THEN they are used', () => {
    const out = path.join(tempDir('synth'), 'from-env');
    const result = cli(['--environments', EXAMPLE_ENVIRONMENTS, 'synth'], {
      env: { DEPLOY_TAG: 'dev_eu-central-1/risk/1.0', MULTIREGION_ALLOW_UNRELEASED: '1', CDKTF_OUTDIR: out },
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.readdirSync(path.join(out, 'stacks'))).toEqual(['risk-dev-eu-central-1']);
  });

  test('GIVEN --out naming a file WHEN synth runs THEN one line says the directory cannot be created, exit 2', () => {
    const file = path.join(tempDir('synth'), 'a-file');
    fs.writeFileSync(file, '');
    const result = cli(['--environments', EXAMPLE_ENVIRONMENTS, 'synth', '--stacks', 'tooling-dev', '--out', file]);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
    expect(result.stderr).toBe(
      `error: output directory ${file} cannot be created (EEXIST: a file is in the way or the parent is not writable): choose another CDKTF_OUTDIR or --out\n`,
    );
  });
});
