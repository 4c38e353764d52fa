import * as fs from 'node:fs';
import * as path from 'node:path';

/** The file that marks a multiregion (cdktf) project's root directory. */
export const PROJECT_MARKER = 'cdktf.json';

/** The nearest directory at or above `start` that holds `marker`; undefined when none does. */
function findUpwards(start: string, marker: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, marker))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The nearest directory at or above `start` that holds cdktf.json, as git finds `.git` and cdktf
 * finds its config: commands work from any subdirectory of the project. Undefined outside one.
 */
export function findProjectRoot(start: string): string | undefined {
  return findUpwards(start, PROJECT_MARKER);
}

/**
 * The nearest directory at or above `from` that holds a package.json: this package's own files
 * (data/, package.json). Compiled code runs from dist/lib and the sources from lib, so a fixed
 * number of `..` would be wrong for one.
 */
export function packageRoot(from: string = __dirname): string {
  const root = findUpwards(from, 'package.json');
  if (root === undefined) throw new Error(`no package.json found at or above ${from}`);
  return root;
}

/**
 * The organisation directory when none is given: `environments/` of the project root, spelled
 * relative to `cwd` so that messages name it as the user would (`../environments/dev.yaml`).
 */
export function defaultEnvironmentsDir(cwd: string, defaultName: string): string {
  const root = findProjectRoot(cwd);
  if (root === undefined) return defaultName;
  return path.relative(cwd, path.join(root, defaultName)) || '.';
}
