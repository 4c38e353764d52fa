import fc from 'fast-check';
import { loadOrganisation, type LockingMode, type Organisation } from '../../lib/config';
import { TagError } from '../../lib/errors';
import { matrixProblems, stackMatrix, stackSpecForTag } from '../../lib/stack-spec';
import { parseReleaseTag } from '../../lib/tag';
import { DEV, EXAMPLE_ENVIRONMENTS, PROJECT, withChanges, writeOrg } from '../support/org';

function org(project: object = PROJECT, environments: Record<string, object> = { dev: DEV }): Organisation {
  const files: Record<string, object> = { 'project.yaml': project };
  for (const [name, env] of Object.entries(environments)) files[`${name}.yaml`] = env;
  return loadOrganisation(writeOrg(files));
}

const specFor = (o: Organisation, tag: string) => stackSpecForTag(o, parseReleaseTag(tag));

describe('state backends follow the layout table', () => {
  test.each<[string, LockingMode, string, object]>([
    [
      'central',
      'lockfile',
      'dev_eu-central-1/research/1.0',
      {
        bucket: 'acme-tf-state-dev',
        key: 'research/dev-eu-central-1/terraform.tfstate',
        region: 'us-east-1',
        dynamodbTable: null,
        useLockfile: true,
        kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:alias/acme-dev-state',
      },
    ],
    [
      'central',
      'dynamodb',
      'dev_eu-central-1/research/1.0',
      {
        bucket: 'acme-tf-state-dev',
        key: 'research/dev-eu-central-1/terraform.tfstate',
        region: 'us-east-1',
        dynamodbTable: 'acme-tf-state-lock-dev',
        useLockfile: false,
        kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:alias/acme-dev-state',
      },
    ],
    [
      'central',
      'both',
      'dev_global/research/1.0',
      {
        bucket: 'acme-tf-state-dev',
        key: 'research/dev-global/terraform.tfstate',
        region: 'us-east-1',
        dynamodbTable: 'acme-tf-state-lock-dev',
        useLockfile: true,
        kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:alias/acme-dev-state',
      },
    ],
    [
      'regional',
      'lockfile',
      'dev_eu-central-1/research/1.0',
      {
        bucket: 'acme-tf-state-euc1-dev',
        key: 'research/dev/terraform.tfstate',
        region: 'eu-central-1',
        dynamodbTable: null,
        useLockfile: true,
        kmsKeyId: 'arn:aws:kms:eu-central-1:111122223333:alias/acme-dev-euc1-state',
      },
    ],
    [
      'regional',
      'dynamodb',
      'dev_us-east-1/risk/1.0',
      {
        bucket: 'acme-tf-state-use1-dev',
        key: 'risk/dev/terraform.tfstate',
        region: 'us-east-1',
        dynamodbTable: 'acme-tf-state-use1-lock-dev',
        useLockfile: false,
        kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:alias/acme-dev-use1-state',
      },
    ],
    [
      'regional',
      'both',
      'dev_global/risk/1.0',
      {
        bucket: 'acme-tf-state-use1-dev',
        key: 'risk/dev-global/terraform.tfstate',
        region: 'us-east-1',
        dynamodbTable: 'acme-tf-state-use1-lock-dev',
        useLockfile: true,
        kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:alias/acme-dev-use1-state',
      },
    ],
  ])('GIVEN the %s layout with %s locking WHEN %s is resolved THEN the backend is as the table says', (layout, locking, tag, expected) => {
    const o = org(withChanges(PROJECT, { 'backend.layout': layout, 'backend.locking': locking }));
    expect(specFor(o, tag).backend).toEqual(expected);
  });

  test('GIVEN any layout THEN the backend names the state key of its bucket (never SSE-S3)', () => {
    const o = org(withChanges(PROJECT, { 'backend.layout': 'regional', 'backend.region': undefined, globalRegion: 'eu-central-1' }));
    expect(specFor(o, 'dev_global/research/1.0').backend.kmsKeyId).toBe('arn:aws:kms:eu-central-1:111122223333:alias/acme-dev-euc1-state');
    expect(specFor(o, 'dev_us-east-1/research/1.0').backend.kmsKeyId).toBe('arn:aws:kms:us-east-1:111122223333:alias/acme-dev-use1-state');
  });

  test('GIVEN the regional layout and a global region elsewhere WHEN the global stack is resolved THEN its state lives in the global region bucket', () => {
    const o = org(withChanges(PROJECT, { 'backend.layout': 'regional', 'backend.region': undefined, globalRegion: 'eu-central-1' }));
    const spec = specFor(o, 'dev_global/research/1.0');
    expect(spec.region).toBe('eu-central-1');
    expect(spec.backend).toMatchObject({ bucket: 'acme-tf-state-euc1-dev', key: 'research/dev-global/terraform.tfstate', region: 'eu-central-1' });
  });
});

describe('stackSpecForTag', () => {
  const o = org();
  test('GIVEN a regional tag WHEN resolved THEN account, role and region come from the config', () => {
    expect(specFor(o, 'dev_eu-central-1/research/2.0')).toMatchObject({
      stack: 'research-dev-eu-central-1',
      environment: 'dev',
      team: 'research',
      scope: 'regional',
      region: 'eu-central-1',
      account: '555555555555',
      roleArn: 'arn:aws:iam::555555555555:role/InfraBuildRole',
    });
  });
  test('GIVEN a global tag WHEN resolved THEN it deploys from globalRegion', () => {
    expect(specFor(o, 'dev_global/risk/1.0')).toMatchObject({ stack: 'risk-dev-global', scope: 'global', region: 'us-east-1' });
  });
  test('GIVEN a GovCloud region WHEN resolved THEN the role ARN uses the aws-us-gov partition', () => {
    const gov = org(withChanges(PROJECT, { globalRegion: 'us-gov-west-1' }), {
      dev: withChanges(DEV, { regions: ['us-gov-west-1'], 'teams.risk.regions': undefined }),
    });
    expect(specFor(gov, 'dev_us-gov-west-1/risk/1.0').roleArn).toBe('arn:aws-us-gov:iam::444455556666:role/InfraBuildRole');
  });
  test.each([
    ['qa_us-east-1/research/1.0', "unknown environment 'qa' (expected one of dev)"],
    ['dev_us-east-1/ops/1.0', "unknown team 'ops' in environment 'dev' (expected one of research, risk)"],
    ['dev_ap-southeast-1/research/1.0', "region 'ap-southeast-1' is not enabled for environment 'dev' (expected global or one of us-east-1, eu-central-1)"],
    ['dev_eu-central-1/risk/1.0', "region 'eu-central-1' is not enabled for team 'risk' in 'dev' (expected global or one of us-east-1)"],
  ])('GIVEN %s WHEN resolved THEN it fails closed: %s', (tag, message) => {
    expect(() => specFor(o, tag)).toThrow(TagError);
    expect(() => specFor(o, tag)).toThrow(message);
  });
});

describe('stackMatrix', () => {
  test('GIVEN the example organisation WHEN listed THEN there is one stack per (team, environment, scope)', () => {
    const specs = stackMatrix(loadOrganisation(EXAMPLE_ENVIRONMENTS));
    // 4 environments × 2 teams × (global + 3 regions), minus dev risk's ap-southeast-1.
    expect(specs).toHaveLength(31);
    expect(specs.filter((s) => s.scope === 'global')).toHaveLength(8);
    expect(specs.slice(0, 4).map((s) => s.stack)).toEqual([
      'research-dev-global',
      'research-dev-us-east-1',
      'research-dev-eu-central-1',
      'research-dev-ap-southeast-1',
    ]);
  });

  test('GIVEN names that concatenate to the same stack id WHEN checked THEN the collision is reported', () => {
    const o = org(PROJECT, {
      x: { regions: ['us-east-1'], teams: { 'a-dev': { account: '123456789012' } } },
      'dev-x': { regions: ['us-east-1'], teams: { a: { account: '123456789013' } } },
    });
    expect(matrixProblems(o)).toContainEqual(expect.stringMatching(/stack id 'a-dev-x-us-east-1' is produced by team 'a' of 'dev-x' and team 'a-dev' of 'x'/));
  });

  test('GIVEN a prefix that makes bucket names too long WHEN checked THEN it is reported', () => {
    const o = org(withChanges(PROJECT, { 'backend.prefix': 'a'.repeat(40), 'backend.layout': 'regional' }), { 'development-environment': DEV });
    expect(matrixProblems(o)).toContainEqual(expect.stringMatching(/state bucket name '.*' is \d+ characters, S3 allows 63/));
  });

  test('GIVEN an environment named like another plus a hyphen WHEN checked THEN it is reported (dev-* patterns would reach it)', () => {
    const o = org(PROJECT, { dev: DEV, 'dev-x': { regions: ['us-east-1'], teams: { ops: { account: '999999999999' } } } });
    expect(matrixProblems(o)).toContainEqual(expect.stringMatching(/dev-x\.yaml: environment 'dev-x' starts with environment 'dev' and a hyphen/));
  });

  test('GIVEN environments that only share a prefix without a hyphen WHEN checked THEN that is fine', () => {
    const o = org(PROJECT, { dev: DEV, devx: { regions: ['us-east-1'], teams: { ops: { account: '999999999999' } } } });
    expect(matrixProblems(o)).toEqual([]);
  });

  test('GIVEN one workload account for two environments WHEN checked THEN it is reported at the second', () => {
    const o = org(PROJECT, { dev: DEV, prod: { regions: ['us-east-1'], teams: { risk: { account: '444455556666' } } } });
    expect(matrixProblems(o)).toEqual([
      expect.stringMatching(/prod\.yaml: teams\.risk\.account: account 444455556666 is already the workload account of team 'risk' of 'dev'/),
    ]);
  });

  test('GIVEN one workload account for two teams of an environment WHEN checked THEN it is reported', () => {
    const o = org(PROJECT, { dev: withChanges(DEV, { 'teams.risk.account': '555555555555' }) });
    expect(matrixProblems(o)).toContainEqual(expect.stringMatching(/account 555555555555 is already the workload account of team 'research' of 'dev'/));
  });

  test('GIVEN the example organisation WHEN checked THEN it has no problems', () => {
    expect(matrixProblems(loadOrganisation(EXAMPLE_ENVIRONMENTS))).toEqual([]);
  });

  test('GIVEN any organisation, either layout WHEN listed THEN no two stacks share an id or a state file', () => {
    const regions = ['us-east-1', 'eu-central-1', 'ap-southeast-1', 'us-west-2', 'eu-west-1'];
    const teamName = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
    const environment = fc.record({
      regions: fc.subarray(regions, { minLength: 1 }),
      teams: fc.uniqueArray(teamName, { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), environment, { minKeys: 1, maxKeys: 3 }),
        fc.constantFrom('central', 'regional'),
        (envs, layout) => {
          const files: Record<string, object> = { 'project.yaml': withChanges(PROJECT, { 'backend.layout': layout }) };
          let account = 100000000000;
          for (const [name, env] of Object.entries(envs)) {
            if (name === 'project' || name === 'global') continue;
            files[`${name}.yaml`] = {
              regions: env.regions,
              teams: Object.fromEntries(
                env.teams.filter((t) => !t.startsWith('tooling') && !t.startsWith('access')).map((t) => [t, { account: String(account++) }]),
              ),
            };
          }
          if (Object.keys(files).length === 1) return;
          let o: Organisation;
          try {
            o = loadOrganisation(writeOrg(files));
          } catch {
            return; // e.g. an environment left without teams; config validation is tested elsewhere
          }
          const specs = stackMatrix(o);
          const keys = specs.map((s) => `${s.backend.bucket}/${s.backend.key}`);
          expect(new Set(keys).size).toBe(keys.length);
          // Ids may only collide where matrixProblems reports it.
          const ids = specs.map((s) => s.stack);
          if (new Set(ids).size !== ids.length) expect(matrixProblems(o).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
