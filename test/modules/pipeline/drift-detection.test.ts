import { parse } from 'yaml';
import { byId, exampleOrg, orgWith, rolePolicy, synthTooling, type Json } from '../../pipeline/helpers';
import { renderedLiteral } from '../../../lib/terraform-literal';

const dev = synthTooling(exampleOrg(), 'tooling-dev');
const drift = byId(dev, 'aws_codebuild_project', 'drift_build');
const policy = rolePolicy(dev, 'roles_drift');
const actions = (p: { Statement: Json[] }): string[] => p.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action as string[]);

describe('DriftDetection', () => {
  test('runs on the environment schedule with its own role', () => {
    const schedule = byId(dev, 'aws_cloudwatch_event_rule', 'drift_schedule');
    expect(schedule.schedule_expression).toMatch(/^cron\(|^rate\(/);
    expect(drift.service_role).toMatch(/aws_iam_role\.roles_drift_role/);
    expect(byId(dev, 'aws_cloudwatch_event_target', 'drift_target').arn).toMatch(/aws_codebuild_project\.drift_build/);
  });

  test('plans only releases the ledger records as applied and whose commit is on the release branch (finding 4)', () => {
    const commands = ((parse(renderedLiteral(drift.source.buildspec as string)) as Json).phases.build.commands as string[]).join('\n');
    expect(commands).not.toMatch(/git fetch --tags|git tag --list/);
    expect(commands).toContain('select(.Status.S == "applied")');
    expect(commands).toContain('git rev-list --first-parent "refs/remotes/origin/$RELEASE_BRANCH" 2> /dev/null | grep -qx "$commit"');
    expect(commands).toContain('ci drift --releases');
  });

  test('the drift role writes nothing: no artifacts, no locks, no state, no ledger writes (findings 4, 5)', () => {
    const allowed = actions(policy);
    expect(allowed.filter((a) => /Put|Delete|Update|Encrypt|GenerateDataKey/.test(a))).toEqual(['logs:PutLogEvents']);
    expect(JSON.stringify(policy)).not.toContain('artifacts');
    expect(allowed).toEqual(expect.arrayContaining(['dynamodb:Scan', 's3:GetObject', 'kms:Decrypt', 'sns:Publish', 'sts:AssumeRole']));
  });

  test('GIVEN no schedule THEN there is no drift build and no drift role', () => {
    const quiet = synthTooling(
      orgWith((f) => (f['dev.yaml'] = f['dev.yaml'].replace(/ {2}driftDetection:\n {4}schedule: .*\n/, ''))),
      'tooling-dev',
    );
    expect(Object.keys(quiet.resource.aws_codebuild_project as object).filter((k) => k.startsWith('drift'))).toEqual([]);
    expect(Object.keys(quiet.resource.aws_iam_role as object).filter((k) => k.includes('drift'))).toEqual([]);
  });
});

describe('build project environment variables', () => {
  // Issue 20, bug 1: TOPIC_ARN reached the drift build as the literal text `${aws_sns_topic.topic.arn}`.
  test('GIVEN the drift build THEN TOPIC_ARN is a reference to the topic, not escaped text', () => {
    const variables = (drift.environment as Json).environment_variable as { name: string; value: string }[];
    expect(variables.find((v) => v.name === 'TOPIC_ARN')?.value).toBe('${aws_sns_topic.topic.arn}');
  });

  test('GIVEN every build project of every tooling stack THEN no variable holds an escaped reference to a resource of the stack', () => {
    for (const id of ['tooling-dev', 'tooling-prod']) {
      const stack = synthTooling(exampleOrg(), id);
      const projects = Object.values(stack.resource.aws_codebuild_project as Record<string, Json>);
      expect(projects.length).toBeGreaterThan(2);
      for (const project of projects) {
        for (const variable of (project.environment as Json).environment_variable as { name: string; value: string }[]) {
          expect(`${variable.name}=${variable.value}`).not.toMatch(/\$\$\{(aws_|data\.|var\.|local\.)/);
        }
      }
    }
  });
});
