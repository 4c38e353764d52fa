import { PACKS, RULES } from './packs';
import { isJsonRule } from './rule';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** docs/guardrail-rules.md: every rule by pack, generated from the rules themselves. */
export function rulesMarkdown(): string {
  const lines = [
    '# Guardrail rules',
    '',
    '<!-- Generated from guardrails/packs.ts by `npm run docs`; a test fails when it is stale. -->',
    '',
    'Every rule `cdktf synth` and `npx multiregion check` apply, by pack. `error` fails synth; `warning` is printed. "Checked on" says whether the rule reads the rendered Terraform JSON or is reported by a construct from its props. See [Guardrails](guardrails.md) for suppressions.',
    '',
  ];
  for (const pack of PACKS) {
    lines.push(`## ${pack}`, '', '| id | severity | checkov | checked on | problem | fix |', '|---|---|---|---|---|---|');
    for (const rule of RULES.filter((r) => r.pack === pack)) {
      lines.push(
        `| ${rule.id} | ${rule.severity} | ${(rule.checkov ?? []).join(', ') || '–'} | ${isJsonRule(rule) ? 'Terraform JSON' : 'construct props'} | ${cell(rule.problem)} | ${cell(rule.fix)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
