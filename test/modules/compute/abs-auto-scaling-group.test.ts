import type { TerraformStack } from 'cdktf';
import { AbsAutoScalingGroup, type AbsAutoScalingGroupProps } from '../../../modules/compute/abs-auto-scaling-group';
import type { AbsLaunchTemplate } from '../../../modules/compute/abs-launch-template';
import { InstanceRequirements, gib } from '../../../modules/compute/instance-requirements';
import { MachineImage } from '../../../modules/compute/machine-image';
import { Placement } from '../../../modules/compute/placement';
import { TargetTracking } from '../../../modules/compute/target-tracking';
import { launchTemplate, onlyResource, resources, synth } from './helpers';

const REQUIREMENTS = InstanceRequirements.of({ vcpus: { min: 2, max: 8 }, memoryMib: { min: gib(4), max: gib(32) }, acceleratorCount: { max: 0 } });
const TWO_ARCHITECTURES = { images: { arm64: MachineImage.fromId('ami-arm'), x86_64: MachineImage.fromId('ami-x86') } };
const TEN_TYPES = ['m5.large', 'm5a.large', 'm6i.large', 'm6a.large', 'm7i.large', 'm7a.large', 'c5.xlarge', 'c6i.xlarge', 'c7i.xlarge', 'r6i.large'];

type GroupOptions = Partial<AbsAutoScalingGroupProps> & { template?: Parameters<typeof launchTemplate>[1] };

/** A group in a fresh stack; `template` shapes its launch template. */
function group(options: GroupOptions = {}) {
  let construct: AbsAutoScalingGroup | undefined;
  const { template, ...props } = options;
  const result = synth((stack: TerraformStack) => {
    const lt: AbsLaunchTemplate = launchTemplate(stack, template);
    construct = new AbsAutoScalingGroup(stack, 'web', {
      launchTemplate: lt,
      placement: Placement.subnets(['subnet-a', 'subnet-b', 'subnet-c']),
      ...('instanceTypes' in props || 'requirementsByArchitecture' in props || template?.requirements !== undefined ? {} : { requirements: REQUIREMENTS }),
      ...props,
    });
  });
  const asg = onlyResource(result.json, 'aws_autoscaling_group');
  return { ...result, asg, construct: construct! };
}

const fails = (options: GroupOptions) => () => group(options);

describe('AbsAutoScalingGroup defaults', () => {
  test('GIVEN only requirements WHEN synthesized THEN an On-Demand group with a mixed instances policy carrying the requirements', () => {
    const { asg, json, warnings, construct } = group();
    expect(asg.mixed_instances_policy.instances_distribution).toEqual({
      on_demand_allocation_strategy: 'lowest-price',
      on_demand_base_capacity: 0,
      on_demand_percentage_above_base_capacity: 100,
    });
    expect(asg.mixed_instances_policy.launch_template.override).toEqual([
      { instance_requirements: { vcpu_count: { min: 2, max: 8 }, memory_mib: { min: 4096, max: 32768 }, accelerator_count: { max: 0 } } },
    ]);
    expect(asg).toMatchObject({
      min_size: 1,
      max_size: 1,
      capacity_rebalance: false,
      health_check_type: 'EC2',
      health_check_grace_period: 300,
      vpc_zone_identifier: ['subnet-a', 'subnet-b', 'subnet-c'],
    });
    expect(asg.initial_lifecycle_hook).toBeUndefined();
    expect(asg.desired_capacity).toBeUndefined();
    expect(resources(json, 'aws_autoscaling_policy')).toEqual({});
    expect(warnings).toEqual([]);
    expect(construct.spotPossible).toBe(false);
    expect(construct.overrideCount).toBe(1);
  });

  test('WHEN synthesized THEN the group uses the template latest version, not $Latest, and refreshes instances when it changes', () => {
    const { asg } = group();
    const spec = asg.mixed_instances_policy.launch_template.launch_template_specification;
    expect(spec.version).toMatch(/^\$\{aws_launch_template\.lt_x86_64_[0-9A-F]+\.latest_version\}$/);
    expect(spec.launch_template_id).toMatch(/^\$\{aws_launch_template\.lt_x86_64_[0-9A-F]+\.id\}$/);
    expect(asg.instance_refresh).toEqual({ strategy: 'Rolling', preferences: { min_healthy_percentage: 90 } });
  });

  test('GIVEN instanceRefresh false or another healthy share WHEN synthesized THEN the refresh follows', () => {
    expect(group({ instanceRefresh: false }).asg.instance_refresh).toBeUndefined();
    expect(group({ minHealthyPercentage: 100 }).asg.instance_refresh.preferences).toEqual({ min_healthy_percentage: 100 });
  });
});

describe('AbsAutoScalingGroup instances distribution', () => {
  test('GIVEN spot above an On-Demand base WHEN synthesized THEN price-capacity-optimized spot, capacity rebalance and a termination drain hook', () => {
    const { asg, construct } = group({ onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 0, minCapacity: 2, maxCapacity: 10 });
    expect(asg.mixed_instances_policy.instances_distribution).toEqual({
      on_demand_allocation_strategy: 'lowest-price',
      on_demand_base_capacity: 2,
      on_demand_percentage_above_base_capacity: 0,
      spot_allocation_strategy: 'price-capacity-optimized',
    });
    expect(asg.capacity_rebalance).toBe(true);
    expect(asg.initial_lifecycle_hook).toEqual([
      { name: 'drain-before-termination', lifecycle_transition: 'autoscaling:EC2_INSTANCE_TERMINATING', heartbeat_timeout: 120, default_result: 'CONTINUE' },
    ]);
    expect(construct.capacityRebalance).toBe(true);
  });

  test.each([
    ['price-capacity-optimized', undefined],
    ['capacity-optimized', 'capacity-optimized'],
    ['lowest-price', 'lowest-price'],
  ] as const)('GIVEN spot with strategy %s WHEN synthesized THEN it is used', (expected, strategy) => {
    const { asg } = group({ onDemandPercentageAboveBaseCapacity: 50, ...(strategy !== undefined ? { spotAllocationStrategy: strategy } : {}) });
    expect(asg.mixed_instances_policy.instances_distribution.spot_allocation_strategy).toBe(expected);
  });

  test('GIVEN spot with capacity rebalance turned off WHEN synthesized THEN there is no rebalance and no drain hook', () => {
    const { asg } = group({ onDemandPercentageAboveBaseCapacity: 0, capacityRebalance: false });
    expect(asg.capacity_rebalance).toBe(false);
    expect(asg.initial_lifecycle_hook).toBeUndefined();
  });

  test('GIVEN a drain time WHEN synthesized THEN the hook waits that long', () => {
    expect(group({ onDemandPercentageAboveBaseCapacity: 0, terminationDrainSeconds: 300 }).asg.initial_lifecycle_hook[0].heartbeat_timeout).toBe(300);
  });
});

describe('AbsAutoScalingGroup architectures and requirement sets', () => {
  test('GIVEN one requirement set and two architectures WHEN synthesized THEN one override per architecture, each with its own template', () => {
    const { asg, construct } = group({ template: TWO_ARCHITECTURES });
    const lt = asg.mixed_instances_policy.launch_template;
    expect(lt.launch_template_specification.launch_template_id).toMatch(/lt_arm64_/);
    expect(
      lt.override.map((o: { launch_template_specification: { launch_template_id: string } }) => o.launch_template_specification.launch_template_id),
    ).toEqual([expect.stringMatching(/lt_arm64_/), expect.stringMatching(/lt_x86_64_/)]);
    for (const o of lt.override) expect(o.launch_template_specification.version).toMatch(/latest_version/);
    expect(construct.overrideCount).toBe(2);
  });

  test('GIVEN requirements per architecture WHEN synthesized THEN each override carries its own set', () => {
    const arm = InstanceRequirements.of({ vcpus: { min: 1, max: 4 }, memoryMib: { min: gib(16), max: gib(16) }, acceleratorCount: { max: 0 } });
    const { asg } = group({
      template: TWO_ARCHITECTURES,
      requirementsByArchitecture: [
        { architecture: 'arm64', requirements: arm },
        { architecture: 'x86_64', requirements: REQUIREMENTS },
      ],
    });
    const overrides = asg.mixed_instances_policy.launch_template.override;
    expect(overrides[0].instance_requirements.memory_mib).toEqual({ min: 16384, max: 16384 });
    expect(overrides[0].launch_template_specification.launch_template_id).toMatch(/lt_arm64_/);
    expect(overrides[1].instance_requirements.memory_mib).toEqual({ min: 4096, max: 32768 });
    expect(overrides[1].launch_template_specification.launch_template_id).toMatch(/lt_x86_64_/);
  });

  test('GIVEN requirements only in a single-architecture template WHEN synthesized THEN the group needs no override', () => {
    const { asg } = group({ template: { requirements: REQUIREMENTS } });
    expect(asg.mixed_instances_policy.launch_template.override).toBeUndefined();
  });

  test('GIVEN requirements only in a two-architecture template WHEN synthesized THEN each override names its template and repeats the requirements', () => {
    const { asg } = group({ template: { ...TWO_ARCHITECTURES, requirements: REQUIREMENTS } });
    expect(asg.mixed_instances_policy.launch_template.override).toHaveLength(2);
    expect(asg.mixed_instances_policy.launch_template.override[1].instance_requirements.vcpu_count).toEqual({ min: 2, max: 8 });
  });

  test('GIVEN explicit instance types WHEN synthesized THEN one override per type', () => {
    const { asg } = group({ instanceTypes: TEN_TYPES.slice(0, 2) });
    expect(asg.mixed_instances_policy.launch_template.override).toEqual([{ instance_type: 'm5.large' }, { instance_type: 'm5a.large' }]);
  });
});

describe('AbsAutoScalingGroup capacity, health checks, scaling and tags', () => {
  test.each(['units', 'vcpu', 'memory-mib'] as const)('GIVEN desiredCapacityType %s WHEN synthesized THEN it is set', (type) => {
    expect(group({ desiredCapacityType: type, minCapacity: 4, maxCapacity: 16 }).asg.desired_capacity_type).toBe(type);
  });

  test('GIVEN target groups WHEN synthesized THEN the group registers with them and uses ELB health checks', () => {
    const { asg } = group({ targetGroupArns: ['arn:tg'], healthCheckGracePeriodSeconds: 120 });
    expect(asg).toMatchObject({ target_group_arns: ['arn:tg'], health_check_type: 'ELB', health_check_grace_period: 120 });
  });

  test('GIVEN room to scale WHEN synthesized THEN a CPU target-tracking policy owns the desired capacity', () => {
    const { asg, json } = group({ minCapacity: 2, maxCapacity: 6, desiredCapacity: 3 });
    expect(asg).toMatchObject({ min_size: 2, max_size: 6, desired_capacity: 3, lifecycle: { ignore_changes: ['desired_capacity'] } });
    expect(onlyResource(json, 'aws_autoscaling_policy')).toEqual({
      name: 'cpu-target-tracking',
      autoscaling_group_name: expect.stringMatching(/^\$\{aws_autoscaling_group\.web_group_[0-9A-F]+\.name\}$/),
      policy_type: 'TargetTrackingScaling',
      target_tracking_configuration: { target_value: 50, predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' } },
    });
  });

  test.each([
    [
      'cpuUtilization(70)',
      TargetTracking.cpuUtilization(70),
      { target_value: 70, predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' } },
    ],
    [
      'requestCountPerTarget(500)',
      TargetTracking.requestCountPerTarget(500, 'app/lb/1/targetgroup/tg/2'),
      {
        target_value: 500,
        predefined_metric_specification: { predefined_metric_type: 'ALBRequestCountPerTarget', resource_label: 'app/lb/1/targetgroup/tg/2' },
      },
    ],
  ])('GIVEN TargetTracking.%s WHEN synthesized THEN the policy tracks it', (_name, scaling, expected) => {
    const { json } = group({ minCapacity: 1, maxCapacity: 4, scaling });
    expect(onlyResource(json, 'aws_autoscaling_policy').target_tracking_configuration).toEqual(expected);
  });

  test('GIVEN TargetTracking.none() WHEN synthesized THEN there is no policy and Terraform keeps managing the desired capacity', () => {
    const { asg, json } = group({ minCapacity: 1, maxCapacity: 4, scaling: TargetTracking.none() });
    expect(resources(json, 'aws_autoscaling_policy')).toEqual({});
    expect(asg.lifecycle).toBeUndefined();
  });

  test('GIVEN tags WHEN synthesized THEN they are sorted and propagated at launch', () => {
    expect(group({ tags: { Team: 'research', Environment: 'dev' } }).asg.tag).toEqual([
      { key: 'Environment', value: 'dev', propagate_at_launch: true },
      { key: 'Team', value: 'research', propagate_at_launch: true },
    ]);
  });

  test('GIVEN availability zones of the default VPC WHEN synthesized THEN the group uses them', () => {
    const { asg } = group({ placement: Placement.availabilityZones(['us-east-1a', 'us-east-1b']) });
    expect(asg.availability_zones).toEqual(['us-east-1a', 'us-east-1b']);
    expect(asg.vpc_zone_identifier).toBeUndefined();
  });

  test('GIVEN a name WHEN synthesized THEN the group has it', () => {
    expect(group({ name: 'research-dev-web' }).asg.name).toBe('research-dev-web');
  });
});

describe('AbsAutoScalingGroup errors', () => {
  const set = (architecture: 'arm64' | 'x86_64') => ({ architecture, requirements: REQUIREMENTS });

  test('GIVEN five requirement sets WHEN constructed THEN it fails; four pass', () => {
    const five = [set('arm64'), set('x86_64'), set('arm64'), set('x86_64'), set('arm64')];
    expect(fails({ template: TWO_ARCHITECTURES, requirementsByArchitecture: five })).toThrow(
      /test\/web: 5 instance requirement sets .* AWS accepts at most 4 per group/,
    );
    expect(group({ template: TWO_ARCHITECTURES, requirementsByArchitecture: five.slice(0, 4) }).construct.overrideCount).toBe(4);
  });

  test('GIVEN instance types and requirements WHEN constructed THEN it fails naming both; each alone passes', () => {
    expect(fails({ instanceTypes: TEN_TYPES, requirements: REQUIREMENTS })).toThrow(/test\/web: instanceTypes and requirements are both set/);
    expect(fails({ instanceTypes: TEN_TYPES, template: { requirements: REQUIREMENTS } })).toThrow(
      /instanceTypes and launchTemplate\.requirements are both set/,
    );
    expect(() => group({ instanceTypes: TEN_TYPES })).not.toThrow();
  });

  test("GIVEN the 'prioritized' On-Demand strategy with requirements WHEN constructed THEN it fails; with instance types it passes", () => {
    expect(fails({ onDemandAllocationStrategy: 'prioritized' })).toThrow(/onDemandAllocationStrategy is 'prioritized' but requirements select the types/);
    expect(
      group({ instanceTypes: TEN_TYPES, onDemandAllocationStrategy: 'prioritized' }).asg.mixed_instances_policy.instances_distribution
        .on_demand_allocation_strategy,
    ).toBe('prioritized');
  });

  test("GIVEN the 'capacity-optimized-prioritized' spot strategy with requirements WHEN constructed THEN it fails; with instance types it passes", () => {
    expect(fails({ onDemandPercentageAboveBaseCapacity: 0, spotAllocationStrategy: 'capacity-optimized-prioritized' })).toThrow(
      /spotAllocationStrategy is 'capacity-optimized-prioritized' but requirements select the types/,
    );
    expect(() =>
      group({ instanceTypes: TEN_TYPES, onDemandPercentageAboveBaseCapacity: 0, spotAllocationStrategy: 'capacity-optimized-prioritized' }),
    ).not.toThrow();
  });

  test.each([
    ['min > max', { minCapacity: 5, maxCapacity: 2 }, /minCapacity \(5\) is greater than maxCapacity \(2\)/],
    ['desired below min', { minCapacity: 2, maxCapacity: 6, desiredCapacity: 1 }, /desiredCapacity \(1\) is outside minCapacity\.\.maxCapacity \(2\.\.6\)/],
    ['desired above max', { minCapacity: 2, maxCapacity: 6, desiredCapacity: 7 }, /desiredCapacity \(7\) is outside minCapacity\.\.maxCapacity \(2\.\.6\)/],
    ['a negative minimum', { minCapacity: -1, maxCapacity: 2 }, /minCapacity is -1: expected a whole number from 0 up/],
    [
      'an On-Demand share above 100',
      { onDemandPercentageAboveBaseCapacity: 120 },
      /onDemandPercentageAboveBaseCapacity is 120: expected a whole number from 0 to 100/,
    ],
    ['a fractional base', { onDemandBaseCapacity: 1.5 }, /onDemandBaseCapacity is 1\.5/],
    [
      'a drain of 10 s',
      { onDemandPercentageAboveBaseCapacity: 0, terminationDrainSeconds: 10 },
      /terminationDrainSeconds is 10: expected a whole number from 30 to 7200/,
    ],
    ['a healthy share of 101', { minHealthyPercentage: 101 }, /minHealthyPercentage is 101/],
    [
      'vcpu capacity without requirements',
      { instanceTypes: TEN_TYPES, desiredCapacityType: 'vcpu' },
      /desiredCapacityType is 'vcpu' but no instance requirements are set/,
    ],
    ['memory-mib capacity without requirements', { instanceTypes: TEN_TYPES, desiredCapacityType: 'memory-mib' }, /desiredCapacityType is 'memory-mib'/],
    [
      'requirements in both forms',
      { requirementsByArchitecture: [set('x86_64')], requirements: REQUIREMENTS },
      /requirements and requirementsByArchitecture are both set/,
    ],
    [
      'a set for an architecture without image',
      { requirementsByArchitecture: [set('arm64')] },
      /requirementsByArchitecture\[0\]\.architecture is 'arm64' but the launch template has no arm64 image/,
    ],
    ['nothing to select types', { requirementsByArchitecture: undefined, instanceTypes: undefined, requirements: undefined }, /nothing selects instance types/],
    [
      'instance types with two architectures',
      { template: TWO_ARCHITECTURES, instanceTypes: TEN_TYPES },
      /instanceTypes need a single-architecture launch template/,
    ],
    ['41 instance types', { instanceTypes: Array.from({ length: 41 }, (_, i) => `m${i}.large`) }, /instanceTypes has 41 entries: AWS accepts at most 40/],
    ['no subnets', { placement: Placement.subnets([]) }, /placement: Placement\.subnets is empty/],
    ['a subnet twice', { placement: Placement.subnets(['subnet-a', 'subnet-a']) }, /lists 'subnet-a' twice/],
    ['a CPU target of 0', { minCapacity: 1, maxCapacity: 3, scaling: TargetTracking.cpuUtilization(0) }, /TargetTracking\.cpuUtilization\(0\)/],
    ['a CPU target above 100', { minCapacity: 1, maxCapacity: 3, scaling: TargetTracking.cpuUtilization(150) }, /TargetTracking\.cpuUtilization\(150\)/],
    [
      'no requests per target',
      { minCapacity: 1, maxCapacity: 3, scaling: TargetTracking.requestCountPerTarget(0, 'x') },
      /TargetTracking\.requestCountPerTarget\(0\)/,
    ],
    [
      'invalid requirements',
      { requirements: InstanceRequirements.of({ vcpus: { min: 4, max: 2 }, memoryMib: { min: 512 } }) },
      /test\/web: requirements\.vcpus\.min \(4\) is greater than/,
    ],
  ] as [string, GroupOptions, RegExp][])('GIVEN %s WHEN constructed THEN a ConstructError says what to do', (_name, options, message) => {
    expect(fails(options)).toThrow(message);
  });

  test('GIVEN capacities within range WHEN constructed THEN it passes', () => {
    expect(group({ minCapacity: 2, maxCapacity: 6, desiredCapacity: 2 }).asg.desired_capacity).toBe(2);
    expect(group({ minCapacity: 0, maxCapacity: 0 }).asg.max_size).toBe(0);
  });

  test('GIVEN several errors WHEN constructed THEN every one is reported, one line each', () => {
    expect(fails({ minCapacity: 5, maxCapacity: 2, onDemandAllocationStrategy: 'prioritized' })).toThrow(/prioritized.*\n.*test\/web: minCapacity \(5\)/);
  });
});

describe('AbsAutoScalingGroup warnings', () => {
  test.each([
    [
      'a spot strategy',
      { spotAllocationStrategy: 'capacity-optimized' as const },
      /^spotAllocationStrategy is set but onDemandPercentageAboveBaseCapacity is 100/,
    ],
    ['capacity rebalance', { capacityRebalance: true }, /^capacityRebalance is set but onDemandPercentageAboveBaseCapacity is 100/],
    ['both', { spotAllocationStrategy: 'capacity-optimized' as const, capacityRebalance: true }, /^spotAllocationStrategy and capacityRebalance are set/],
  ])('GIVEN %s with 100%% On-Demand above base WHEN synthesized THEN it warns', (_name, options, message) => {
    expect(group(options).warnings).toEqual([expect.stringMatching(message)]);
  });

  test('GIVEN a spot strategy and capacity rebalance with spot allowed WHEN synthesized THEN it does not warn', () => {
    expect(group({ spotAllocationStrategy: 'capacity-optimized', capacityRebalance: true, onDemandPercentageAboveBaseCapacity: 50 }).warnings).toEqual([]);
  });

  test('GIVEN fewer than 10 instance types for spot WHEN synthesized THEN it warns; 10 do not', () => {
    expect(group({ instanceTypes: TEN_TYPES.slice(0, 3), onDemandPercentageAboveBaseCapacity: 0 }).warnings).toEqual([
      expect.stringMatching(/instanceTypes lists 3 type\(s\) for a group that uses spot/),
    ]);
    expect(group({ instanceTypes: TEN_TYPES, onDemandPercentageAboveBaseCapacity: 0 }).warnings).toEqual([]);
    expect(group({ instanceTypes: TEN_TYPES.slice(0, 3) }).warnings).toEqual([]);
  });

  test('GIVEN requirements without maxima WHEN synthesized THEN the group warns with the property name', () => {
    const unbounded = InstanceRequirements.of({ vcpus: { min: 2 }, memoryMib: { min: 4096, max: 8192 }, acceleratorCount: { max: 0 } });
    expect(group({ requirements: unbounded }).warnings).toEqual([expect.stringMatching(/^requirements\.vcpus has no max/)]);
  });
});
