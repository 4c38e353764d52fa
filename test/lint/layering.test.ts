import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../support/org';

/**
 * The lint rules that keep the layers apart, run by the project's ESLint config on probe sources
 * at the paths they would have. ESLint loads its ESM config, which jest's VM cannot, so one child
 * process lints every probe: [file path, source, rule whose messages count].
 */
const PROBES: [string, string, string][] = [];
let results: Record<string, string[]> | undefined;

const importOf = (specifier: string): string => `import * as probe from '${specifier}';\nexport const used = probe;\n`;

function lintAll(): Record<string, string[]> {
  const script = `
const { ESLint } = require('eslint');
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const probes = JSON.parse(process.argv[1]);
  const out = {};
  for (const [filePath, source, rule] of probes) {
    const [result] = await eslint.lintText(source, { filePath });
    out[filePath + ' ' + source] = result.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
  }
  process.stdout.write(JSON.stringify(out));
})();`;
  const run = spawnSync(process.execPath, ['-e', script, JSON.stringify(PROBES)], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`eslint probe failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, string[]>;
}

function errors(filePath: string, source: string): string[] {
  results ??= lintAll();
  return results[`${filePath} ${source}`];
}

const FORBIDDEN: [string, string, string][] = [
  ['lib/probe.ts', '../stacks/tooling-stack', 'lib/ may not import stacks/'],
  ['lib/ci/probe.ts', '../../modules/pipeline/build-project', 'lib/ may not import modules/'],
  ['lib/probe.ts', '../cli/main', 'lib/ may not import cli/'],
  ['modules/network/probe.ts', '../../stacks/base-stack', 'modules/ may not import stacks/'],
  ['stacks/probe.ts', '../cli/main', 'stacks/ may not import cli/'],
  ['stacks/probe.ts', '@cdktf/provider-aws', 'Import the resource by deep path'],
  ['lib/probe.ts', '@cdktf/provider-aws', 'Import the resource by deep path'],
  ['guardrails/rules/probe.ts', '../../modules/construct-error', 'guardrails/ may not import modules/'],
  ['lib/probe.ts', '../guardrails/packs', 'lib/ may not import guardrails/'],
  ['cli/commands/probe.ts', 'simple-git', 'Run git through the git adapter'],
  ['lib/probe.ts', 'simple-git', 'Run git through the git adapter'],
  ['lib/git/sync-reader.ts', 'simple-git', 'Run git through the git adapter'],
  ['stacks/probe.ts', 'simple-git', 'Run git through the git adapter'],
];
const ALLOWED: [string, string][] = [
  ['modules/network/probe.ts', '../../lib/naming'],
  ['stacks/probe.ts', '../modules/network/regional-network'],
  ['cli/probe.ts', '../stacks/tooling-stack'],
  ['lib/probe.ts', './tag'],
  ['modules/probe.ts', '@cdktf/provider-aws/lib/vpc'],
  ['modules/compute/probe.ts', '../../guardrails/suppressions'],
  ['guardrails/probe.ts', '../lib/errors'],
  ['lib/git/repository.ts', 'simple-git'],
  ['cli/commands/probe.ts', '../../lib/git/repository'],
];
PROBES.push(...[...FORBIDDEN, ...ALLOWED].map(([file, specifier]): [string, string, string] => [file, importOf(specifier), 'no-restricted-imports']));

// Git runs only through lib/git/: simple-git loaded in any way, or git spawned, elsewhere is an error.
const SOURCES: Record<string, string> = {
  'calling execFileSync(git)': "import * as cp from 'node:child_process';\nexport const out = cp.execFileSync('git', ['status']);\n",
  'calling spawnSync(git)': "import { spawnSync } from 'node:child_process';\nexport const out = spawnSync('git', ['worktree', 'list']);\n",
  "calling import('simple-git')": "export const git = import('simple-git');\n",
  'calling spawnSync(terraform)': "import { spawnSync } from 'node:child_process';\nexport const out = spawnSync('terraform', ['plan']);\n",
};
const GIT_FORBIDDEN: [string, string][] = [
  ['cli/commands/probe.ts', 'calling spawnSync(git)'],
  ['lib/ci/probe.ts', 'calling execFileSync(git)'],
  ['main.ts', 'calling execFileSync(git)'],
  ['lib/probe.ts', "calling import('simple-git')"],
  ['lib/git/sync-reader.ts', "calling import('simple-git')"],
  ['lib/git/repository.ts', 'calling execFileSync(git)'],
];
const GIT_ALLOWED: [string, string][] = [
  ['lib/git/sync-reader.ts', 'calling execFileSync(git)'],
  ['lib/git/repository.ts', "calling import('simple-git')"],
  ['test/lib/probe.test.ts', 'calling spawnSync(git)'],
  ['lib/ci/probe.ts', 'calling spawnSync(terraform)'],
];
PROBES.push(...[...GIT_FORBIDDEN, ...GIT_ALLOWED].map(([file, what]): [string, string, string] => [file, SOURCES[what], 'no-restricted-syntax']));

describe('layering lint rules', () => {
  test.each(FORBIDDEN)('GIVEN %s importing %s WHEN linted THEN it is an error', (filePath, specifier, message) => {
    expect(errors(filePath, importOf(specifier))).toEqual([expect.stringContaining(message)]);
  });

  test.each(ALLOWED)('GIVEN %s importing %s WHEN linted THEN it is allowed', (filePath, specifier) => {
    expect(errors(filePath, importOf(specifier))).toEqual([]);
  });

  test.each(GIT_FORBIDDEN)('GIVEN %s %s WHEN linted THEN it is an error naming the git adapter', (filePath, what) => {
    expect(errors(filePath, SOURCES[what])).toEqual([expect.stringContaining('Run git through the git adapter')]);
  });

  test.each(GIT_ALLOWED)('GIVEN %s %s WHEN linted THEN it is allowed', (filePath, what) => {
    expect(errors(filePath, SOURCES[what])).toEqual([]);
  });
});
