import * as fs from 'node:fs';
import * as path from 'node:path';

/** The buildspecs of the pipelines, one per stage (files in buildspecs/). */
export type BuildspecName = 'trigger' | 'validate' | 'scan' | 'plan' | 'scan-plan' | 'health' | 'apply' | 'drift';

let directory: string | undefined;

/** buildspecs/ at the repository root, from the sources (ts-jest) or from dist/ (compiled). */
export function buildspecsDir(): string {
  if (directory !== undefined) return directory;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'buildspecs');
    if (fs.existsSync(path.join(candidate, 'validate.yml'))) return (directory = candidate);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`buildspecs/ not found above ${__dirname}`);
    dir = parent;
  }
}

/**
 * The text of a buildspec. It is embedded in the CodeBuild project when the tooling stack is
 * deployed, so a release tag cannot change the commands that plan and apply it.
 */
export function buildspecText(name: BuildspecName): string {
  return fs.readFileSync(path.join(buildspecsDir(), `${name}.yml`), 'utf8');
}
