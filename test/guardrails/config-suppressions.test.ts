import * as fs from 'node:fs';
import * as path from 'node:path';
import { configSuppressionsFor, guardrailConfigProblems } from '../../guardrails/config-suppressions';
import { loadOrganisation } from '../../lib/config';
import { checkStacks } from '../../stacks/guardrail-check';
import { stackMatrix } from '../../lib/stack-spec';
import { configProblems, DEV, PROJECT, tempDir, withChanges, writeOrg } from '../support/org';
import { synthApp } from '../support/run';

/** Problems of the config loader and of the guardrail check of its suppressions, `<org>` for the directory. */
function problems(dev: object): string[] {
  const files = { 'project.yaml': PROJECT, 'dev.yaml': dev };
  const loading = configProblems(files);
  if (loading.length > 0) return loading;
  const dir = writeOrg(files);
  return guardrailConfigProblems(loadOrganisation(dir)).map((p) => p.split(dir).join('<org>'));
}

const suppress = (entries: object[], extra: Record<string, unknown> = {}) => withChanges(DEV, { guardrails: { suppress: entries }, ...extra });

describe('guardrails.suppress in config', () => {
  test("GIVEN an environment and a team suppression WHEN loaded THEN each stack gets its environment's and its own team's, with file:line", () => {
    const dir = writeOrg({
      'project.yaml': PROJECT,
      'dev.yaml': withChanges(DEV, {
        guardrails: { suppress: [{ rule: 'MR-COST-1', reason: 'dev rehearses zone failures' }] },
        'teams.risk.guardrails': { suppress: [{ rule: 'MR-DDB-2', reason: 'no customer data' }] },
      }),
    });
    const org = loadOrganisation(dir);
    expect(guardrailConfigProblems(org)).toEqual([]);
    expect(configSuppressionsFor(org, 'dev', 'research')).toEqual([
      { rule: 'MR-COST-1', reason: 'dev rehearses zone failures', source: expect.stringMatching(new RegExp(`^${dir}/dev\\.yaml:\\d+$`)) },
    ]);
    expect(configSuppressionsFor(org, 'dev', 'risk').map((s) => s.rule)).toEqual(['MR-COST-1', 'MR-DDB-2']);
  });

  test('GIVEN an entry WHEN it is wrong THEN the problem starts with the file and the line of the entry', () => {
    expect(problems(suppress([{ rule: 'MR-NOPE-9', reason: 'x' }]))).toEqual([
      expect.stringMatching(/^<org>\/dev\.yaml:\d+: guardrails\.suppress\[0\]\.rule: /),
    ]);
  });

  test.each([
    [suppress([{ rule: 'MR-NOPE-9', reason: 'x' }]), "guardrails.suppress[0].rule: unknown guardrail rule 'MR-NOPE-9' (npx multiregion rules lists them)"],
    [
      suppress([{ rule: 'MR-COST-1', reason: 'x', stack: 'research-prod-us-east-1' }]),
      "guardrails.suppress[0].stack: 'research-prod-us-east-1' is not a stack of environment 'dev'",
    ],
    [
      withChanges(DEV, { 'teams.risk.guardrails': { suppress: [{ rule: 'MR-COST-1', reason: 'x', stack: 'research-dev-us-east-1' }] } }),
      "guardrails.suppress[0].stack: 'research-dev-us-east-1' is not a stack of team 'risk' in 'dev'",
    ],
    [
      suppress([{ rule: 'MR-LB-3', reason: 'x' }], { production: true }),
      'guardrails.suppress[0].rule: MR-LB-3 is an error-level rule and dev is marked production: fix what it reports, or set guardrails.allowErrorSuppressions: true',
    ],
    [suppress([{ rule: 'MR-COST-1', reason: '' }]), 'guardrails.suppress[0].reason'],
    [suppress([{ rule: 'MR-COST-1', reason: '   ' }]), 'guardrails.suppress[0].reason: is blank: say why MR-COST-1 does not apply here'],
    [suppress([{ rule: 'mr-cost-1', reason: 'x' }]), 'guardrails.suppress[0].rule'],
    [suppress([{ rule: 'MR-COST-1' }]), "guardrails.suppress[0]: missing field 'reason'"],
  ])('GIVEN %j WHEN checked THEN it is one config problem naming file, line and field', (dev, message) => {
    expect(problems(dev)).toEqual([expect.stringContaining(message)]);
  });

  test.each([
    ['an error-level rule outside production', suppress([{ rule: 'MR-LB-3', reason: 'plain HTTP in dev' }])],
    [
      'an error-level rule in production with allowErrorSuppressions',
      suppress([{ rule: 'MR-LB-3', reason: 'accepted by the security team' }], { production: true, 'guardrails.allowErrorSuppressions': true }),
    ],
    ['a warning-level rule in production', suppress([{ rule: 'MR-COST-1', reason: 'x' }], { production: true })],
  ])('GIVEN %s WHEN checked THEN it is accepted', (_name, dev) => {
    expect(problems(dev)).toEqual([]);
  });

  test('GIVEN a config suppression WHEN the stacks are checked and synthesized THEN the finding is suppressed and recorded with its source in cdk.tf.json', () => {
    const dir = writeOrg({
      'project.yaml': PROJECT,
      'dev.yaml': withChanges(DEV, {
        'network.natGateways': 'per-az',
        guardrails: { suppress: [{ rule: 'MR-COST-1', reason: 'dev rehearses zone failures', stack: 'research-dev-us-east-1' }] },
      }),
    });
    const org = loadOrganisation(dir);
    const reports = checkStacks(org, {
      workload: stackMatrix(org).filter((s) => s.stack.startsWith('research-dev-') && s.scope !== 'global'),
      tooling: [],
      access: [],
    });
    const byStack = new Map(reports.map((r) => [r.stack, r]));
    expect(
      byStack
        .get('research-dev-us-east-1')
        ?.suppressed.filter((s) => s.rule === 'MR-COST-1')
        .map((s) => s.suppressedBy),
    ).toEqual([expect.stringMatching(/dev\.yaml:\d+$/)]);
    expect(byStack.get('research-dev-eu-central-1')?.findings.map((f) => f.rule)).toContain('MR-COST-1');

    const out = path.join(tempDir('synth'), 'out');
    expect(synthApp(out, { ENVIRONMENTS_DIR: dir, STACKS: 'research-dev-us-east-1' }).status).toBe(0);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'research-dev-us-east-1', 'cdk.tf.json'), 'utf8'));
    expect(json['//'].guardrails.suppressed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'MR-COST-1', reason: 'dev rehearses zone failures', suppressedBy: expect.stringMatching(/dev\.yaml:\d+$/) }),
      ]),
    );
  });
});
