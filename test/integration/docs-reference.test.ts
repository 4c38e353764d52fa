import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './support/multiregion';
import { run, succeeded } from './support/processes';

/** Files under a directory, by relative path. */
function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string): void => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

describe('the construct reference (docs/reference)', () => {
  test('GIVEN the sources WHEN TypeDoc regenerates the reference THEN it equals the committed one (run npm run docs after changing a construct)', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-reference-'));
    succeeded(
      await run(path.join(REPO_ROOT, 'node_modules', '.bin', 'typedoc'), ['--out', out, '--logLevel', 'Error'], {
        cwd: REPO_ROOT,
        env: process.env,
        timeoutMs: 120_000,
      }),
    );
    const generated = filesUnder(out);
    const committed = filesUnder(path.join(REPO_ROOT, 'docs', 'reference'));
    expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort());
    const stale = [...generated].filter(([file, text]) => committed.get(file) !== text).map(([file]) => file);
    expect(stale).toEqual([]);
    fs.rmSync(out, { recursive: true, force: true });
  }, 120_000);
});
