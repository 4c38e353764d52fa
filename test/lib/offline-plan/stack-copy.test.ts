import type { ProviderSchema } from '../../../lib/offline-plan/offline-config';
import { offlineStackCopy } from '../../../lib/offline-plan/stack-copy';

const SCHEMA: ProviderSchema = {
  resource_schemas: {
    aws_lb: { block: { attributes: { arn: { type: 'string', computed: true }, name: { type: 'string', optional: true } } } },
    aws_s3_bucket: { block: { attributes: { arn: { type: 'string', computed: true }, bucket: { type: 'string', optional: true } } } },
  },
  data_source_schemas: {
    aws_availability_zones: { block: { attributes: { names: { type: ['list', 'string'], computed: true } } } },
    aws_iam_policy_document: { block: { attributes: { json: { type: 'string', computed: true } } } },
  },
};

const regional = {
  terraform: {
    backend: { s3: { bucket: 'state', key: 'team/dev-us-east-1/terraform.tfstate' } },
    required_providers: { aws: { source: 'aws', version: '6.25.0' } },
  },
  provider: { aws: [{ region: 'us-east-1', allowed_account_ids: ['555555555555'], assume_role: [{ role_arn: 'arn:aws:iam::555555555555:role/Deploy' }] }] },
  data: {
    terraform_remote_state: { global: { backend: 's3', config: { bucket: 'state', key: 'team/dev-global/terraform.tfstate' } } },
    aws_availability_zones: { zones: { state: 'available' } },
    aws_iam_policy_document: { doc: { statement: [] } },
  },
  resource: {
    aws_lb: { web: { name: 'web', lifecycle: { prevent_destroy: true } } },
    aws_s3_bucket: { logs: { bucket: 'logs', tags: { Topic: '$${aws_lb.web.arn}' } } },
  },
};

describe('the offline copy of a stack', () => {
  const outputs = { table_arn: 'arn:aws:dynamodb:us-east-1:555555555555:table/t' };
  const copy = offlineStackCopy('team-dev-us-east-1', regional, SCHEMA, '5.100.0', (state) =>
    state.key === 'team/dev-global/terraform.tfstate' ? outputs : undefined,
  );

  test('GIVEN a regional stack THEN the copy has no backend, the offline provider version and provider, and no prevent_destroy', () => {
    const config = copy.config as typeof regional;
    expect(config.terraform).toEqual({ required_providers: { aws: { source: 'aws', version: '5.100.0' } } });
    expect(config.provider.aws[0]).not.toHaveProperty('assume_role');
    expect(config.provider.aws[0]).not.toHaveProperty('allowed_account_ids');
    expect(config.resource.aws_lb.web.lifecycle).toEqual({});
    expect(regional.resource.aws_lb.web.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('GIVEN its global state and a zone lookup THEN both runs read them from the file-wide overrides; the local policy document is mocked only in the apply', () => {
    const [fileWide, applyRun] = copy.testFile.split('run "apply" {');
    expect(fileWide).toContain(`target = data.terraform_remote_state.global\n  values = {"outputs":${JSON.stringify(outputs)}}`);
    expect(fileWide).toContain('target = data.aws_availability_zones.zones\n  values = {"names":["us-east-1a","us-east-1b","us-east-1c"]');
    expect(fileWide).not.toContain('aws_iam_policy_document');
    expect(applyRun).toContain('target = data.aws_iam_policy_document.doc');
    expect(applyRun).toMatch(/target = aws_lb\.web\n {4}values = \{"arn":"arn:aws:elasticloadbalancing:us-east-1:555555555555:loadbalancer\/app\/web\//);
    expect(applyRun).toContain('target = aws_s3_bucket.logs\n    values = {"arn":"arn:aws:s3:::logs"}');
  });

  test('GIVEN an escaped reference THEN it is a problem naming MR-TF-1', () => {
    expect(copy.problems).toEqual([
      "aws_s3_bucket.logs: tags.Topic is the literal text '${aws_lb.web.arn}', not a reference to aws_lb.web (guardrail MR-TF-1)",
    ]);
  });

  test('GIVEN a remote state no stack of the run writes THEN that is a problem naming the state', () => {
    const orphan = offlineStackCopy('team-dev-us-east-1', regional, SCHEMA, '5.100.0', () => undefined);
    expect(orphan.problems).toContain(
      'data.terraform_remote_state.global: reads the s3 state state/team/dev-global/terraform.tfstate, which no stack of this run writes',
    );
  });
});
