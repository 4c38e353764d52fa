import { formatArn } from '../arn';
import type { Partition } from '../regions';

/**
 * Well-formed values for what AWS would compute, so that an offline apply with a mocked provider
 * sees values of the right shape: ARNs of the right service, region and account, ids with their
 * prefixes, the stack's own account and zones, and policy documents that parse. Terraform's own
 * mock values are random 8-letter strings, which the provider's validators reject (`"8wrqfv2l" is
 * an invalid ARN`), and which no real stack would ever see.
 */

/** Where the mocked stack lives. */
export interface MockTarget {
  readonly partition: Partition;
  readonly region: string;
  readonly account: string;
}

/** The schema type of an attribute, as `terraform providers schema -json` writes it. */
export type SchemaType = string | readonly [string, SchemaType] | readonly [string, unknown];

export interface AttributeSchema {
  readonly type?: SchemaType;
  readonly computed?: boolean;
  readonly optional?: boolean;
  readonly required?: boolean;
  readonly deprecated?: boolean;
}

/** A stable 17-digit hex suffix per name, so two resources of one type get different ids. */
function hexOf(seed: string, length = 17): string {
  let hash = 0x811c9dc5;
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (const char of `${seed}#${round}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
    out += hash.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

function uuidOf(seed: string): string {
  const h = hexOf(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** EC2 (and a few other) ids carry a prefix that names their kind; the provider checks some. */
const ID_PREFIXES: Readonly<Record<string, string>> = {
  aws_vpc: 'vpc',
  aws_subnet: 'subnet',
  aws_security_group: 'sg',
  aws_default_security_group: 'sg',
  aws_launch_template: 'lt',
  aws_internet_gateway: 'igw',
  aws_egress_only_internet_gateway: 'eigw',
  aws_route_table: 'rtb',
  aws_default_route_table: 'rtb',
  aws_route_table_association: 'rtbassoc',
  aws_nat_gateway: 'nat',
  aws_eip: 'eipalloc',
  aws_vpc_endpoint: 'vpce',
  aws_network_acl: 'acl',
  aws_default_network_acl: 'acl',
  aws_network_interface: 'eni',
  aws_ec2_fleet: 'fleet',
  aws_instance: 'i',
  aws_ami: 'ami',
  aws_ebs_volume: 'vol',
  aws_ebs_snapshot: 'snap',
  aws_flow_log: 'fl',
  aws_vpc_security_group_ingress_rule: 'sgr',
  aws_vpc_security_group_egress_rule: 'sgr',
  aws_ec2_transit_gateway: 'tgw',
  aws_vpc_peering_connection: 'pcx',
  aws_key_pair: 'key',
  aws_placement_group: 'pg',
  aws_ec2_capacity_reservation: 'cr',
};

/** The resource kind in an EC2 ARN (`arn:…:ec2:<region>:<account>:<kind>/<id>`), by type. */
const EC2_ARN_KINDS: Readonly<Record<string, string>> = {
  aws_vpc: 'vpc',
  aws_subnet: 'subnet',
  aws_security_group: 'security-group',
  aws_default_security_group: 'security-group',
  aws_launch_template: 'launch-template',
  aws_internet_gateway: 'internet-gateway',
  aws_egress_only_internet_gateway: 'egress-only-internet-gateway',
  aws_route_table: 'route-table',
  aws_default_route_table: 'route-table',
  aws_nat_gateway: 'natgateway',
  aws_eip: 'elastic-ip',
  aws_vpc_endpoint: 'vpc-endpoint',
  aws_network_acl: 'network-acl',
  aws_default_network_acl: 'network-acl',
  aws_network_interface: 'network-interface',
  aws_ec2_fleet: 'fleet',
  aws_instance: 'instance',
  aws_ebs_volume: 'volume',
  aws_ebs_snapshot: 'snapshot',
  aws_flow_log: 'vpc-flow-log',
  aws_vpc_security_group_ingress_rule: 'security-group-rule',
  aws_vpc_security_group_egress_rule: 'security-group-rule',
  aws_ec2_transit_gateway: 'transit-gateway',
  aws_vpc_peering_connection: 'vpc-peering-connection',
  aws_key_pair: 'key-pair',
  aws_placement_group: 'placement-group',
  aws_ec2_capacity_reservation: 'capacity-reservation',
};

/** The id of an EC2 resource: its kind's prefix and 17 hex digits, the same in its ARN. */
function ec2Id(type: string, name: string): string {
  return `${ID_PREFIXES[type]}-${hexOf(`${type}.${name}`)}`;
}

/** An id by the attribute that holds it, wherever it appears (`vpc_id` on a subnet...). */
const ID_ATTRIBUTE_PREFIXES: Readonly<Record<string, string>> = {
  vpc_id: 'vpc',
  subnet_id: 'subnet',
  security_group_id: 'sg',
  default_security_group_id: 'sg',
  default_route_table_id: 'rtb',
  main_route_table_id: 'rtb',
  route_table_id: 'rtb',
  default_network_acl_id: 'acl',
  network_interface_id: 'eni',
  allocation_id: 'eipalloc',
  association_id: 'eipassoc',
  image_id: 'ami',
  launch_template_id: 'lt',
  security_group_rule_id: 'sgr',
  instance_id: 'i',
  snapshot_id: 'snap',
  volume_id: 'vol',
  prefix_list_id: 'pl',
  dhcp_options_id: 'dopt',
};

interface ArnShape {
  readonly service: string;
  /** The resource part; `{id}` is a stable id, `{name}` the resource's name. */
  readonly resource: string;
  /** IAM, S3 and Route 53 ARNs carry no region; S3 and Route 53 no account either. */
  readonly scope?: 'global' | 'none';
}

/** ARNs of the resource types stacks use most; other types get `arn:…:<service>:…:<rest>/<name>`. */
const ARN_SHAPES: Readonly<Record<string, ArnShape>> = {
  aws_s3_bucket: { service: 's3', resource: '{name}', scope: 'none' },
  aws_iam_role: { service: 'iam', resource: 'role/{name}', scope: 'global' },
  aws_iam_policy: { service: 'iam', resource: 'policy/{name}', scope: 'global' },
  aws_iam_instance_profile: { service: 'iam', resource: 'instance-profile/{name}', scope: 'global' },
  aws_iam_user: { service: 'iam', resource: 'user/{name}', scope: 'global' },
  aws_iam_group: { service: 'iam', resource: 'group/{name}', scope: 'global' },
  aws_iam_openid_connect_provider: { service: 'iam', resource: 'oidc-provider/{name}', scope: 'global' },
  aws_lb: { service: 'elasticloadbalancing', resource: 'loadbalancer/app/{name}/{id}' },
  aws_alb: { service: 'elasticloadbalancing', resource: 'loadbalancer/app/{name}/{id}' },
  aws_lb_target_group: { service: 'elasticloadbalancing', resource: 'targetgroup/{name}/{id}' },
  aws_alb_target_group: { service: 'elasticloadbalancing', resource: 'targetgroup/{name}/{id}' },
  aws_lb_listener: { service: 'elasticloadbalancing', resource: 'listener/app/{name}/{id}/{id}' },
  aws_lb_listener_rule: { service: 'elasticloadbalancing', resource: 'listener-rule/app/{name}/{id}/{id}/{id}' },
  aws_kms_key: { service: 'kms', resource: 'key/{uuid}' },
  aws_kms_alias: { service: 'kms', resource: 'alias/{name}' },
  aws_sns_topic: { service: 'sns', resource: '{name}' },
  aws_sqs_queue: { service: 'sqs', resource: '{name}' },
  aws_dynamodb_table: { service: 'dynamodb', resource: 'table/{name}' },
  aws_cloudwatch_log_group: { service: 'logs', resource: 'log-group:{name}' },
  aws_cloudwatch_event_rule: { service: 'events', resource: 'rule/{name}' },
  aws_cloudwatch_metric_alarm: { service: 'cloudwatch', resource: 'alarm:{name}' },
  aws_codebuild_project: { service: 'codebuild', resource: 'project/{name}' },
  aws_codepipeline: { service: 'codepipeline', resource: '{name}' },
  aws_codestarconnections_connection: { service: 'codestar-connections', resource: 'connection/{uuid}' },
  aws_codestarnotifications_notification_rule: { service: 'codestar-notifications', resource: 'notificationrule/{id}' },
  aws_autoscaling_group: { service: 'autoscaling', resource: 'autoScalingGroup:{uuid}:autoScalingGroupName/{name}' },
  aws_autoscaling_policy: { service: 'autoscaling', resource: 'scalingPolicy:{uuid}:autoScalingGroupName/{name}:policyName/{name}' },
  aws_acm_certificate: { service: 'acm', resource: 'certificate/{uuid}' },
  aws_route53_zone: { service: 'route53', resource: 'hostedzone/Z{ID}', scope: 'none' },
  aws_secretsmanager_secret: { service: 'secretsmanager', resource: 'secret:{name}-AbCdEf' },
  aws_lambda_function: { service: 'lambda', resource: 'function:{name}' },
  aws_ecr_repository: { service: 'ecr', resource: 'repository/{name}' },
  aws_ecs_cluster: { service: 'ecs', resource: 'cluster/{name}' },
  aws_eks_cluster: { service: 'eks', resource: 'cluster/{name}' },
  aws_db_instance: { service: 'rds', resource: 'db:{name}' },
  aws_rds_cluster: { service: 'rds', resource: 'cluster:{name}' },
  aws_elasticache_replication_group: { service: 'elasticache', resource: 'replicationgroup:{name}' },
  aws_cloudtrail: { service: 'cloudtrail', resource: 'trail/{name}' },
  aws_ssm_parameter: { service: 'ssm', resource: 'parameter/{name}' },
};

/** What an `*_arn` attribute points at, when its name says (`role_arn` is always a role). */
const ARN_ATTRIBUTE_TYPES: Readonly<Record<string, string>> = {
  role_arn: 'aws_iam_role',
  service_role: 'aws_iam_role',
  execution_role_arn: 'aws_iam_role',
  task_role_arn: 'aws_iam_role',
  kms_key_arn: 'aws_kms_key',
  key_arn: 'aws_kms_key',
  target_group_arn: 'aws_lb_target_group',
  load_balancer_arn: 'aws_lb',
  listener_arn: 'aws_lb_listener',
  topic_arn: 'aws_sns_topic',
  queue_arn: 'aws_sqs_queue',
  certificate_arn: 'aws_acm_certificate',
  log_group_arn: 'aws_cloudwatch_log_group',
  bucket_arn: 'aws_s3_bucket',
  policy_arn: 'aws_iam_policy',
  table_arn: 'aws_dynamodb_table',
};

/** A name for ids and ARNs: the resource's literal name where it has one, else its block name. */
function nameOf(blockName: string, body: Readonly<Record<string, unknown>>): string {
  for (const field of ['name', 'bucket', 'function_name', 'cluster_identifier', 'identifier']) {
    const value = body[field];
    if (typeof value === 'string' && value !== '' && !value.includes('${')) return value;
  }
  // Whole, not cut short: two blocks whose names share a long prefix must not share an id.
  return blockName.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

export function arnFor(type: string, name: string, target: MockTarget): string {
  if (type in EC2_ARN_KINDS && type in ID_PREFIXES) {
    return formatArn({
      partition: target.partition,
      service: 'ec2',
      region: target.region,
      account: target.account,
      resource: `${EC2_ARN_KINDS[type]}/${ec2Id(type, name)}`,
    });
  }
  const shape = ARN_SHAPES[type] ?? {
    service: type.replace(/^aws_/, '').split('_')[0],
    resource: `${type.replace(/^aws_[a-z0-9]+_?/, '') || 'resource'}/{name}`,
  };
  const resource = shape.resource
    // SSM parameter names start with a slash that the ARN does not repeat (parameter/aws/service/...).
    .replace(/\{name\}/g, type === 'aws_ssm_parameter' ? name.replace(/^\//, '') : name)
    .replace(/\{uuid\}/g, uuidOf(`${type}.${name}`))
    .replace(/\{ID\}/g, hexOf(`${type}.${name}`, 13).toUpperCase())
    .replace(/\{id\}/g, hexOf(`${type}.${name}`, 16));
  return formatArn({
    partition: target.partition,
    service: shape.service,
    region: shape.scope === undefined ? target.region : '',
    account: shape.scope === 'none' ? '' : target.account,
    resource,
  });
}

/** A policy document that parses and that IAM's validators accept. */
export const MOCK_POLICY_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Mock', Effect: 'Deny', Action: 'none:Mock', Resource: '*' }],
});

/**
 * A well-formed value for one computed string attribute, or undefined where none is known (the
 * mock's random string then stays: fine for a name or a description).
 */
export function mockString(type: string, attribute: string, name: string, target: MockTarget): string | undefined {
  const seed = `${type}.${name}.${attribute}`;
  if (attribute === 'arn') return arnFor(type, name, target);
  if (attribute in ARN_ATTRIBUTE_TYPES) return arnFor(ARN_ATTRIBUTE_TYPES[attribute], `${name}`, target);
  if (attribute.endsWith('_arn')) return arnFor(type, `${name}-${attribute.replace(/_arn$/, '')}`, target);
  if (type === 'aws_sqs_queue' && (attribute === 'id' || attribute === 'url')) return `https://sqs.${target.region}.amazonaws.com/${target.account}/${name}`;
  if (attribute === 'id') {
    if (type in ID_PREFIXES) return ec2Id(type, name);
    if (type in ARN_SHAPES && /^aws_(lb|alb|sns_topic|iam_policy|lb_target_group|lb_listener)/.test(type)) return arnFor(type, name, target);
    return name;
  }
  if (attribute in ID_ATTRIBUTE_PREFIXES) return `${ID_ATTRIBUTE_PREFIXES[attribute]}-${hexOf(seed)}`;
  if (attribute === 'owner_id' || attribute === 'account_id') return target.account;
  if (attribute === 'region') return target.region;
  if (attribute === 'key_id') return uuidOf(seed);
  if (attribute === 'unique_id') return `AROA${hexOf(seed, 17).toUpperCase()}`;
  if (attribute === 'json' || attribute === 'minified_json' || attribute === 'policy') return MOCK_POLICY_DOCUMENT;
  if (attribute === 'dns_name') return `${name}-${parseInt(hexOf(seed, 8), 16)}.${target.region}.elb.amazonaws.com`;
  if (attribute === 'zone_id' || attribute === 'hosted_zone_id') return `Z${hexOf(seed, 13).toUpperCase()}`;
  if (attribute === 'arn_suffix') return `app/${name}/${hexOf(seed, 16)}`;
  if (attribute === 'bucket_domain_name' || attribute === 'bucket_regional_domain_name') return `${name}.s3.${target.region}.amazonaws.com`;
  if (attribute === 'availability_zone') return `${target.region}a`;
  return undefined;
}

/** The zones a mocked `aws_availability_zones` reports: three, as most regions have at least. */
export function mockZones(target: MockTarget): { names: string[]; zone_ids: string[] } {
  const short = target.region.replace(/^([a-z]{2})-([a-z]+)-(\d+)$/, (_m, area: string, dir: string, n: string) => `${area}${dir[0]}${n}`);
  return { names: ['a', 'b', 'c'].map((z) => `${target.region}${z}`), zone_ids: [1, 2, 3].map((n) => `${short}-az${n}`) };
}

/**
 * Values for every computed attribute of one resource or data source that the configuration does
 * not set and that has a well-formed mock. Data sources that only read AWS get the values a
 * caller would expect of them (`aws_caller_identity` is the stack's account, `aws_ssm_parameter`
 * holding an AMI id is an AMI id).
 */
export function mockValues(
  type: string,
  blockName: string,
  body: Readonly<Record<string, unknown>>,
  attributes: Readonly<Record<string, AttributeSchema>>,
  target: MockTarget,
): Record<string, unknown> {
  const name = nameOf(blockName, body);
  const values: Record<string, unknown> = {};
  for (const [attribute, schema] of Object.entries(attributes)) {
    if (schema.computed !== true || attribute in body || schema.deprecated === true) continue;
    if (schema.type === 'string') {
      const value = mockString(type, attribute, name, target);
      if (value !== undefined) values[attribute] = value;
    }
  }
  // An Elastic IP's id is its allocation id.
  if (type === 'aws_eip' && typeof values.id === 'string') values.allocation_id = values.id;
  if (type === 'aws_availability_zones') Object.assign(values, mockZones(target));
  if (type === 'aws_caller_identity') {
    Object.assign(values, {
      account_id: target.account,
      arn: arnFor('aws_iam_role', 'mock-caller', target),
      user_id: `AROA${hexOf('caller', 17).toUpperCase()}:mock`,
    });
  }
  if (type === 'aws_iam_session_context') Object.assign(values, { issuer_arn: arnFor('aws_iam_role', 'mock-caller', target), issuer_name: 'mock-caller' });
  if (type === 'aws_ssm_parameter' && typeof body.name === 'string' && /ami/i.test(body.name)) {
    const ami = `ami-${hexOf(`${blockName}.${body.name}`)}`;
    Object.assign(values, { value: ami, insecure_value: ami });
  }
  return values;
}

/** A deterministic value of the attribute's type: what a mock fixed at plan time must give for every computed attribute. */
function zeroOf(type: SchemaType | undefined): unknown {
  if (type === 'string') return '';
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (Array.isArray(type)) return type[0] === 'map' || type[0] === 'object' ? {} : [];
  return null;
}

/**
 * Resource types whose provider computes, at plan time, values that configurations key a
 * `for_each` on; a mock leaves them unknown until apply, which fails a correct stack. Their mocks
 * are fixed at plan time (`override_during = plan`) and give every computed attribute a value, as
 * terraform then requires.
 */
export const PLAN_TIME_TYPES: ReadonlySet<string> = new Set(['aws_acm_certificate']);

/** The values of a plan-time mock: the well-formed ones, what the provider derives from the config, and a fixed value for every other computed attribute. */
export function planTimeValues(
  type: string,
  body: Readonly<Record<string, unknown>>,
  attributes: Readonly<Record<string, AttributeSchema>>,
  wellFormed: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [attribute, schema] of Object.entries(attributes)) {
    if (schema.computed === true && !(attribute in body) && schema.deprecated !== true) values[attribute] = zeroOf(schema.type);
  }
  if (type === 'aws_acm_certificate') {
    // The provider lists one validation record per domain at plan time (the certificate's
    // domain_name and subject_alternative_names), which DNS validation keys its records on.
    const names = [body.domain_name, ...(Array.isArray(body.subject_alternative_names) ? body.subject_alternative_names : [])].filter(
      (name): name is string => typeof name === 'string',
    );
    values.domain_validation_options = [...new Set(names)].map((name) => ({
      domain_name: name,
      resource_record_name: `_${hexOf(name, 32)}.${name.replace(/^\*\./, '')}.`,
      resource_record_type: 'CNAME',
      resource_record_value: `_${hexOf(`${name}#value`, 32)}.acm-validations.aws.`,
    }));
  }
  return { ...values, ...wellFormed };
}
