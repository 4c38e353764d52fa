import { RULES, ruleById } from '../../guardrails/packs';
import { isJsonRule, type GuardrailContext, type JsonRule } from '../../guardrails/rule';
import type { TerraformJson } from '../../guardrails/terraform-json';
import { compliantBucket, CONTEXT, policy, PRODUCTION, stackWith } from './fixtures';

interface RuleCase {
  readonly compliant: TerraformJson;
  readonly violating: TerraformJson;
  /** A fragment of the violation message. */
  readonly message: string;
  readonly context?: GuardrailContext;
}

const lb = (body: Record<string, unknown> = {}) => ({
  aws_lb: {
    web: {
      name: 'web',
      load_balancer_type: 'application',
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      access_logs: { bucket: 'logs', enabled: true },
      security_groups: ['${aws_security_group.lb.id}'],
      ...body,
    },
  },
});
const template = (body: Record<string, unknown> = {}) => ({
  aws_launch_template: {
    t: {
      name_prefix: 'web-',
      metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 },
      block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted: true } }],
      ...body,
    },
  },
});
const role = (trust: Record<string, unknown>) => ({ aws_iam_role: { r: { name: 'r', assume_role_policy: policy([trust]) } } });
const rolePolicy = (statement: Record<string, unknown>) => ({ aws_iam_role_policy: { p: { role: 'r', policy: policy([statement]) } } });
const network = (natCount: unknown, maxZones = 3) => ({
  aws_vpc: { vpc: { cidr_block: '10.0.0.0/16' } },
  aws_default_security_group: { d: { vpc_id: '${aws_vpc.vpc.id}' } },
  aws_subnet: { public: { count: `\${min(length(data.aws_availability_zones.z.names), ${maxZones})}` } },
  aws_nat_gateway: { nat: natCount === undefined ? {} : { count: natCount } },
});
const perZone = (maxZones = 3) => `\${min(length(data.aws_availability_zones.z.names), ${maxZones})}`;
const group = (distribution: Record<string, unknown> | undefined, body: Record<string, unknown> = {}) => ({
  aws_autoscaling_group: {
    g: {
      name: 'web',
      vpc_zone_identifier: '${aws_subnet.private[*].id}',
      capacity_rebalance: true,
      ...(distribution !== undefined ? { mixed_instances_policy: { instances_distribution: distribution, launch_template: {} } } : {}),
      ...body,
    },
  },
});
const keyPolicy = (admins: string[]) => ({
  aws_kms_key: {
    k: {
      enable_key_rotation: true,
      policy: policy([{ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: admins }, Action: ['kms:Create*', 'kms:Put*'], Resource: '*' }]),
    },
  },
});
const ABS_GROUP = (vcpus: { min: number; max: number }, memory: { min: number; max: number }, allowed?: string[]) => ({
  aws_launch_template: { lt: { name_prefix: 'web-', tags: { 'multiregion:architecture': 'x86_64' }, metadata_options: { http_tokens: 'required' } } },
  aws_autoscaling_group: {
    g: {
      vpc_zone_identifier: '${aws_subnet.private[*].id}',
      capacity_rebalance: true,
      mixed_instances_policy: {
        instances_distribution: { on_demand_percentage_above_base_capacity: 50, spot_allocation_strategy: 'price-capacity-optimized' },
        launch_template: {
          launch_template_specification: { launch_template_id: '${aws_launch_template.lt.id}' },
          override: [
            {
              instance_requirements: {
                vcpu_count: vcpus,
                memory_mib: memory,
                accelerator_count: { max: 0 },
                ...(allowed !== undefined ? { allowed_instance_types: allowed } : {}),
              },
            },
          ],
        },
      },
    },
  },
});

const CASES: Record<string, RuleCase> = {
  'MR-S3-1': {
    compliant: stackWith(compliantBucket()),
    violating: stackWith(compliantBucket({ aws_s3_bucket_versioning: undefined })),
    message: "bucket 'my-bucket' has no versioning",
  },
  'MR-S3-2': {
    compliant: stackWith(compliantBucket()),
    violating: stackWith(
      compliantBucket({
        aws_s3_bucket_server_side_encryption_configuration: {
          bucket: '${aws_s3_bucket.b.id}',
          rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
        },
      }),
    ),
    message: 'is encrypted with AES256, not a KMS key',
  },
  'MR-S3-3': {
    compliant: stackWith(compliantBucket()),
    violating: stackWith(
      compliantBucket({
        aws_s3_bucket_public_access_block: { bucket: '${aws_s3_bucket.b.id}', block_public_acls: true, block_public_policy: true, ignore_public_acls: true },
      }),
    ),
    message: 'lacks restrict_public_buckets',
  },
  'MR-S3-4': {
    compliant: stackWith(compliantBucket()),
    violating: stackWith(compliantBucket({ aws_s3_bucket_policy: undefined })),
    message: 'no policy statement denying requests without TLS',
  },
  'MR-S3-5': {
    compliant: stackWith(compliantBucket()),
    violating: stackWith(compliantBucket({ aws_s3_bucket_ownership_controls: { bucket: 'my-bucket', rule: { object_ownership: 'ObjectWriter' } } })),
    message: 'does not enforce bucket ownership',
  },
  'MR-DDB-1': {
    compliant: stackWith({ aws_dynamodb_table: { t: { name: 't', point_in_time_recovery: { enabled: true } } } }),
    violating: stackWith({ aws_dynamodb_table: { t: { name: 't' } } }),
    message: "table 't' has no point-in-time recovery",
  },
  'MR-DDB-2': {
    compliant: stackWith({ aws_dynamodb_table: { t: { name: 't', server_side_encryption: { enabled: true, kms_key_arn: '${aws_kms_key.k.arn}' } } } }),
    violating: stackWith({ aws_dynamodb_table: { t: { name: 't', server_side_encryption: { enabled: true } } } }),
    message: 'not encrypted with a customer-managed key',
  },
  'MR-EC2-1': {
    compliant: stackWith(template()),
    violating: stackWith(template({ metadata_options: { http_tokens: 'optional' } })),
    message: 'does not require IMDSv2 tokens',
  },
  'MR-EC2-2': {
    compliant: stackWith(
      template({ metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 2 }, tags: { 'multiregion:containers': 'true' } }),
    ),
    violating: stackWith(template({ metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 2 } })),
    message: 'has hop limit 2 but declares no containers',
  },
  'MR-EC2-3': {
    compliant: stackWith(template()),
    violating: stackWith(template({ block_device_mappings: [{ device_name: '/dev/xvdb', ebs: { volume_size: 10 } }] })),
    message: 'volume /dev/xvdb is not encrypted',
  },
  'MR-SG-1': {
    compliant: stackWith({
      ...lb(),
      aws_security_group: { lb: { name: 'lb' } },
      aws_vpc_security_group_ingress_rule: {
        https: { security_group_id: '${aws_security_group.lb.id}', cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443 },
      },
    }),
    violating: stackWith({
      ...lb(),
      aws_security_group: { lb: { name: 'lb' }, app: { name: 'app' } },
      aws_vpc_security_group_ingress_rule: { ssh: { security_group_id: '${aws_security_group.app.id}', cidr_ipv4: '0.0.0.0/0', from_port: 22, to_port: 22 } },
    }),
    message: "ingress from 0.0.0.0/0 on port 22 to a group that is not a load balancer's",
  },
  'MR-SG-2': {
    compliant: stackWith({ aws_vpc: { v: {} }, aws_default_security_group: { d: { vpc_id: '${aws_vpc.v.id}' } } }),
    violating: stackWith({ aws_vpc: { v: {} }, aws_default_security_group: { d: { vpc_id: '${aws_vpc.v.id}', egress: [{ cidr_blocks: ['0.0.0.0/0'] }] } } }),
    message: 'the default security group aws_default_security_group.d has rules',
  },
  'MR-LB-1': {
    compliant: stackWith(lb()),
    violating: stackWith(lb({ drop_invalid_header_fields: false })),
    message: "load balancer 'web' forwards invalid header fields",
  },
  'MR-LB-2': {
    compliant: stackWith({ aws_lb_listener: { https: { protocol: 'HTTPS', port: 443, ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' } } }),
    violating: stackWith({ aws_lb_listener: { https: { protocol: 'HTTPS', port: 443 } } }),
    message: 'the default policy (ELBSecurityPolicy-2016-08, TLS 1.0)',
  },
  'MR-LB-3': {
    compliant: stackWith({
      aws_lb_listener: {
        http: { protocol: 'HTTP', port: 80, default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }] },
      },
    }),
    violating: stackWith({ aws_lb_listener: { http: { protocol: 'HTTP', port: 80, default_action: [{ type: 'forward', target_group_arn: 'x' }] } } }),
    message: 'HTTP listener on port 80 serves traffic',
  },
  'MR-LB-4': {
    compliant: stackWith(lb()),
    violating: stackWith(lb({ access_logs: undefined })),
    message: 'in production prod writes no access logs',
    context: PRODUCTION,
  },
  'MR-LB-5': {
    compliant: stackWith(lb()),
    violating: stackWith(lb({ enable_deletion_protection: false })),
    message: 'has no deletion protection',
    context: PRODUCTION,
  },
  'MR-IAM-1': {
    compliant: stackWith(rolePolicy({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] })),
    violating: stackWith(rolePolicy({ Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*' })),
    message: "policy statement 'Admin' allows every action on every resource",
  },
  'MR-IAM-2': {
    compliant: stackWith({
      aws_sns_topic_policy: {
        p: {
          arn: 'x',
          policy: policy([
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: 'x',
              Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
            },
          ]),
        },
      },
    }),
    violating: stackWith({
      aws_sns_topic_policy: { p: { arn: 'x', policy: policy([{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: 'x' }]) } },
    }),
    message: 'allows Principal "*" without a condition that narrows it to named accounts',
  },
  'MR-IAM-3': {
    compliant: stackWith(
      role({
        Effect: 'Allow',
        Principal: { Service: 'codebuild.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
      }),
    ),
    violating: stackWith(role({ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' })),
    message: 'trusts codebuild.amazonaws.com without aws:SourceAccount or aws:SourceArn',
  },
  'MR-IAM-4': {
    compliant: stackWith(rolePolicy({ Effect: 'Allow', Action: ['ec2:DescribeInstances', 'health:Describe*'], Resource: '*' })),
    violating: stackWith(rolePolicy({ Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:TerminateInstances'], Resource: '*' })),
    message: 'allows ec2:TerminateInstances on Resource "*"',
  },
  'MR-PRV-1': {
    compliant: stackWith({}),
    violating: stackWith({}, { provider: { aws: [{ region: 'us-east-1' }] } }),
    message: 'allowed_account_ids is unset, expected ["111111111111"]',
  },
  'MR-BE-1': {
    compliant: stackWith({}),
    violating: stackWith({}, { terraform: { backend: { s3: { bucket: 'b', key: 'k', region: 'us-east-1', encrypt: true } } } }),
    message: 'the state backend lacks kms_key_id',
  },
  'MR-CB-1': {
    compliant: stackWith({ aws_codebuild_project: { p: { name: 'p', environment: { privileged_mode: false } } } }),
    violating: stackWith({ aws_codebuild_project: { p: { name: 'p', environment: { privileged_mode: true } } } }),
    message: "project 'p' runs in privileged mode",
  },
  'MR-CB-2': {
    compliant: stackWith({ aws_cloudwatch_log_group: { l: { name: '/x', retention_in_days: 90, kms_key_id: '${aws_kms_key.k.arn}' } } }),
    violating: stackWith({ aws_cloudwatch_log_group: { l: { name: '/x' } } }),
    message: "log group '/x' has no retention_in_days and no kms_key_id",
  },
  'MR-KMS-1': {
    compliant: stackWith(keyPolicy(['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b'])),
    violating: stackWith({ aws_kms_key: { k: { description: 'state' } } }),
    message: "key 'state' does not rotate",
  },
  'MR-KMS-2': {
    compliant: stackWith(keyPolicy(['arn:aws:iam::111111111111:role/a', 'arn:aws:iam::111111111111:role/b'])),
    violating: stackWith(keyPolicy(['arn:aws:iam::111111111111:role/a'])),
    message: 'names one administrator (arn:aws:iam::111111111111:role/a)',
  },
  'MR-REL-1': {
    compliant: stackWith(network(perZone())),
    violating: stackWith(network(undefined)),
    message: 'one NAT gateway serves every zone in production prod',
    context: PRODUCTION,
  },
  'MR-REL-2': {
    compliant: stackWith(network(perZone(2), 2)),
    violating: stackWith(network(perZone(1), 1)),
    message: 'subnets span at most 1 zone in production prod',
    context: PRODUCTION,
  },
  'MR-REL-3': {
    compliant: stackWith(group(undefined)),
    violating: stackWith(group(undefined, { vpc_zone_identifier: ['subnet-a'] })),
    message: "group 'web' is placed in one subnet or zone",
  },
  'MR-REL-4': {
    compliant: stackWith(group({ on_demand_percentage_above_base_capacity: 50 })),
    violating: stackWith(group({ on_demand_percentage_above_base_capacity: 50 }, { capacity_rebalance: false })),
    message: 'runs 50% spot above its base without capacity rebalance',
  },
  'MR-REL-5': {
    compliant: stackWith(group({ on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: 'price-capacity-optimized' })),
    violating: stackWith(group({ on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: 'lowest-price' })),
    message: 'allocates spot by lowest price',
  },
  'MR-TF-1': {
    compliant: stackWith({
      aws_sns_topic: { topic: { name: 't' } },
      aws_codebuild_project: {
        p: {
          name: 'p',
          environment: {
            environment_variable: [
              { name: 'TOPIC_ARN', value: '${aws_sns_topic.topic.arn}' },
              { name: 'S', value: '$${TAG:0:12}' },
            ],
          },
        },
      },
    }),
    violating: stackWith({
      aws_sns_topic: { topic: { name: 't' } },
      aws_codebuild_project: { p: { name: 'p', environment: { environment_variable: [{ name: 'TOPIC_ARN', value: '$${aws_sns_topic.topic.arn}' }] } } },
    }),
    message: "environment.environment_variable[0].value is the literal text '${aws_sns_topic.topic.arn}', not a reference to aws_sns_topic.topic",
  },
  'MR-SQS-1': {
    compliant: stackWith({ aws_sqs_queue: { q: { name: 'q' } } }),
    violating: stackWith({ aws_sqs_queue: { q: { name: 'q', sqs_managed_sse_enabled: false } } }),
    message: "queue 'q' is not encrypted at rest",
  },
  'MR-SNS-1': {
    compliant: stackWith({ aws_sns_topic: { t: { name: 't', kms_master_key_id: 'alias/aws/sns' } } }),
    violating: stackWith({ aws_sns_topic: { t: { name: 't' } } }),
    message: "topic 't' has no KMS key",
  },
  'MR-RDS-1': {
    compliant: stackWith({
      aws_db_instance: { d: { identifier: 'orders', storage_encrypted: true } },
      aws_rds_cluster: { c: { cluster_identifier: 'c', storage_encrypted: true } },
    }),
    violating: stackWith({ aws_rds_cluster: { c: { cluster_identifier: 'ledger' } } }),
    message: "database 'ledger' has no storage encryption",
  },
  'MR-RDS-2': {
    compliant: stackWith({ aws_db_instance: { d: { identifier: 'orders', publicly_accessible: false } } }),
    violating: stackWith({ aws_rds_cluster_instance: { i: { identifier: 'reader', publicly_accessible: true } } }),
    message: "database 'reader' is publicly accessible",
  },
  'MR-RDS-3': {
    compliant: stackWith({ aws_db_instance: { d: { identifier: 'orders', backup_retention_period: 7 } } }),
    violating: stackWith({ aws_db_instance: { d: { identifier: 'orders', backup_retention_period: 0 } } }),
    message: "database 'orders' keeps no automated backups",
  },
  'MR-RDS-4': {
    compliant: stackWith({ aws_rds_cluster: { c: { cluster_identifier: 'ledger', deletion_protection: true } } }),
    violating: stackWith({ aws_rds_cluster: { c: { cluster_identifier: 'ledger' } } }),
    message: "database 'ledger' in production prod has no deletion protection",
    context: PRODUCTION,
  },
  'MR-RDS-5': {
    compliant: stackWith({
      aws_db_instance: { d: { identifier: 'orders', multi_az: true }, r: { identifier: 'replica', replicate_source_db: '${aws_db_instance.d.identifier}' } },
    }),
    violating: stackWith({ aws_db_instance: { d: { identifier: 'orders' } } }),
    message: "database 'orders' in production prod runs in one zone",
    context: PRODUCTION,
  },
  'MR-EC-1': {
    compliant: stackWith({
      aws_elasticache_replication_group: { g: { replication_group_id: 'cache', at_rest_encryption_enabled: true, transit_encryption_enabled: true } },
    }),
    violating: stackWith({ aws_elasticache_replication_group: { g: { replication_group_id: 'cache', at_rest_encryption_enabled: true } } }),
    message: "replication group 'cache' lacks transit_encryption_enabled",
  },
  'MR-EBS-1': {
    compliant: stackWith({ aws_ebs_volume: { v: { availability_zone: 'us-east-1a', size: 10, encrypted: true } } }),
    violating: stackWith({ aws_ebs_volume: { v: { availability_zone: 'us-east-1a', size: 10, encrypted: false } } }),
    message: 'volume aws_ebs_volume.v is not encrypted',
  },
  'MR-LAMBDA-1': {
    compliant: stackWith({ aws_lambda_function_url: { u: { function_name: 'f', authorization_type: 'AWS_IAM' } } }),
    violating: stackWith({ aws_lambda_function_url: { u: { function_name: 'f', authorization_type: 'NONE' } } }),
    message: 'function URL aws_lambda_function_url.u takes calls without authorization',
  },
  'MR-ECR-1': {
    compliant: stackWith({
      aws_ecr_repository: { r: { name: 'app', image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: [{ scan_on_push: true }] } },
    }),
    violating: stackWith({ aws_ecr_repository: { r: { name: 'app', image_tag_mutability: 'IMMUTABLE' } } }),
    message: "repository 'app' does not scan images on push",
  },
  'MR-ECR-2': {
    compliant: stackWith({
      aws_ecr_repository: { r: { name: 'app', image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: { scan_on_push: true } } },
    }),
    violating: stackWith({ aws_ecr_repository: { r: { name: 'app', image_scanning_configuration: { scan_on_push: true } } } }),
    message: "repository 'app' has mutable tags",
  },
  'MR-SM-1': {
    compliant: stackWith({
      aws_secretsmanager_secret: { s: { name: 'db' } },
      aws_secretsmanager_secret_rotation: { r: { secret_id: '${aws_secretsmanager_secret.s.id}', rotation_rules: { automatically_after_days: 30 } } },
    }),
    violating: stackWith({ aws_secretsmanager_secret: { s: { name: 'db' } } }),
    message: "secret 'db' is never rotated",
  },
  'MR-EKS-1': {
    compliant: stackWith({
      aws_eks_cluster: {
        c: { name: 'k', vpc_config: { endpoint_public_access: false, endpoint_private_access: true }, encryption_config: { resources: ['secrets'] } },
      },
    }),
    violating: stackWith({ aws_eks_cluster: { c: { name: 'k', vpc_config: { subnet_ids: ['a'] }, encryption_config: { resources: ['secrets'] } } } }),
    message: "cluster 'k' serves its API endpoint to the whole internet",
  },
  'MR-EKS-2': {
    compliant: stackWith({
      aws_eks_cluster: { c: { name: 'k', vpc_config: { public_access_cidrs: ['203.0.113.0/24'] }, encryption_config: [{ resources: ['secrets'] }] } },
    }),
    violating: stackWith({ aws_eks_cluster: { c: { name: 'k', vpc_config: { public_access_cidrs: ['203.0.113.0/24'] } } } }),
    message: "cluster 'k' does not encrypt its secrets with a KMS key",
  },
  'MR-CT-1': {
    compliant: stackWith({
      aws_cloudtrail: { t: { name: 'org', s3_bucket_name: 'b', enable_log_file_validation: true, kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/1' } },
    }),
    violating: stackWith({ aws_cloudtrail: { t: { name: 'org', s3_bucket_name: 'b', kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/1' } } }),
    message: "trail 'org' does not validate its log files",
  },
  'MR-CT-2': {
    compliant: stackWith({ aws_cloudtrail: { t: { name: 'org', s3_bucket_name: 'b', enable_log_file_validation: true, kms_key_id: '${aws_kms_key.k.arn}' } } }),
    violating: stackWith({ aws_cloudtrail: { t: { name: 'org', s3_bucket_name: 'b', enable_log_file_validation: true } } }),
    message: "trail 'org' is not encrypted with a KMS key",
  },
  'MR-COST-1': { compliant: stackWith(network(undefined)), violating: stackWith(network(perZone())), message: 'a NAT gateway per zone in non-production dev' },
  'MR-COST-2': {
    compliant: stackWith(group({ on_demand_percentage_above_base_capacity: 50 })),
    violating: stackWith(group({ on_demand_base_capacity: 1 })),
    message: "group 'web' runs only On-Demand in non-production dev",
  },
  'MR-ABS-8': {
    compliant: stackWith(ABS_GROUP({ min: 2, max: 4 }, { min: 4096, max: 16384 })),
    violating: stackWith(ABS_GROUP({ min: 2, max: 2 }, { min: 921600, max: 1024000 })),
    message: 'override[0] (x86_64, spot) matches no instance type offered in us-east-1',
  },
  'MR-ABS-9': {
    compliant: stackWith(ABS_GROUP({ min: 2, max: 4 }, { min: 4096, max: 16384 })),
    violating: stackWith(ABS_GROUP({ min: 2, max: 2 }, { min: 8192, max: 8192 }, ['m7i.*', 'm7g.*'])),
    message: 'matches only',
  },
};

describe('every JSON rule has a compliant and a violating case', () => {
  const jsonRules = RULES.filter(isJsonRule);

  test('GIVEN the rule list WHEN read THEN every JSON rule has cases here, and ids are unique', () => {
    expect(jsonRules.map((r) => r.id).filter((id) => !(id in CASES))).toEqual([]);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  test.each(Object.entries(CASES))('%s', (id, c) => {
    const rule = ruleById(id) as JsonRule;
    expect(isJsonRule(rule)).toBe(true);
    const context = c.context ?? CONTEXT;
    expect(rule.check(c.compliant, context)).toEqual([]);
    const violations = rule.check(c.violating, context);
    expect(violations).toEqual([expect.objectContaining({ message: expect.stringContaining(c.message) })]);
  });

  test.each([
    ['MR-LB-4', CASES['MR-LB-4'].violating],
    ['MR-LB-5', CASES['MR-LB-5'].violating],
    ['MR-REL-1', CASES['MR-REL-1'].violating],
  ])('GIVEN %s outside production WHEN checked THEN it does not apply', (id, json) => {
    expect((ruleById(id) as JsonRule).check(json, CONTEXT)).toEqual([]);
  });

  test('GIVEN a key policy that names the account root WHEN checked THEN administration is delegated to IAM (MR-KMS-2 passes)', () => {
    const json = stackWith({
      aws_kms_key: {
        k: {
          enable_key_rotation: true,
          policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }] }),
        },
      },
    });
    expect((ruleById('MR-KMS-2') as JsonRule).check(json, CONTEXT)).toEqual([]);
  });

  test('GIVEN an EC2 trust policy WHEN checked THEN MR-IAM-3 exempts it (instance profiles are same-account)', () => {
    const json = stackWith({
      aws_iam_role: {
        r: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) },
      },
    });
    expect((ruleById('MR-IAM-3') as JsonRule).check(json, CONTEXT)).toEqual([]);
  });
});

describe('rules on the forms teams write (guardrails round 2)', () => {
  const check = (id: string, json: TerraformJson) => (ruleById(id) as JsonRule).check(json, CONTEXT);
  const closedDefault = { aws_vpc: { v: {} }, aws_default_security_group: { d: { vpc_id: '${aws_vpc.v.id}' } } };

  test.each([
    [
      'aws_security_group_rule on the managed default group',
      {
        aws_security_group_rule: {
          r: { type: 'ingress', security_group_id: '${aws_default_security_group.d.id}', from_port: 22, to_port: 22, protocol: 'tcp' },
        },
      },
    ],
    [
      'aws_vpc_security_group_ingress_rule on the VPC attribute',
      { aws_vpc_security_group_ingress_rule: { r: { security_group_id: '${aws_vpc.v.default_security_group_id}', ip_protocol: '-1' } } },
    ],
    [
      'an indexed egress rule',
      { aws_vpc_security_group_egress_rule: { r: { count: 2, security_group_id: '${aws_default_security_group.d[0].id}', ip_protocol: '-1' } } },
    ],
  ])('GIVEN %s THEN MR-SG-2 reports the rule resource', (_name, rule) => {
    expect(check('MR-SG-2', stackWith({ ...closedDefault, ...rule }))).toEqual([
      expect.objectContaining({ message: expect.stringContaining("adds a rule to a VPC's default security group") }),
    ]);
  });

  test('GIVEN a separate rule on an ordinary security group THEN MR-SG-2 is silent', () => {
    const json = stackWith({
      ...closedDefault,
      aws_security_group: { web: {} },
      aws_vpc_security_group_ingress_rule: { r: { security_group_id: '${aws_security_group.web.id}', ip_protocol: 'tcp' } },
    });
    expect(check('MR-SG-2', json)).toEqual([]);
  });

  test('GIVEN an HTTP listener with no default_action in sight (a dynamic block) THEN MR-LB-3 does not count it as all redirects', () => {
    const json = stackWith({
      aws_lb_listener: { http: { protocol: 'HTTP', port: 80, dynamic: { default_action: { for_each: '${var.actions}', content: {} } } } },
    });
    expect(check('MR-LB-3', json)).toEqual([expect.objectContaining({ address: 'aws_lb_listener.http' })]);
  });
});

describe('MR-IAM-1: Action "*" on any resource', () => {
  const check = (statement: Record<string, unknown>) => (ruleById('MR-IAM-1') as JsonRule).check(stackWith(rolePolicy(statement)), CONTEXT);

  test('GIVEN Action "*" on one bucket THEN it is reported, naming the resource', () => {
    expect(check({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' })).toEqual([
      expect.objectContaining({ message: expect.stringContaining('allows every action on arn:aws:s3:::b') }),
    ]);
  });

  test('GIVEN a service wildcard on one bucket, or Action "*" denied THEN MR-IAM-1 is silent', () => {
    expect(check({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b' })).toEqual([]);
    expect(check({ Effect: 'Deny', Action: '*', Resource: '*' })).toEqual([]);
  });
});

describe('MR-IAM-2: a condition must narrow the principals, not merely exist', () => {
  const bucketPolicy = (condition: Record<string, unknown>) =>
    stackWith({
      aws_s3_bucket_policy: {
        p: { bucket: 'b', policy: policy([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: condition }]) },
      },
    });
  const check = (condition: Record<string, unknown>) => (ruleById('MR-IAM-2') as JsonRule).check(bucketPolicy(condition), CONTEXT);

  test.each([
    ['the organisation', { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234' } }],
    ['an account', { StringEquals: { 'aws:SourceAccount': '111111111111' } }],
    ['a resource of an account', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudfront::111111111111:distribution/*' } }],
    ['principals of an account, by ARN pattern', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/*' } }],
    ['a VPC endpoint, among other conditions', { Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { 'aws:SourceVpce': 'vpce-0abc123' } }],
  ])('GIVEN Principal "*" narrowed to %s THEN it passes', (_name, condition) => {
    expect(check(condition)).toEqual([]);
  });

  test.each([
    ['a wildcard account in aws:PrincipalArn', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } }],
    ['a wildcard account in aws:SourceArn', { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:*:topic' } }],
    ['only TLS', { Bool: { 'aws:SecureTransport': 'true' } }],
    ['a negated operator', { StringNotEquals: { 'aws:SourceAccount': '111111111111' } }],
    ['ForAllValues, which holds when the key is absent', { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-abcdef1234' } }],
    ['one specific value and one wildcard', { StringLike: { 'aws:SourceAccount': ['111111111111', '*'] } }],
  ])('GIVEN Principal "*" with %s THEN it is reported', (_name, condition) => {
    expect(check(condition)).toEqual([expect.objectContaining({ message: expect.stringContaining('without a condition that narrows it') })]);
  });
});

describe('S3 rules on inline and dynamic forms', () => {
  const check = (id: string, json: TerraformJson) => (ruleById(id) as JsonRule).check(json, CONTEXT);
  /** A compliant bucket with some parts replaced by the bucket's own inline settings. */
  const withBucket = (body: Record<string, unknown>, drop: string[]) => {
    const resources = compliantBucket(Object.fromEntries(drop.map((type) => [type, undefined])));
    resources.aws_s3_bucket.b = { bucket: 'my-bucket', ...body };
    return stackWith(resources);
  };
  const kmsRule = { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'k' } };
  const tlsDeny = policy([{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'x', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]);

  test.each([
    ['MR-S3-1', 'inline versioning (object rendering)', { versioning: { enabled: true } }, ['aws_s3_bucket_versioning']],
    ['MR-S3-1', 'inline versioning (array rendering, string boolean)', { versioning: [{ enabled: 'true' }] }, ['aws_s3_bucket_versioning']],
    ['MR-S3-2', 'inline encryption', { server_side_encryption_configuration: { rule: kmsRule } }, ['aws_s3_bucket_server_side_encryption_configuration']],
    [
      'MR-S3-2',
      'inline encryption, array rendering',
      { server_side_encryption_configuration: [{ rule: [kmsRule] }] },
      ['aws_s3_bucket_server_side_encryption_configuration'],
    ],
    ['MR-S3-4', 'an inline bucket policy', { policy: tlsDeny }, ['aws_s3_bucket_policy']],
    [
      'MR-S3-1',
      'a dynamic versioning block over a literal list',
      { dynamic: { versioning: { for_each: [1], content: { enabled: true } } } },
      ['aws_s3_bucket_versioning'],
    ],
  ])('GIVEN %s set by %s THEN it passes', (id, _form, body, drop) => {
    expect(check(id, withBucket(body, drop))).toEqual([]);
  });

  test.each([
    ['MR-S3-1', 'inline versioning disabled', { versioning: { enabled: false } }, ['aws_s3_bucket_versioning'], 'has no versioning'],
    [
      'MR-S3-2',
      'inline SSE-S3',
      { server_side_encryption_configuration: { rule: { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } } } },
      ['aws_s3_bucket_server_side_encryption_configuration'],
      'encrypted with AES256, not a KMS key',
    ],
    [
      'MR-S3-4',
      'an inline policy without the TLS deny',
      { policy: policy([{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: 'x' }]) },
      ['aws_s3_bucket_policy'],
      'no policy statement denying requests without TLS',
    ],
  ])('GIVEN %s with %s THEN it fails as an error', (id, _form, body, drop, message) => {
    const violations = check(id, withBucket(body, drop));
    expect(violations).toEqual([expect.objectContaining({ message: expect.stringContaining(message) })]);
    expect(violations[0].severity).toBeUndefined();
  });

  test.each([
    [
      'MR-S3-1',
      'a dynamic versioning block on the bucket',
      { dynamic: { versioning: { for_each: '${var.versioned ? [1] : []}', content: { enabled: true } } } },
      ['aws_s3_bucket_versioning'],
      'only in a dynamic block',
    ],
    ['MR-S3-2', 'a dynamic rule in the separate resource', {}, [], 'only in a dynamic block'],
  ])('GIVEN %s only in %s THEN it is a warning that says so, never a pass or an error', (id, _form, body, drop, message) => {
    const json = withBucket(body, drop);
    if (id === 'MR-S3-2') {
      const resources = json.resource as Record<string, Record<string, Record<string, unknown>>>;
      resources.aws_s3_bucket_server_side_encryption_configuration.cfg = {
        bucket: '${aws_s3_bucket.b.id}',
        dynamic: { rule: { for_each: '${var.rules}', content: kmsRule } },
      };
    }
    expect(check(id, json)).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining(message) })]);
  });

  test('GIVEN an inline bucket policy with Principal "*" and no narrowing condition THEN MR-IAM-2 reads it too', () => {
    const json = withBucket({ policy: policy([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'x' }]) }, []);
    expect(check('MR-IAM-2', json)).toEqual([expect.objectContaining({ address: 'aws_s3_bucket.b' })]);
  });
});

describe('network load balancers', () => {
  const check = (id: string, json: TerraformJson, context: GuardrailContext = CONTEXT) => (ruleById(id) as JsonRule).check(json, context);
  const nlb = (body: Record<string, unknown>, listener: Record<string, unknown>) =>
    stackWith({
      aws_lb: { n: { name: 'n', load_balancer_type: 'network', ...body } },
      aws_lb_listener: { l: { load_balancer_arn: '${aws_lb.n.arn}', port: 443, ...listener } },
    });

  test('GIVEN a TLS listener with the default policy THEN MR-LB-2 reports it; with a TLS 1.3 policy THEN it passes', () => {
    expect(check('MR-LB-2', nlb({}, { protocol: 'TLS' }))).toEqual([
      expect.objectContaining({ message: expect.stringContaining('TLS listener uses the default policy') }),
    ]);
    expect(check('MR-LB-2', nlb({}, { protocol: 'TLS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }))).toEqual([]);
    expect(check('MR-LB-2', nlb({}, { protocol: 'TCP' }))).toEqual([]);
  });

  test('GIVEN a production NLB with a TLS listener and no access logs THEN MR-LB-4 reports it; a TCP-only NLB (which logs nothing) is not asked', () => {
    expect(check('MR-LB-4', nlb({}, { protocol: 'TLS' }), PRODUCTION)).toEqual([expect.objectContaining({ address: 'aws_lb.n' })]);
    expect(check('MR-LB-4', nlb({ access_logs: { bucket: 'logs', enabled: true } }, { protocol: 'TLS' }), PRODUCTION)).toEqual([]);
    expect(check('MR-LB-4', nlb({}, { protocol: 'TCP' }), PRODUCTION)).toEqual([]);
  });

  test('GIVEN a production NLB without deletion protection THEN MR-LB-5 reports it', () => {
    expect(check('MR-LB-5', nlb({}, { protocol: 'TCP' }), PRODUCTION)).toEqual([expect.objectContaining({ address: 'aws_lb.n' })]);
    expect(check('MR-LB-5', nlb({ enable_deletion_protection: true }, { protocol: 'TCP' }), PRODUCTION)).toEqual([]);
  });
});

describe('rules whose answer synth cannot know', () => {
  test('GIVEN an EBS volume that does not set encrypted THEN MR-EBS-1 is a warning naming the account default, not an error', () => {
    const violations = (ruleById('MR-EBS-1') as JsonRule).check(stackWith({ aws_ebs_volume: { v: { availability_zone: 'us-east-1a', size: 10 } } }), CONTEXT);
    expect(violations).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('only if the account encrypts EBS by default') }),
    ]);
  });
});

describe('MR-IAM-2 on the inline policies of queues, topics and secrets', () => {
  const open = policy([{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }]);
  test.each([
    ['aws_sqs_queue', { name: 'q', policy: open }],
    ['aws_sns_topic', { name: 't', kms_master_key_id: 'alias/aws/sns', policy: open }],
    ['aws_secretsmanager_secret', { name: 's', policy: open }],
    ['aws_ecr_repository_policy', { repository: 'r', policy: open }],
  ])('GIVEN %s with Principal "*" inline THEN it is reported', (type, body) => {
    expect((ruleById('MR-IAM-2') as JsonRule).check(stackWith({ [type]: { x: body } }), CONTEXT)).toEqual([expect.objectContaining({ address: `${type}.x` })]);
  });
});

describe('rule metadata', () => {
  test.each(RULES.map((r) => [r.id, r] as const))('%s has a pack, a severity, a one-line problem and a fix', (_id, rule) => {
    expect(rule.id).toMatch(/^MR-[A-Z0-9]+-\d+$/);
    expect(['security', 'reliability', 'cost', 'abs']).toContain(rule.pack);
    expect(['error', 'warning']).toContain(rule.severity);
    expect(rule.problem).not.toContain('\n');
    expect(rule.fix.length).toBeGreaterThan(10);
  });
});
