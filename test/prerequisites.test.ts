import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkPrerequisites } = require('./prerequisites') as { checkPrerequisites: (env: NodeJS.ProcessEnv) => { problems: string[]; terraform?: string } };

/** A PATH directory holding fake `terraform` (printing `version`) and, optionally, `shellcheck`. */
function fakeTools(options: { terraformVersion?: string; shellcheck: boolean }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prereq-'));
  if (options.terraformVersion !== undefined) {
    fs.writeFileSync(path.join(dir, 'terraform'), `#!/bin/sh\necho '{"terraform_version":"${options.terraformVersion}"}'\n`, { mode: 0o755 });
  }
  if (options.shellcheck) fs.writeFileSync(path.join(dir, 'shellcheck'), '#!/bin/sh\n', { mode: 0o755 });
  return dir;
}

describe('test prerequisites', () => {
  test('GIVEN terraform 1.11 and shellcheck on PATH WHEN checked THEN no problem and terraform is resolved from PATH', () => {
    const dir = fakeTools({ terraformVersion: '1.11.4', shellcheck: true });
    const result = checkPrerequisites({ PATH: dir });
    expect(result.problems).toEqual([]);
    expect(result.terraform).toBe(path.join(dir, 'terraform'));
  });

  test('GIVEN no terraform WHEN checked THEN one line says what to install and how to override', () => {
    const result = checkPrerequisites({ PATH: fakeTools({ shellcheck: true }) });
    expect(result.problems).toEqual([expect.stringMatching(/^terraform is not on PATH: install terraform >= 1\.10 .*TERRAFORM_BINARY=<path>$/)]);
  });

  test('GIVEN terraform 1.9 WHEN checked THEN the version is refused', () => {
    const result = checkPrerequisites({ PATH: fakeTools({ terraformVersion: '1.9.8', shellcheck: true }) });
    expect(result.problems).toEqual([expect.stringContaining('is terraform 1.9.8: the tests need >= 1.10')]);
  });

  test('GIVEN TERRAFORM_BINARY pointing nowhere WHEN checked THEN it is named', () => {
    const result = checkPrerequisites({ PATH: fakeTools({ terraformVersion: '1.11.0', shellcheck: true }), TERRAFORM_BINARY: '/nowhere/terraform' });
    expect(result.problems).toEqual([expect.stringContaining('TERRAFORM_BINARY=/nowhere/terraform does not exist')]);
  });

  test('GIVEN TERRAFORM_BINARY set WHEN checked THEN it wins over PATH', () => {
    const other = fakeTools({ terraformVersion: '1.10.0', shellcheck: false });
    const result = checkPrerequisites({ PATH: fakeTools({ shellcheck: true }), TERRAFORM_BINARY: path.join(other, 'terraform') });
    expect(result).toEqual({ problems: [], terraform: path.join(other, 'terraform') });
  });

  test('GIVEN no shellcheck WHEN checked THEN one line says how to install it', () => {
    const result = checkPrerequisites({ PATH: fakeTools({ terraformVersion: '1.11.0', shellcheck: false }) });
    expect(result.problems).toEqual([expect.stringMatching(/^shellcheck is not on PATH: install it \(Debian\/Ubuntu: apt-get install -y shellcheck/)]);
  });
});
