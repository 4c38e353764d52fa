import { arnFor, mockValues, MOCK_POLICY_DOCUMENT, planTimeValues, type AttributeSchema } from '../../../lib/offline-plan/mock-values';

const TARGET = { partition: 'aws', region: 'eu-central-1', account: '555555555555' } as const;
const computed = (...names: string[]): Record<string, AttributeSchema> => Object.fromEntries(names.map((n) => [n, { type: 'string', computed: true }]));
const ARN = /^arn:(aws|aws-cn|aws-us-gov):[a-z0-9-]+:([a-z0-9-]*):(\d{12}|):.+$/;

describe('well-formed mock values', () => {
  test.each([
    ['aws_s3_bucket', 'logs', 'arn:aws:s3:::logs'],
    ['aws_iam_role', 'deploy', 'arn:aws:iam::555555555555:role/deploy'],
    ['aws_dynamodb_table', 't', 'arn:aws:dynamodb:eu-central-1:555555555555:table/t'],
    ['aws_sns_topic', 'alerts', 'arn:aws:sns:eu-central-1:555555555555:alerts'],
    ['aws_cloudwatch_log_group', '/aws/x', 'arn:aws:logs:eu-central-1:555555555555:log-group:/aws/x'],
  ])('GIVEN %s %s THEN its ARN names the service, region and account as AWS writes them', (type, name, arn) => {
    expect(arnFor(type, name, TARGET)).toBe(arn);
  });

  test('GIVEN load balancer parts THEN their ARNs are elasticloadbalancing ARNs of the right kind', () => {
    expect(arnFor('aws_lb', 'web', TARGET)).toMatch(/^arn:aws:elasticloadbalancing:eu-central-1:555555555555:loadbalancer\/app\/web\/[0-9a-f]{16}$/);
    expect(arnFor('aws_lb_target_group', 'web', TARGET)).toMatch(/:targetgroup\/web\/[0-9a-f]{16}$/);
  });

  test('GIVEN a type with no known shape THEN the ARN still parses, with the service from the type name', () => {
    expect(arnFor('aws_xray_group', 'g', TARGET)).toBe('arn:aws:xray:eu-central-1:555555555555:group/g');
  });

  test('GIVEN a GovCloud target THEN the partition is aws-us-gov', () => {
    expect(arnFor('aws_iam_role', 'r', { partition: 'aws-us-gov', region: 'us-gov-west-1', account: '1' })).toBe('arn:aws-us-gov:iam::1:role/r');
  });

  test('GIVEN EC2 resources THEN ids carry their prefixes, differ per resource and are stable', () => {
    const vpc = mockValues('aws_vpc', 'net', {}, computed('id', 'arn', 'owner_id', 'default_security_group_id'), TARGET);
    expect(vpc.id).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(vpc.default_security_group_id).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(vpc.owner_id).toBe('555555555555');
    expect(vpc.arn).toBe(`arn:aws:ec2:eu-central-1:555555555555:vpc/${vpc.id}`);
    expect(mockValues('aws_vpc', 'other', {}, computed('id'), TARGET).id).not.toBe(vpc.id);
    expect(mockValues('aws_vpc', 'net', {}, computed('id'), TARGET).id).toBe(vpc.id);
  });

  test('GIVEN attributes the configuration sets THEN they are not mocked', () => {
    expect(mockValues('aws_s3_bucket', 'b', { bucket: 'mine', arn: 'x' }, computed('arn', 'bucket', 'id'), TARGET)).toEqual({ id: 'mine' });
  });

  test('GIVEN *_arn attributes THEN each is an ARN of the service its name says', () => {
    const values = mockValues('aws_codebuild_project', 'p', { name: 'p' }, computed('arn', 'role_arn', 'kms_key_arn', 'badge_url_arn'), TARGET);
    expect(values.role_arn).toMatch(/^arn:aws:iam::555555555555:role\//);
    expect(values.kms_key_arn).toMatch(/^arn:aws:kms:eu-central-1:555555555555:key\//);
    for (const value of Object.values(values)) expect(value).toMatch(ARN);
  });

  test('GIVEN data sources that read AWS THEN they answer as AWS would for this stack', () => {
    expect(mockValues('aws_caller_identity', 'me', {}, computed('account_id', 'arn', 'user_id'), TARGET)).toMatchObject({ account_id: '555555555555' });
    expect(mockValues('aws_availability_zones', 'z', {}, {}, TARGET)).toEqual({
      names: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
      zone_ids: ['euc1-az1', 'euc1-az2', 'euc1-az3'],
    });
    const ami = mockValues('aws_ssm_parameter', 'a', { name: '/aws/service/ami-amazon-linux-latest/x' }, computed('value', 'insecure_value', 'arn'), TARGET);
    expect(ami.value).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(ami.insecure_value).toBe(ami.value);
    expect(mockValues('aws_iam_policy_document', 'd', {}, computed('json', 'minified_json'), TARGET)).toEqual({
      json: MOCK_POLICY_DOCUMENT,
      minified_json: MOCK_POLICY_DOCUMENT,
    });
    expect(JSON.parse(MOCK_POLICY_DOCUMENT).Statement).toHaveLength(1);
  });

  test('GIVEN a certificate WHEN mocked at plan time THEN every computed attribute has a fixed value and each domain a validation record', () => {
    const attributes: Record<string, AttributeSchema> = {
      ...computed('arn', 'status'),
      not_after: { type: 'string', computed: true },
      pending_renewal: { type: 'bool', computed: true },
      domain_validation_options: { type: ['set', ['object', {}]], computed: true },
      tags_all: { type: ['map', 'string'], computed: true, optional: true },
    };
    const body = { domain_name: 'example.com', subject_alternative_names: ['*.example.com', 'example.com'] };
    const values = planTimeValues('aws_acm_certificate', body, attributes, { arn: 'arn:aws:acm:x' });
    expect(values).toMatchObject({ arn: 'arn:aws:acm:x', status: '', not_after: '', pending_renewal: false, tags_all: {} });
    expect((values.domain_validation_options as { domain_name: string }[]).map((o) => o.domain_name)).toEqual(['example.com', '*.example.com']);
    expect(values.domain_validation_options).toContainEqual(
      expect.objectContaining({ resource_record_type: 'CNAME', resource_record_name: expect.stringMatching(/^_[0-9a-f]+\.example\.com\.$/) }),
    );
  });
});

describe('mock values as AWS shapes them (from the newcomer trial)', () => {
  test('GIVEN two launch templates whose block names share a long prefix THEN their ids differ', () => {
    const a = mockValues('aws_launch_template', 'web-service_compute_web_template_arm64_ECCD599A', {}, computed('id'), TARGET);
    const b = mockValues('aws_launch_template', 'web-service_compute_web_template_x86_64_FD3F4D24', {}, computed('id'), TARGET);
    expect(a.id).not.toBe(b.id);
  });

  test('GIVEN a queue THEN its id and url are the queue URL; GIVEN an SSM parameter THEN its ARN has one slash; GIVEN an EIP THEN allocation_id is its id', () => {
    expect(mockValues('aws_sqs_queue', 'q', { name: 'orders' }, computed('id', 'url'), TARGET)).toMatchObject({
      id: 'https://sqs.eu-central-1.amazonaws.com/555555555555/orders',
      url: 'https://sqs.eu-central-1.amazonaws.com/555555555555/orders',
    });
    expect(mockValues('aws_ssm_parameter', 'p', { name: '/aws/service/x' }, computed('arn'), TARGET).arn).toBe(
      'arn:aws:ssm:eu-central-1:555555555555:parameter/aws/service/x',
    );
    const eip = mockValues('aws_eip', 'nat', {}, computed('id', 'allocation_id'), TARGET);
    expect(eip.allocation_id).toBe(eip.id);
  });
});
