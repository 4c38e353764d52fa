import { ConfigError } from '../../lib/errors';
import { buildImageProblem, scheduleProblem } from '../../lib/pipeline-config';
import { exampleOrg, orgWith } from './helpers';

function problems(edit: (files: Record<string, string>) => void): string[] {
  try {
    orgWith(edit);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

const replaceIn =
  (name: string, from: string, to: string) =>
  (files: Record<string, string>): void => {
    if (!files[name].includes(from)) throw new Error(`${from} not in ${name}`);
    files[name] = files[name].replace(from, to);
  };

describe('project pipeline section', () => {
  test('the example config resolves its defaults', () => {
    const { pipeline } = exampleOrg().project;
    expect(pipeline).toEqual({
      source: { kind: 'codecommit', repository: 'awsome-infra', branch: 'main', connectionArn: undefined },
      image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
      logRetentionDays: 90,
      planRoleName: 'InfraBuildRole-ReadOnly',
      bootstrapRoleName: 'OrganizationAccountAccessRole',
      administrators: ['arn:aws:iam::111122223333:role/PlatformAdmin', 'arn:aws:iam::111122223333:role/BreakGlassAdmin'],
      deployPolicyArns: undefined,
    });
  });

  test.each([
    [
      'a connection without its ARN',
      replaceIn('project.yaml', 'kind: codecommit ', 'kind: connection '),
      /project\.yaml:\d+: pipeline\.source: missing field 'connectionArn'/,
    ],
    [
      'a connection repository without owner',
      replaceIn('project.yaml', 'kind: codecommit ', 'kind: connection '),
      /pipeline\.source\.repository: 'awsome-infra' is not an owner\/name repository id/,
    ],
    [
      'a codecommit source with a connection ARN',
      replaceIn(
        'project.yaml',
        '    branch: main\n',
        '    branch: main\n    connectionArn: arn:aws:codeconnections:us-east-1:111122223333:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n',
      ),
      /pipeline\.source\.connectionArn: a codecommit source has no connection/,
    ],
    [
      'a Docker Hub image',
      replaceIn('project.yaml', 'image: aws/codebuild/amazonlinux-x86_64-standard:5.0', 'image: hashicorp/terraform:1.11'),
      /project\.yaml:\d+: pipeline\.image: 'hashicorp\/terraform:1\.11' .* Docker Hub images are refused/,
    ],
    [
      'an unpinned ECR image',
      replaceIn('project.yaml', 'image: aws/codebuild/amazonlinux-x86_64-standard:5.0', 'image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/build:latest'),
      /is not pinned: append its digest/,
    ],
    [
      'a retention CloudWatch refuses',
      replaceIn('project.yaml', 'logRetentionDays: 90', 'logRetentionDays: 45'),
      /pipeline\.logRetentionDays: 45 is not a retention CloudWatch Logs accepts/,
    ],
    [
      'the account root as administrator',
      replaceIn('project.yaml', 'role/BreakGlassAdmin', 'root'),
      /project\.yaml:\d+: pipeline\.administrators\[1\]: .* account root would grant every principal/,
    ],
    // Finding 7: keys must survive the people who deployed them.
    [
      'a single key administrator',
      replaceIn('project.yaml', '    - arn:aws:iam::111122223333:role/BreakGlassAdmin\n', ''),
      /project\.yaml:\d+: pipeline\.administrators: only 1 role: name at least 2 stable IAM roles/,
    ],
    [
      'no key administrators',
      replaceIn('project.yaml', '    - arn:aws:iam::111122223333:role/PlatformAdmin\n    - arn:aws:iam::111122223333:role/BreakGlassAdmin\n', '    []\n'),
      /pipeline\.administrators: missing: name at least 2 stable IAM roles/,
    ],
    [
      'a user as key administrator',
      replaceIn('project.yaml', 'role/BreakGlassAdmin', 'user/alice'),
      /pipeline\.administrators\[1\]: 'arn:aws:iam::111122223333:user\/alice' is not an IAM role ARN/,
    ],
    [
      'an Identity Center role as key administrator',
      replaceIn('project.yaml', 'role/BreakGlassAdmin', 'role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef'),
      /is an IAM Identity Center role: it is replaced when its permission set changes/,
    ],
    [
      'a key administrator of another account',
      replaceIn('project.yaml', '111122223333:role/BreakGlassAdmin', '999999999999:role/BreakGlassAdmin'),
      /is in account 999999999999, not the tooling account 111122223333/,
    ],
    [
      'an unknown source kind',
      replaceIn('project.yaml', 'kind: codecommit ', 'kind: github '),
      /pipeline\.source\.kind: 'github' is not allowed: expected one of codecommit, connection/,
    ],
  ])('GIVEN %s THEN config loading fails with one line naming file, line and field', (_what, edit, message) => {
    expect(problems(edit).join('\n')).toMatch(message);
  });

  test('GIVEN a connection with owner/name and a valid ARN THEN it loads', () => {
    const fixed = orgWith((f) => {
      replaceIn('project.yaml', 'kind: codecommit ', 'kind: connection ')(f);
      replaceIn(
        'project.yaml',
        'repository: awsome-infra ',
        'repository: my-org/awsome-infra\n    connectionArn: arn:aws:codeconnections:us-east-1:111122223333:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n    #',
      )(f);
    });
    expect(fixed.project.pipeline?.source).toMatchObject({ kind: 'connection', repository: 'my-org/awsome-infra' });
  });
});

describe('environment pipeline section', () => {
  test('defaults: approval on, everything else off', () => {
    const qa = exampleOrg().environments.find((e) => e.name === 'qa')!;
    expect(qa.pipeline).toMatchObject({ approval: true, healthCheck: false, driftSchedule: undefined, acceptedChecks: [] });
    const dev = exampleOrg().environments.find((e) => e.name === 'dev')!;
    expect(dev.pipeline).toMatchObject({ approval: false, driftSchedule: 'cron(0 6 ? * MON-FRI *)' });
  });

  test.each([
    [
      'an accepted check without a real reason',
      replaceIn('dev.yaml', '"dev load balancers do not keep access logs: no traffic worth auditing"', 'ok'),
      /dev\.yaml:\d+: pipeline\.acceptedChecks\.CKV_AWS_91: accepting CKV_AWS_91 needs a reason/,
    ],
    [
      'an accepted check that is not a checkov id',
      replaceIn('dev.yaml', 'CKV_AWS_91:', 'aws-91:'),
      /name 'aws-91' is not valid: expected a checkov check id such as CKV_AWS_144/,
    ],
    [
      'a malformed schedule',
      replaceIn('dev.yaml', 'cron(0 6 ? * MON-FRI *)', 'every morning'),
      /pipeline\.driftDetection\.schedule: 'every morning' is not an EventBridge schedule expression/,
    ],
    [
      'an unknown field',
      replaceIn('dev.yaml', 'approval: false', 'aproval: false'),
      /pipeline\.aproval: unknown field \(expected one of: approval, healthCheck, driftDetection, acceptedChecks, notifications\)/,
    ],
    ['a non-boolean approval', replaceIn('dev.yaml', 'approval: false', 'approval: maybe'), /pipeline\.approval: expected a boolean, got string "maybe"/],
    [
      'an invalid e-mail',
      replaceIn('prod.yaml', 'platform-oncall@example.com', 'oncall'),
      /prod\.yaml:\d+: pipeline\.notifications\.emails\[0\]: 'oncall' is not valid/,
    ],
  ])('GIVEN %s THEN loading fails with the line', (_what, edit, message) => {
    expect(problems(edit).join('\n')).toMatch(message);
  });
});

describe('buildImageProblem', () => {
  test.each([
    ['aws/codebuild/amazonlinux-x86_64-standard:5.0', undefined],
    [`111122223333.dkr.ecr.us-east-1.amazonaws.com/build@sha256:${'a'.repeat(64)}`, undefined],
    ['ubuntu:22.04', /Docker Hub images are refused/],
    ['aws/codebuild/standard:latest', /neither a CodeBuild-managed image/],
  ])('%s', (image, expected) => {
    const problem = buildImageProblem(image);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});

describe('scheduleProblem', () => {
  test.each([
    ['rate(1 day)', undefined],
    ['rate(6 hours)', undefined],
    ['cron(0 6 * * ? *)', undefined],
    ['rate(1 days)', /use 'day' with 1/],
    ['rate(5 minutes)', /more often than hourly/],
    ['cron(0 6 * * *)', /has 5 fields/],
    ['cron(0 6 1 * MON *)', /one of day-of-month and day-of-week must be '\?'/],
    ['cron(*/5 * * * ? *)', /minutes field must be one number/],
  ])('%s', (expression, expected) => {
    const problem = scheduleProblem(expression);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});
