import { App, Testing } from 'cdktf';
import { loadOrganisation, type Organisation } from '../../lib/config';
import { stackSpecForTag } from '../../lib/stack-spec';
import { parseReleaseTag } from '../../lib/tag';
import { GlobalStack } from '../../stacks/global-stack';
import { RegionalStack } from '../../stacks/regional-stack';
import { DEV, PROJECT, withChanges, writeOrg } from '../support/org';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function synthTag(org: Organisation, tag: string): Json {
  const parsed = parseReleaseTag(tag);
  const spec = stackSpecForTag(org, parsed);
  const app = Testing.app({ stackTraces: false }) as App;
  const stack =
    spec.scope === 'global' ? new GlobalStack(app, { org, spec, version: parsed.version }) : new RegionalStack(app, { org, spec, version: parsed.version });
  return JSON.parse(Testing.synth(stack)) as Json;
}

const resources = (json: Json, type: string): Json[] => Object.values((json.resource?.[type] ?? {}) as Json);

describe('every workload stack', () => {
  const org = loadOrganisation(writeOrg());

  test.each(['dev_eu-central-1/research/1.4', 'dev_global/research/1.4'])(
    'GIVEN %s WHEN synthesized THEN the provider can only reach the team account',
    (tag) => {
      const json = synthTag(org, tag);
      const [provider] = json.provider.aws as Json[];
      expect(provider.region).toBe(tag.includes('global') ? 'us-east-1' : 'eu-central-1');
      expect(provider.allowed_account_ids).toEqual(['555555555555']);
      expect(provider.assume_role).toEqual([{ role_arn: 'arn:aws:iam::555555555555:role/InfraBuildRole', session_name: 'multiregion-dev-research' }]);
      expect(provider.default_tags[0].tags).toEqual({
        Project: 'acme',
        Environment: 'dev',
        Team: 'research',
        Scope: tag.includes('global') ? 'global' : 'eu-central-1',
        Stack: tag.includes('global') ? 'research-dev-global' : 'research-dev-eu-central-1',
        ManagedBy: 'multiregion',
        Version: '1.4',
      });
    },
  );

  test('GIVEN lockfile locking WHEN synthesized THEN the S3 backend is encrypted with the state key and uses the S3 lock file', () => {
    const json = synthTag(org, 'dev_us-east-1/risk/1.0');
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: 'acme-tf-state-dev',
        key: 'risk/dev-us-east-1/terraform.tfstate',
        region: 'us-east-1',
        encrypt: true,
        kms_key_id: 'arn:aws:kms:us-east-1:111122223333:alias/acme-dev-state',
        use_lockfile: true,
      },
    });
  });

  test.each([
    ['dynamodb', { dynamodb_table: 'acme-tf-state-lock-dev' }, ['use_lockfile']],
    ['both', { dynamodb_table: 'acme-tf-state-lock-dev', use_lockfile: true }, []],
  ])('GIVEN %s locking WHEN synthesized THEN the backend has the lock settings', (locking, expected, absent) => {
    const o = loadOrganisation(writeOrg({ 'project.yaml': withChanges(PROJECT, { 'backend.locking': locking }), 'dev.yaml': DEV }));
    const s3 = synthTag(o, 'dev_us-east-1/risk/1.0').terraform.backend.s3 as Json;
    expect(s3).toMatchObject(expected);
    for (const key of absent) expect(s3).not.toHaveProperty(key);
  });

  test('GIVEN organisation tags WHEN synthesized THEN they are added but never replace the core tags', () => {
    const o = loadOrganisation(
      writeOrg({
        'project.yaml': { ...PROJECT, tags: { CostCenter: 'cc-1', Team: 'spoofed' } },
        'dev.yaml': withChanges(DEV, { 'teams.risk.tags': { Owner: 'risk@acme' } }),
      }),
    );
    const tags = synthTag(o, 'dev_us-east-1/risk/1.0').provider.aws[0].default_tags[0].tags as Json;
    expect(tags).toMatchObject({ CostCenter: 'cc-1', Owner: 'risk@acme', Team: 'risk' });
  });

  test('GIVEN no tag WHEN a stack is built THEN there is no Version tag', () => {
    const spec = stackSpecForTag(org, parseReleaseTag('dev_us-east-1/risk/1.0'));
    const app = Testing.app() as App;
    const json = JSON.parse(Testing.synth(new RegionalStack(app, { org, spec }))) as Json;
    expect(json.provider.aws[0].default_tags[0].tags).not.toHaveProperty('Version');
  });
});

describe('the regional stack with web-service: the seed article workload', () => {
  const org = loadOrganisation(writeOrg());
  const json = synthTag(org, 'dev_eu-central-1/research/1.0');

  test('WHEN synthesized THEN the VPC spans the region zones up to maxAzs with public and private subnets', () => {
    const [vpc] = resources(json, 'aws_vpc');
    expect(vpc).toMatchObject({ cidr_block: '10.0.0.0/16', enable_dns_hostnames: true, enable_dns_support: true });
    const [zones] = Object.values(json.data.aws_availability_zones as Json) as Json[];
    expect(zones.state).toBe('available');
    const subnets = resources(json, 'aws_subnet');
    expect(subnets).toHaveLength(2);
    for (const subnet of subnets) {
      expect(subnet.count).toMatch(/^\$\{min\(length\(data\.aws_availability_zones\.[^)]+\.names\), 3\)\}$/);
      expect(subnet.availability_zone).toMatch(/^\$\{element\(data\.aws_availability_zones\.[^)]+\.names, count\.index\)\}$/);
    }
    expect(subnets.map((s) => s.cidr_block).sort()).toEqual([
      '${cidrsubnet("10.0.0.0/16", 4, (8 + count.index))}',
      '${cidrsubnet("10.0.0.0/16", 4, count.index)}',
    ]);
    expect(subnets.find((s) => s.tags.Tier === 'public')?.map_public_ip_on_launch).toBe(false);
  });

  test('WHEN synthesized with per-az NAT THEN there is one NAT gateway and private route table per zone', () => {
    const [nat] = resources(json, 'aws_nat_gateway');
    expect(nat.count).toMatch(/^\$\{min\(length/);
    const privateRoutes = resources(json, 'aws_route_table').find((r) => r.count !== undefined);
    expect(privateRoutes?.route[0].nat_gateway_id).toMatch(/^\$\{element\(aws_nat_gateway\.[^[]+\[\*\]\.id, count\.index\)\}$/);
  });

  test('GIVEN a team base range WHEN synthesized THEN the VPC and its subnets use the region block', () => {
    const o = loadOrganisation(writeOrg({ 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { 'teams.risk.network': { baseRange: '10.32.0.0/12' } }) }));
    const ranged = synthTag(o, 'dev_us-east-1/risk/1.0');
    expect(resources(ranged, 'aws_vpc')[0].cidr_block).toBe('10.32.0.0/18');
    expect(resources(ranged, 'aws_subnet').map((s) => s.cidr_block)).toContain('${cidrsubnet("10.32.0.0/18", 4, count.index)}');
  });

  test('GIVEN natGateways single WHEN synthesized THEN one NAT gateway serves every private subnet', () => {
    const o = loadOrganisation(writeOrg({ 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { network: { natGateways: 'single', maxAzs: 2 } }) }));
    const single = synthTag(o, 'dev_us-east-1/risk/1.0');
    expect(resources(single, 'aws_nat_gateway')[0].count).toBe(1);
    expect(resources(single, 'aws_subnet')[0].count).toMatch(/, 2\)\}$/);
  });

  test('WHEN synthesized THEN an internet-facing ALB in the public subnets forwards to the web tier, whose page names the region', () => {
    const [lb] = resources(json, 'aws_lb');
    expect(lb).toMatchObject({ internal: false, load_balancer_type: 'application', drop_invalid_header_fields: true, name: 'research-dev-eu-central-1' });
    expect(lb.subnets).toMatch(/^\$\{aws_subnet\.network_public_[^[]+\[\*\]\.id\}$/);
    const [listener] = resources(json, 'aws_lb_listener');
    expect(listener.default_action[0]).toMatchObject({ type: 'forward', target_group_arn: expect.stringMatching(/^\$\{aws_lb_target_group\./) });
    for (const template of resources(json, 'aws_launch_template')) {
      expect(Buffer.from(template.user_data as string, 'base64').toString()).toContain('Hello from eu-central-1');
    }
    const albEgress = resources(json, 'aws_vpc_security_group_egress_rule').filter((r) =>
      String(r.security_group_id).startsWith('${aws_security_group.web-service_alb_sg_'),
    );
    expect(albEgress.map((r) => r.cidr_ipv4)).toEqual(['10.0.0.0/16']);
  });

  test('GIVEN the web tier disabled WHEN synthesized THEN the ALB answers with a fixed page naming the region', () => {
    const o = loadOrganisation(writeOrg({ 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { compute: { web: { enabled: false } } }) }));
    const fixed = synthTag(o, 'dev_eu-central-1/research/1.0');
    expect(resources(fixed, 'aws_lb_listener')[0].default_action[0].fixed_response.message_body).toContain('eu-central-1');
    expect(fixed.resource.aws_autoscaling_group).toBeUndefined();
  });

  test('WHEN synthesized THEN the default security group has no rules', () => {
    const [sg] = resources(json, 'aws_default_security_group');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  test('WHEN synthesized THEN the VPC id and the service URL are outputs', () => {
    expect(Object.keys(json.output as Json)).toEqual(expect.arrayContaining(['vpc_id', 'web_service_url']));
    expect(json.output.web_service_url.value).toMatch(/^http:\/\/\$\{aws_lb\.web-service_alb_[^.]+\.dns_name\}\/$/);
  });
});

describe('the global stack: the workload identity', () => {
  const org = loadOrganisation(writeOrg());
  const json = synthTag(org, 'dev_global/risk/1.0');

  test('WHEN synthesized THEN the role trusts EC2 for this account only and has an instance profile', () => {
    const [role] = resources(json, 'aws_iam_role');
    expect(role.name).toBe('acme-risk-dev-workload');
    const [trust] = Object.values(json.data.aws_iam_policy_document as Json) as Json[];
    expect(trust.statement[0]).toMatchObject({
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['444455556666'] }],
    });
    expect(resources(json, 'aws_iam_instance_profile')[0].name).toBe('acme-risk-dev-workload');
    expect(resources(json, 'aws_iam_role_policy_attachment')[0].policy_arn).toBe('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
  });

  test('WHEN synthesized THEN it holds no regional resources', () => {
    expect(json.resource.aws_vpc).toBeUndefined();
    expect(json.resource.aws_lb).toBeUndefined();
  });
});

describe('change detectors', () => {
  test('the IAM slice of the global stack', () => {
    const org = loadOrganisation(writeOrg());
    const json = synthTag(org, 'dev_global/research/1.0');
    expect({ aws_iam_role: json.resource.aws_iam_role, aws_iam_instance_profile: json.resource.aws_iam_instance_profile }).toMatchSnapshot();
  });
});
