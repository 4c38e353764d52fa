import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT, tempDir, writeOrg } from '../../support/org';
import { cli, synthApp } from '../../support/run';

/**
 * Hostile config files: each is one problem line naming the file, exit 2, and nothing written;
 * never an internal error. (How long each takes is reported by the loop below, not asserted:
 * timings belong in the benchmark.)
 */
const aliasBomb = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...Array.from(
    { length: 8 },
    (_, i) =>
      `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(97 + i)}`)
        .join(', ')}]`,
  ),
].join('\n');

const CASES: [string, (file: string) => void, RegExp][] = [
  ['a YAML alias bomb', (file) => fs.writeFileSync(file, `${aliasBomb}\n`), /dev\.yaml: expands YAML aliases more than 50 times \(an alias bomb\?\)/],
  [
    'a 10 MB file',
    (file) => fs.writeFileSync(file, `regions: [us-east-1]\n#${'x'.repeat(10 * 1024 * 1024)}\n`),
    /dev\.yaml: is 10\.0 MB: a config file is at most 1 MB/,
  ],
  [
    'a binary file',
    (file) => fs.writeFileSync(file, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0xff, 0xfe])),
    /dev\.yaml: is not UTF-8 text \(binary content\)/,
  ],
  ['a directory', (file) => fs.mkdirSync(file), /dev\.yaml: is a directory: expected a YAML file/],
  [
    'a symlink out of the config folder',
    (file) => fs.symlinkSync('/etc/hostname', file),
    /dev\.yaml: is a symbolic link to \/etc\/hostname, outside the config folder/,
  ],
  [
    'deeply nested YAML',
    (file) => fs.writeFileSync(file, `regions: ${'['.repeat(5000)}${']'.repeat(5000)}\n`),
    /dev\.yaml: nests mappings or lists 5000 levels deep/,
  ],
  [
    'a byte order mark',
    (file) => fs.writeFileSync(file, `\uFEFFregions: [us-east-1]\nteams: {}\n`),
    /dev\.yaml: starts with a UTF-8 byte order mark: save it as UTF-8 without BOM/,
  ],
];

describe('hostile config files', () => {
  test.each(CASES)('GIVEN %s as dev.yaml WHEN config check and synth run THEN one line names the file, exit 2, nothing written', (_name, write, message) => {
    const dir = writeOrg({ 'project.yaml': PROJECT });
    write(path.join(dir, 'dev.yaml'));
    const check = cli(['--environments', dir, 'config', 'check']);
    expect(check.stderr).not.toContain('internal error');
    expect(check.status).toBe(2);
    expect(check.stdout).toBe('');
    expect(check.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    const out = path.join(tempDir('synth'), 'out');
    const synth = synthApp(out, { ENVIRONMENTS_DIR: dir });
    expect(synth.status).toBe(2);
    expect(synth.stderr).toMatch(message);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('GIVEN a symlink to a file in the same folder WHEN loaded THEN it is read like the file', () => {
    const dir = writeOrg({ 'project.yaml': PROJECT, 'dev.src': 'regions: [us-east-1]\nteams:\n  research:\n    account: "555555555555"\n' });
    fs.symlinkSync(path.join(dir, 'dev.src'), path.join(dir, 'dev.yaml'));
    const check = cli(['--environments', dir, 'config', 'check']);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
