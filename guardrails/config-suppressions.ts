import type { ConfiguredSuppression, Organisation } from '../lib/config';
import { accessMatrix, toolingMatrix } from '../lib/pipeline-spec';
import { stackMatrix } from '../lib/stack-spec';
import type { ConfigSuppression } from './engine';
import { ruleById } from './packs';

/**
 * Config suppressions (`guardrails.suppress` of an environment or a team) checked against the
 * rules and the matrix: a known rule id, a stack of that scope, and no error-level rule where the
 * environment forbids it (production, unless `allowErrorSuppressions: true`). One line per
 * problem, `<file>:<line>: <field>: ...`, as every config error.
 */
export function guardrailConfigProblems(org: Organisation): string[] {
  const problems: string[] = [];
  const workload = stackMatrix(org);
  const tooling = toolingMatrix(org);
  const access = accessMatrix(org);
  for (const environment of org.environments) {
    const environmentStacks = [...workload, ...tooling, ...access].filter((s) => s.environment === environment.name).map((s) => s.stack);
    const scopes: { entries: readonly ConfiguredSuppression[]; stacks: readonly string[]; scope: string }[] = [
      { entries: environment.guardrails.suppress, stacks: environmentStacks, scope: `environment '${environment.name}'` },
      ...environment.teams.map((team) => ({
        entries: team.guardrailSuppressions,
        stacks: [...workload, ...access].filter((s) => s.environment === environment.name && s.team === team.name).map((s) => s.stack),
        scope: `team '${team.name}' in '${environment.name}'`,
      })),
    ];
    for (const { entries, stacks, scope } of scopes) {
      for (const entry of entries) {
        const rule = ruleById(entry.rule);
        if (rule === undefined) {
          problems.push(`${entry.source}: ${entry.field}.rule: unknown guardrail rule '${entry.rule}' (npx multiregion rules lists them)`);
          continue;
        }
        if (entry.reason === '') problems.push(`${entry.source}: ${entry.field}.reason: is blank: say why ${entry.rule} does not apply here`);
        if (entry.stack !== undefined && !stacks.includes(entry.stack)) {
          problems.push(`${entry.source}: ${entry.field}.stack: '${entry.stack}' is not a stack of ${scope} (expected one of ${stacks.join(', ')})`);
        }
        if (rule.severity === 'error' && !environment.guardrails.allowErrorSuppressions) {
          problems.push(
            `${entry.source}: ${entry.field}.rule: ${entry.rule} is an error-level rule and ${environment.name} is marked production: fix what it reports, or set guardrails.allowErrorSuppressions: true in ${environment.file} to accept the risk`,
          );
        }
      }
    }
  }
  return problems;
}

/** The config suppressions that apply to one stack: its environment's, plus its team's. */
export function configSuppressionsFor(org: Organisation, environment: string, team: string | undefined): ConfigSuppression[] {
  const env = org.environments.find((e) => e.name === environment);
  if (env === undefined) return [];
  const teamEntries = team === undefined ? [] : (env.teams.find((t) => t.name === team)?.guardrailSuppressions ?? []);
  return [...env.guardrails.suppress, ...teamEntries].map((s) => ({
    rule: s.rule,
    reason: s.reason,
    ...(s.stack !== undefined ? { stack: s.stack } : {}),
    source: s.source,
  }));
}
