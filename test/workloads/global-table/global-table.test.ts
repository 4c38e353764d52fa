import { devOrg, resources, synthTag } from '../../support/synth';

const TABLE = { name: 'orders', partitionKey: { name: 'orderId' }, sortKey: { name: 'placedAt', type: 'N' } };
const tableTeam = (more: Record<string, unknown> = {}, project: Record<string, unknown> = {}) =>
  devOrg(
    {
      'teams.research.workloads': ['global-table'],
      'teams.research.settings': { 'global-table': TABLE },
      'teams.research.regions': ['us-east-1', 'eu-central-1', 'ap-southeast-1'],
      regions: ['us-east-1', 'eu-central-1', 'ap-southeast-1'],
      ...more,
    },
    project,
  );

describe('global-table: the global part', () => {
  const json = synthTag(tableTeam(), 'dev_global/research/1.0');
  const [table] = resources(json, 'aws_dynamodb_table');

  test('WHEN synthesized THEN one table in the global region has a replica in every other region of the team', () => {
    expect(table).toMatchObject({
      name: 'acme-research-dev-orders',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'orderId',
      range_key: 'placedAt',
      stream_enabled: true,
      stream_view_type: 'NEW_AND_OLD_IMAGES',
    });
    expect(table.attribute).toEqual([
      { name: 'orderId', type: 'S' },
      { name: 'placedAt', type: 'N' },
    ]);
    expect(table.replica.map((r: { region_name: string }) => r.region_name)).toEqual(['eu-central-1', 'ap-southeast-1']);
    expect(json.provider.aws[0].region).toBe('us-east-1');
  });

  test('WHEN synthesized THEN it is encrypted with point-in-time recovery everywhere', () => {
    expect(table.server_side_encryption).toEqual({ enabled: true });
    expect(table.point_in_time_recovery).toEqual({ enabled: true });
    for (const replica of table.replica) expect(replica.point_in_time_recovery).toBe(true);
  });

  test('WHEN synthesized THEN the team instance role may use the items of every replica and nothing else', () => {
    const [policy] = resources(json, 'aws_iam_role_policy');
    expect(policy.role).toMatch(/^\$\{aws_iam_role\.identity_role_[^.]+\.name\}$/);
    expect(policy.policy).toMatch(/^\$\{data\.aws_iam_policy_document\.global-table_workload-access-document_[^.]+\.json\}$/);
    const document = Object.values(json.data.aws_iam_policy_document as Record<string, { statement: { actions: string[]; resources: string[] }[] }>).find((d) =>
      d.statement[0].actions.includes('dynamodb:GetItem'),
    )!;
    const [statement] = document.statement;
    expect(statement.actions).not.toContain('dynamodb:DeleteTable');
    expect(statement.actions).not.toContain('dynamodb:Scan');
    expect(statement.resources[0]).toMatch(/^\$\{replace\(aws_dynamodb_table\.[^.]+\.arn, ":us-east-1:", ":\*:"\)\}$/);
    expect(statement.resources[1]).toMatch(/\/index\/\*$/);
  });

  test('WHEN synthesized THEN name and ARN are outputs of the global stack, under the workload name', () => {
    expect(json.output.global_table__table_name.value).toMatch(/^\$\{aws_dynamodb_table\.[^.]+\.name\}$/);
    expect(json.output.global_table__table_arn.value).toMatch(/^\$\{aws_dynamodb_table\.[^.]+\.arn\}$/);
  });

  test.each<[string, Record<string, unknown>, boolean]>([
    ['dev', {}, false],
    ['an environment marked production', { production: true }, true],
  ])('GIVEN %s WHEN synthesized THEN deletion protection is %s', (_what, changes, expected) => {
    expect(resources(synthTag(tableTeam(changes), 'dev_global/research/1.0'), 'aws_dynamodb_table')[0].deletion_protection_enabled).toBe(expected);
  });
});

describe('global-table: the regional part reads the global outputs', () => {
  test.each([
    ['central', {}, { bucket: 'acme-tf-state-dev', key: 'research/dev-global/terraform.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true }],
    [
      'regional',
      { 'backend.layout': 'regional', 'backend.region': undefined, 'backend.locking': 'both' },
      { bucket: 'acme-tf-state-use1-dev', key: 'research/dev-global/terraform.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true },
    ],
  ])(
    'GIVEN the %s layout WHEN a region is synthesized THEN its remote state reads the global stack backend (no lock table: reading takes no lock)',
    (_layout, project, expected) => {
      const org = tableTeam({}, project);
      const regional = synthTag(org, 'dev_eu-central-1/research/1.0');
      const global = synthTag(org, 'dev_global/research/1.0');
      const [remote] = Object.values(regional.data.terraform_remote_state) as { backend: string; config: object }[];
      expect(remote.backend).toBe('s3');
      expect(remote.config).toEqual(expected);
      const { bucket, key, region } = global.terraform.backend.s3;
      expect(remote.config).toMatchObject({ bucket, key, region });
    },
  );

  test("WHEN a region is synthesized THEN the SSM parameters carry the table name and this region's replica ARN from the outputs", () => {
    const json = synthTag(tableTeam(), 'dev_ap-southeast-1/research/1.0');
    const parameters = Object.fromEntries(resources(json, 'aws_ssm_parameter').map((p) => [p.name, p.value]));
    expect(parameters['/acme/research/dev/global-table/orders/name']).toMatch(
      /^\$\{data\.terraform_remote_state\.global-state\.outputs\.global_table__table_name\}$/,
    );
    expect(parameters['/acme/research/dev/global-table/orders/arn']).toBe(
      '${replace(data.terraform_remote_state.global-state.outputs.global_table__table_arn, ":us-east-1:", ":ap-southeast-1:")}',
    );
  });

  test('GIVEN a regional stack whose workloads read no global output WHEN synthesized THEN it has no remote state', () => {
    const json = synthTag(devOrg(), 'dev_us-east-1/research/1.0');
    expect(json.data?.terraform_remote_state).toBeUndefined();
  });
});
