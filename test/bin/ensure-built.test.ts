import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/org';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pruneStaleOutputs } = require('../../bin/ensure-built') as { pruneStaleOutputs: () => void };

describe('bin/ensure-built.js', () => {
  test('GIVEN a compiled file whose source was removed (lib/config.ts became lib/config/) WHEN pruned THEN it is deleted and current outputs stay', () => {
    const stale = path.join(REPO_ROOT, 'dist', 'lib', 'zz-removed-source.js');
    const staleDir = path.join(REPO_ROOT, 'dist', 'lib', 'zz-removed-folder');
    fs.writeFileSync(stale, 'module.exports = "stale";\n');
    fs.mkdirSync(staleDir, { recursive: true });
    fs.writeFileSync(path.join(staleDir, 'index.js'), '');
    pruneStaleOutputs();
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(staleDir)).toBe(false);
    expect(fs.existsSync(path.join(REPO_ROOT, 'dist', 'lib', 'tag.js'))).toBe(true);
    expect(fs.existsSync(path.join(REPO_ROOT, 'dist', 'main.js'))).toBe(true);
  });
});
