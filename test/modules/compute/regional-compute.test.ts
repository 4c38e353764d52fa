import type { TerraformStack } from 'cdktf';
import {
  DEFAULT_BATCH_FLEET,
  DEFAULT_WEB_TIER,
  type BatchFleetSettings,
  type ComputeSettings,
  type PlannedEventSettings,
  type WebTierSettings,
} from '../../../lib/config';
import { RegionalCompute, requirementsFromSettings, webGroupProps } from '../../../modules/compute/regional-compute';
import { webPageUserData } from '../../../modules/compute/web-tier';
import { PublicLoadBalancer } from '../../../modules/network/public-load-balancer';
import { RegionalNetwork } from '../../../modules/network/regional-network';
import { onlyResource, resources, synth } from './helpers';

function regionalCompute(
  web: Partial<WebTierSettings> = {},
  batch?: Partial<BatchFleetSettings> & { totalCapacity: number },
  plannedEvents: readonly PlannedEventSettings[] = [],
) {
  const settings: ComputeSettings = {
    web: { ...DEFAULT_WEB_TIER, ...web },
    batch: batch === undefined ? undefined : { ...DEFAULT_BATCH_FLEET, ...batch },
    plannedEvents,
  };
  let compute: RegionalCompute | undefined;
  const result = synth((stack: TerraformStack) => {
    const network = new RegionalNetwork(stack, 'network', { name: 'acme-research-dev' });
    const loadBalancer = new PublicLoadBalancer(stack, 'web', {
      name: 'research-dev-us-east-1',
      vpcId: network.vpcId,
      vpcCidr: network.cidr,
      subnetIds: network.publicSubnetIds,
      defaultResponse: 'Hello from us-east-1',
    });
    compute = new RegionalCompute(stack, 'compute', {
      name: 'acme-research-dev',
      settings,
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      loadBalancer,
      instanceProfileName: 'acme-research-dev-workload',
      pageTitle: 'Hello from us-east-1 (acme, team research, environment dev)',
      tags: { Team: 'research' },
      region: 'us-east-1',
    });
  });
  return { ...result, compute: compute! };
}

describe('the regional web tier from the default settings', () => {
  const { json, warnings, compute } = regionalCompute();

  test('GIVEN the defaults WHEN synthesized THEN the listener forwards to a target group the group registers with', () => {
    const targetGroup = onlyResource(json, 'aws_lb_target_group');
    expect(targetGroup).toMatchObject({ name: 'acme-research-dev-web', port: 80, protocol: 'HTTP', target_type: 'instance', deregistration_delay: '30' });
    expect(targetGroup.health_check).toMatchObject({ path: '/', matcher: '200' });
    expect(onlyResource(json, 'aws_lb_listener').default_action).toEqual([
      { type: 'forward', target_group_arn: expect.stringMatching(/^\$\{aws_lb_target_group\..+\.arn\}$/) },
    ]);
    const group = onlyResource(json, 'aws_autoscaling_group');
    expect(group.target_group_arns).toEqual([expect.stringMatching(/^\$\{aws_lb_target_group\..+\.arn\}$/)]);
    expect(group.health_check_type).toBe('ELB');
  });

  test('WHEN synthesized THEN the group spans the private subnets of every zone', () => {
    expect(onlyResource(json, 'aws_autoscaling_group').vpc_zone_identifier).toMatch(/^\$\{aws_subnet\.network_private_[^[]+\[\*\]\.id\}$/);
  });

  test('WHEN synthesized THEN one On-Demand instance as base, half spot above it, price-capacity-optimized, both architectures', () => {
    const group = onlyResource(json, 'aws_autoscaling_group');
    expect(group).toMatchObject({ name: 'acme-research-dev-web', min_size: 2, max_size: 6, capacity_rebalance: true });
    expect(group.mixed_instances_policy.instances_distribution).toEqual({
      on_demand_allocation_strategy: 'lowest-price',
      on_demand_base_capacity: 1,
      on_demand_percentage_above_base_capacity: 50,
      spot_allocation_strategy: 'price-capacity-optimized',
    });
    expect(group.mixed_instances_policy.launch_template.override.map((o: { instance_requirements: unknown }) => o.instance_requirements)).toEqual([
      { vcpu_count: { min: 2, max: 4 }, memory_mib: { min: 4096, max: 16384 }, instance_generations: ['current'], accelerator_count: { max: 0 } },
      { vcpu_count: { min: 2, max: 4 }, memory_mib: { min: 4096, max: 16384 }, instance_generations: ['current'], accelerator_count: { max: 0 } },
    ]);
    expect(onlyResource(json, 'aws_autoscaling_policy').target_tracking_configuration.target_value).toBe(50);
  });

  test('WHEN synthesized THEN the AMIs are the latest Amazon Linux 2023 of each architecture, read from SSM public parameters', () => {
    expect(Object.values(json.data.aws_ssm_parameter).map((p) => (p as { name: string }).name)).toEqual([
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    ]);
  });

  test("WHEN synthesized THEN the instances use the global stack's instance profile and a security group open only to the load balancer", () => {
    for (const template of Object.values(resources(json, 'aws_launch_template'))) {
      expect(template.iam_instance_profile).toEqual({ name: 'acme-research-dev-workload' });
      expect(template.vpc_security_group_ids).toEqual([expect.stringMatching(/aws_security_group\.compute_web_sg_/)]);
    }
    const ingress = Object.values(resources(json, 'aws_vpc_security_group_ingress_rule')).find((r) => r.referenced_security_group_id !== undefined);
    expect(ingress).toMatchObject({
      from_port: 80,
      to_port: 80,
      ip_protocol: 'tcp',
      referenced_security_group_id: expect.stringMatching(/aws_security_group\.web_sg_/),
    });
  });

  test('WHEN synthesized THEN the user data serves a page naming the region', () => {
    const template = Object.values(resources(json, 'aws_launch_template'))[0];
    const script = Buffer.from(template.user_data, 'base64').toString('utf8');
    expect(script).toContain('<h1>Hello from us-east-1 (acme, team research, environment dev)</h1>');
    expect(script).toContain('ExecStart=/usr/bin/python3 -m http.server 80 --directory /var/www');
    expect(script).toContain('X-aws-ec2-metadata-token'); // IMDSv2
  });

  test('WHEN synthesized THEN there is no batch fleet and no warning', () => {
    expect(resources(json, 'aws_ec2_fleet')).toEqual({});
    expect(compute.batch).toBeUndefined();
    expect(warnings).toEqual([]);
  });
});

describe('the regional compute shaped by settings', () => {
  test.each([
    [0, 100, undefined],
    [50, 50, 'price-capacity-optimized'],
    [100, 0, 'price-capacity-optimized'],
  ])('GIVEN spotPercent %p WHEN synthesized THEN On-Demand above base is %p%% and the spot strategy %p', (spotPercent, onDemand, strategy) => {
    const { json, warnings } = regionalCompute({ spotPercent });
    const distribution = onlyResource(json, 'aws_autoscaling_group').mixed_instances_policy.instances_distribution;
    expect(distribution.on_demand_percentage_above_base_capacity).toBe(onDemand);
    expect(distribution.spot_allocation_strategy).toBe(strategy);
    expect(warnings).toEqual([]);
  });

  test('GIVEN a fixed size WHEN synthesized THEN there is no scaling policy', () => {
    expect(resources(regionalCompute({ minCapacity: 3, maxCapacity: 3 }).json, 'aws_autoscaling_policy')).toEqual({});
  });

  test('GIVEN one architecture WHEN synthesized THEN one template and an override without template', () => {
    const { json } = regionalCompute({ architectures: ['x86_64'] });
    expect(Object.keys(resources(json, 'aws_launch_template'))).toHaveLength(1);
    expect(onlyResource(json, 'aws_autoscaling_group').mixed_instances_policy.launch_template.override[0].launch_template_specification).toBeUndefined();
  });

  test('GIVEN the web tier disabled WHEN synthesized THEN the load balancer keeps its fixed response and there is no group', () => {
    const { json, compute } = regionalCompute({ enabled: false });
    expect(resources(json, 'aws_autoscaling_group')).toEqual({});
    expect(resources(json, 'aws_lb_target_group')).toEqual({});
    expect(onlyResource(json, 'aws_lb_listener').default_action[0]).toMatchObject({
      type: 'fixed-response',
      fixed_response: { message_body: 'Hello from us-east-1' },
    });
    expect(compute.web).toBeUndefined();
  });

  test('GIVEN a batch fleet WHEN synthesized THEN an ABS fleet with one override per private subnet', () => {
    const { json, compute } = regionalCompute({}, { totalCapacity: 8, onDemandCapacity: 2, capacityUnit: 'vcpu', architectures: ['x86_64'] });
    const fleet = onlyResource(json, 'aws_ec2_fleet');
    expect(fleet).toMatchObject({
      type: 'maintain',
      target_capacity_specification: {
        total_target_capacity: 8,
        on_demand_target_capacity: 2,
        default_target_capacity_type: 'spot',
        target_capacity_unit_type: 'vcpu',
      },
      spot_options: { allocation_strategy: 'price-capacity-optimized' },
      on_demand_options: { allocation_strategy: 'lowestPrice' },
      tags: { Name: 'acme-research-dev-batch' },
    });
    expect(fleet.launch_template_config[0].dynamic.override).toMatchObject({
      for_each: expect.stringMatching(/^\$\{aws_subnet\.network_private_[^[]+\[\*\]\.id\}$/),
      content: { subnet_id: '${subnet.value}', instance_requirements: { vcpu_count: { min: 2, max: 16 }, memory_mib: { min: 4096, max: 65536 } } },
    });
    expect(compute.batch?.type).toBe('maintain');
    const batchTemplate = Object.values(resources(json, 'aws_launch_template')).find((t) => String(t.name_prefix).includes('batch'));
    expect(batchTemplate?.user_data).toBeUndefined();
  });
});

describe('planned events from the settings', () => {
  const event = (region: string): PlannedEventSettings => ({
    event: 'black-friday',
    endDate: '2099-12-01T00:00:00Z',
    region,
    availabilityZones: [`${region}a`, `${region}b`],
    instanceTypes: ['m7g.large', 'm7i.large'],
    instancesPerPool: 2,
  });

  test('GIVEN an event in the stack region WHEN synthesized THEN one reservation per type and zone ends on its date', () => {
    const reservations = Object.values(resources(regionalCompute({}, undefined, [event('us-east-1')]).json, 'aws_ec2_capacity_reservation'));
    expect(reservations).toHaveLength(4);
    for (const r of reservations) expect(r).toMatchObject({ end_date: '2099-12-01T00:00:00Z', end_date_type: 'limited', instance_count: 2 });
  });

  test('GIVEN an event in another region WHEN synthesized THEN this stack reserves nothing', () => {
    expect(resources(regionalCompute({}, undefined, [event('eu-central-1')]).json, 'aws_ec2_capacity_reservation')).toEqual({});
  });
});

describe('settings mapping', () => {
  test('requirementsFromSettings converts memory from GiB to MiB and keeps every other field', () => {
    expect(requirementsFromSettings({ vcpus: { min: 2 }, memoryGib: { min: 0.5, max: 4 }, cpuManufacturers: ['amd'] }).props).toEqual({
      vcpus: { min: 2 },
      memoryMib: { min: 512, max: 4096 },
      cpuManufacturers: ['amd'],
    });
  });

  test('webGroupProps turns the spot share into the On-Demand share above the base', () => {
    expect(webGroupProps({ ...DEFAULT_WEB_TIER, spotPercent: 30, desiredCapacity: 3 })).toMatchObject({
      onDemandPercentageAboveBaseCapacity: 70,
      desiredCapacity: 3,
    });
  });

  test('the page title cannot inject shell or HTML into the user data', () => {
    const script = webPageUserData('Hi <b>$(reboot)</b> & `id`');
    expect(script).toContain('<h1>Hi &lt;b&gt;(reboot)&lt;/b&gt; &amp; id</h1>');
  });
});
