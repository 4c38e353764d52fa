import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../guardrails/packs';
import { rulesMarkdown } from '../../guardrails/rules-doc';
import { REPO_ROOT } from '../support/org';

describe('docs/guardrail-rules.md', () => {
  test('GIVEN the rules WHEN the table is rendered THEN it equals the committed page (run npm run docs after changing a rule)', () => {
    expect(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'guardrail-rules.md'), 'utf8')).toBe(rulesMarkdown());
  });

  test('GIVEN the page WHEN read THEN every rule id appears once, with its checkov ids', () => {
    const page = rulesMarkdown();
    for (const rule of RULES) {
      expect(page.split(`| ${rule.id} |`)).toHaveLength(2);
      for (const check of rule.checkov ?? []) expect(page).toContain(check);
    }
  });
});
