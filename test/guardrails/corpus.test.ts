import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../guardrails/packs';
import { isJsonRule } from '../../guardrails/rule';
import { CONTEXT, PRODUCTION, stackWith } from './fixtures';

/**
 * The corpus: plain Terraform JSON in the forms teams write (count, for_each, inline, dynamic,
 * separate resources, JSON string escapes), each with the verdict of every rule. A rule not named
 * in a case's `expect` must find nothing there; a named one must find exactly the listed
 * (severity, address) pairs. Every JSON rule runs on every case.
 */
interface CorpusCase {
  readonly description: string;
  readonly production?: boolean;
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly expect: Record<string, [string, string][]>;
}

const DIR = path.join(__dirname, 'corpus');
const cases = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => [file, JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as CorpusCase] as const);
const jsonRules = RULES.filter(isJsonRule);

describe('the guardrail corpus', () => {
  test('GIVEN the corpus THEN it has cases and every id it expects is a rule', () => {
    expect(cases.length).toBeGreaterThanOrEqual(9);
    const ids = new Set(jsonRules.map((r) => r.id));
    expect(cases.flatMap(([, c]) => Object.keys(c.expect)).filter((id) => !ids.has(id))).toEqual([]);
  });

  test.each(cases)('%s', (_file, c) => {
    const json = stackWith(c.resource);
    const context = c.production === true ? PRODUCTION : CONTEXT;
    const verdicts = Object.fromEntries(
      jsonRules.map((rule) => [
        rule.id,
        rule
          .check(json, context)
          .map((v) => [v.severity ?? rule.severity, v.address])
          .sort(),
      ]),
    );
    const expected = Object.fromEntries(jsonRules.map((rule) => [rule.id, [...(c.expect[rule.id] ?? [])].sort()]));
    expect(verdicts).toEqual(expected);
  });
});
