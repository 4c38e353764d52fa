import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../support/org';

/**
 * The lint rules that keep the layers apart, run by the project's ESLint config on probe sources
 * at the paths they would have. ESLint loads its ESM config, which jest's VM cannot, so one child
 * process lints every probe.
 */
const PROBES: [string, string][] = [];
let results: Record<string, string[]> | undefined;

function lintAll(): Record<string, string[]> {
  const script = `
const { ESLint } = require('eslint');
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const probes = JSON.parse(process.argv[1]);
  const out = {};
  for (const [filePath, specifier] of probes) {
    const [result] = await eslint.lintText("import * as probe from '" + specifier + "';\\nexport const used = probe;\\n", { filePath });
    out[filePath + ' ' + specifier] = result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  }
  process.stdout.write(JSON.stringify(out));
})();`;
  const run = spawnSync(process.execPath, ['-e', script, JSON.stringify(PROBES)], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`eslint probe failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, string[]>;
}

function importErrors(filePath: string, specifier: string): string[] {
  results ??= lintAll();
  return results[`${filePath} ${specifier}`];
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
];
const ALLOWED: [string, string][] = [
  ['modules/network/probe.ts', '../../lib/naming'],
  ['stacks/probe.ts', '../modules/network/regional-network'],
  ['cli/probe.ts', '../stacks/tooling-stack'],
  ['lib/probe.ts', './tag'],
  ['modules/probe.ts', '@cdktf/provider-aws/lib/vpc'],
  ['modules/compute/probe.ts', '../../guardrails/suppressions'],
  ['guardrails/probe.ts', '../lib/errors'],
];
PROBES.push(...FORBIDDEN.map(([file, specifier]): [string, string] => [file, specifier]), ...ALLOWED);

describe('layering lint rules', () => {
  test.each(FORBIDDEN)('GIVEN %s importing %s WHEN linted THEN it is an error', (filePath, specifier, message) => {
    expect(importErrors(filePath, specifier)).toEqual([expect.stringContaining(message)]);
  });

  test.each(ALLOWED)('GIVEN %s importing %s WHEN linted THEN it is allowed', (filePath, specifier) => {
    expect(importErrors(filePath, specifier)).toEqual([]);
  });
});
