import { Token, type TerraformStack } from 'cdktf';
import { AbsEc2Fleet, type AbsEc2FleetProps } from '../../../modules/compute/abs-ec2-fleet';
import { CapacityRebalance } from '../../../modules/compute/capacity-rebalance';
import { InstanceRequirements, gib } from '../../../modules/compute/instance-requirements';
import { MachineImage } from '../../../modules/compute/machine-image';
import { launchTemplate, onlyResource, synth } from './helpers';

const REQUIREMENTS = InstanceRequirements.of({ vcpus: { min: 4, max: 16 }, memoryMib: { min: gib(8), max: gib(64) }, acceleratorCount: { max: 0 } });
const RENDERED = { vcpu_count: { min: 4, max: 16 }, memory_mib: { min: 8192, max: 65536 }, accelerator_count: { max: 0 } };
const TEN_TYPES = ['m5.large', 'm5a.large', 'm6i.large', 'm6a.large', 'm7i.large', 'm7a.large', 'c5.xlarge', 'c6i.xlarge', 'c7i.xlarge', 'r6i.large'];

type FleetOptions = Partial<AbsEc2FleetProps> & { template?: Parameters<typeof launchTemplate>[1] };

function fleet(options: FleetOptions = {}) {
  let construct: AbsEc2Fleet | undefined;
  const { template, ...props } = options;
  const result = synth((stack: TerraformStack) => {
    construct = new AbsEc2Fleet(stack, 'batch', {
      launchTemplate: launchTemplate(stack, template),
      targetCapacity: { total: 4 },
      ...('instanceTypes' in props || 'requirementsByArchitecture' in props || template?.requirements !== undefined ? {} : { requirements: REQUIREMENTS }),
      ...props,
    });
  });
  return { ...result, fleet: onlyResource(result.json, 'aws_ec2_fleet'), construct: construct! };
}

const fails = (options: FleetOptions) => () => fleet(options);

describe('AbsEc2Fleet defaults', () => {
  test('GIVEN requirements and a total WHEN synthesized THEN a maintain fleet of spot with price-capacity-optimized and capacity rebalance', () => {
    const { fleet: f, warnings, construct } = fleet();
    expect(f).toEqual({
      type: 'maintain',
      launch_template_config: [
        {
          launch_template_specification: {
            launch_template_id: expect.stringMatching(/lt_x86_64_.*\.id\}$/),
            version: expect.stringMatching(/\.latest_version\}$/),
          },
          override: [{ instance_requirements: RENDERED }],
        },
      ],
      target_capacity_specification: { total_target_capacity: 4, default_target_capacity_type: 'spot' },
      spot_options: {
        allocation_strategy: 'price-capacity-optimized',
        maintenance_strategies: { capacity_rebalance: { replacement_strategy: 'launch-before-terminate', termination_delay: 120 } },
      },
      replace_unhealthy_instances: true,
      terminate_instances: true,
    });
    expect(warnings).toEqual([]);
    expect(construct.type).toBe('maintain');
  });

  test.each([
    ['request', { type: 'request' as const }],
    ['instant', { type: 'instant' as const }],
  ])('GIVEN a %s fleet WHEN synthesized THEN it has no maintain-only settings', (type, options) => {
    const { fleet: f } = fleet(options);
    expect(f.type).toBe(type);
    expect(f.replace_unhealthy_instances).toBeUndefined();
    expect(f.spot_options.maintenance_strategies).toBeUndefined();
  });
});

describe('AbsEc2Fleet target capacity and options', () => {
  test('GIVEN On-Demand and spot parts and a unit WHEN synthesized THEN the specification carries them and both options blocks are set', () => {
    const { fleet: f } = fleet({ targetCapacity: { total: 64, onDemand: 16, spot: 48, defaultType: 'on-demand', unitType: 'vcpu' } });
    expect(f.target_capacity_specification).toEqual({
      total_target_capacity: 64,
      on_demand_target_capacity: 16,
      spot_target_capacity: 48,
      default_target_capacity_type: 'on-demand',
      target_capacity_unit_type: 'vcpu',
    });
    expect(f.on_demand_options).toEqual({ allocation_strategy: 'lowestPrice' });
    expect(f.spot_options.allocation_strategy).toBe('price-capacity-optimized');
  });

  test('GIVEN On-Demand only WHEN synthesized THEN there are no spot options and no capacity rebalance', () => {
    const { fleet: f } = fleet({ targetCapacity: { total: 2, defaultType: 'on-demand' } });
    expect(f.spot_options).toBeUndefined();
    expect(f.on_demand_options).toEqual({ allocation_strategy: 'lowestPrice' });
  });

  test.each([
    ['price-capacity-optimized', 'price-capacity-optimized'],
    ['capacity-optimized', 'capacity-optimized'],
    ['diversified', 'diversified'],
    ['lowest-price', 'lowestPrice'],
  ] as const)('GIVEN the spot strategy %s WHEN synthesized THEN the provider gets %s', (strategy, rendered) => {
    expect(fleet({ spot: { allocationStrategy: strategy } }).fleet.spot_options.allocation_strategy).toBe(rendered);
  });

  test('GIVEN spot options WHEN synthesized THEN they are all passed on', () => {
    const { fleet: f } = fleet({
      spot: {
        allocationStrategy: 'lowest-price',
        instancePoolsToUseCount: 3,
        interruptionBehavior: 'stop',
        maxTotalPrice: '2.50',
        capacityRebalance: CapacityRebalance.launch(),
      },
    });
    expect(f.spot_options).toEqual({
      allocation_strategy: 'lowestPrice',
      instance_pools_to_use_count: 3,
      instance_interruption_behavior: 'stop',
      max_total_price: '2.50',
      maintenance_strategies: { capacity_rebalance: { replacement_strategy: 'launch' } },
    });
  });

  test.each([
    ['launch', CapacityRebalance.launch(), { replacement_strategy: 'launch' }],
    [
      'launch-before-terminate 120 s',
      CapacityRebalance.launchBeforeTerminate(120),
      { replacement_strategy: 'launch-before-terminate', termination_delay: 120 },
    ],
    [
      'launch-before-terminate 7200 s',
      CapacityRebalance.launchBeforeTerminate(7200),
      { replacement_strategy: 'launch-before-terminate', termination_delay: 7200 },
    ],
  ])('GIVEN capacity rebalance %s on a maintain fleet WHEN synthesized THEN it is set', (_name, capacityRebalance, expected) => {
    expect(fleet({ spot: { capacityRebalance } }).fleet.spot_options.maintenance_strategies.capacity_rebalance).toEqual(expected);
  });

  test('GIVEN instant-only options on an instant fleet WHEN synthesized THEN they are set', () => {
    const { fleet: f } = fleet({
      type: 'instant',
      targetCapacity: { total: 4, onDemand: 2, defaultType: 'spot' },
      spot: { singleAvailabilityZone: true, minTargetCapacity: 2 },
      onDemand: { singleInstanceType: true, minTargetCapacity: 2, useCapacityReservationsFirst: true, maxTotalPrice: '5' },
    });
    expect(f.spot_options).toEqual({ allocation_strategy: 'price-capacity-optimized', single_availability_zone: true, min_target_capacity: 2 });
    expect(f.on_demand_options).toEqual({
      allocation_strategy: 'lowestPrice',
      single_instance_type: true,
      min_target_capacity: 2,
      max_total_price: '5',
      capacity_reservation_options: { usage_strategy: 'use-capacity-reservations-first' },
    });
  });

  test('GIVEN maintain-only settings on a maintain fleet WHEN synthesized THEN they are set', () => {
    const { fleet: f } = fleet({
      replaceUnhealthyInstances: false,
      excessCapacityTerminationPolicy: 'no-termination',
      terminateInstancesOnDelete: false,
      tags: { Purpose: 'batch' },
    });
    expect(f).toMatchObject({
      replace_unhealthy_instances: false,
      excess_capacity_termination_policy: 'no-termination',
      terminate_instances: false,
      tags: { Purpose: 'batch' },
    });
  });
});

describe('AbsEc2Fleet overrides', () => {
  test('GIVEN subnets known at synth WHEN synthesized THEN one override per subnet', () => {
    const { fleet: f } = fleet({ subnetIds: ['subnet-a', 'subnet-b'] });
    expect(f.launch_template_config[0].override).toEqual([
      { instance_requirements: RENDERED, subnet_id: 'subnet-a' },
      { instance_requirements: RENDERED, subnet_id: 'subnet-b' },
    ]);
  });

  test('GIVEN subnets known only at plan time WHEN synthesized THEN a dynamic override iterates them', () => {
    const { fleet: f } = fleet({ subnetIds: Token.asList('${aws_subnet.private[*].id}') });
    expect(f.launch_template_config).toEqual([
      {
        launch_template_specification: { launch_template_id: expect.stringMatching(/\.id\}$/), version: expect.stringMatching(/\.latest_version\}$/) },
        dynamic: {
          override: { for_each: '${aws_subnet.private[*].id}', iterator: 'subnet', content: { instance_requirements: RENDERED, subnet_id: '${subnet.value}' } },
        },
      },
    ]);
  });

  test('GIVEN two architectures WHEN synthesized THEN one launch template config per architecture', () => {
    const { fleet: f } = fleet({ template: { images: { arm64: MachineImage.fromId('ami-arm'), x86_64: MachineImage.fromId('ami-x86') } } });
    expect(
      f.launch_template_config.map(
        (c: { launch_template_specification: { launch_template_id: string } }) => c.launch_template_specification.launch_template_id,
      ),
    ).toEqual([expect.stringMatching(/lt_arm64_/), expect.stringMatching(/lt_x86_64_/)]);
  });

  test('GIVEN the template carries the requirements WHEN synthesized THEN the fleet needs no override (and per subnet only the subnet)', () => {
    expect(fleet({ template: { requirements: REQUIREMENTS } }).fleet.launch_template_config[0].override).toBeUndefined();
    expect(fleet({ template: { requirements: REQUIREMENTS }, subnetIds: ['subnet-a'] }).fleet.launch_template_config[0].override).toEqual([
      { subnet_id: 'subnet-a' },
    ]);
  });

  test('GIVEN instance types and subnets WHEN synthesized THEN one override per type and subnet', () => {
    const { fleet: f } = fleet({
      instanceTypes: TEN_TYPES.slice(0, 2),
      subnetIds: ['subnet-a', 'subnet-b'],
      targetCapacity: { total: 1, defaultType: 'on-demand' },
    });
    expect(f.launch_template_config[0].override).toEqual([
      { instance_type: 'm5.large', subnet_id: 'subnet-a' },
      { instance_type: 'm5.large', subnet_id: 'subnet-b' },
      { instance_type: 'm5a.large', subnet_id: 'subnet-a' },
      { instance_type: 'm5a.large', subnet_id: 'subnet-b' },
    ]);
  });
});

describe('AbsEc2Fleet errors', () => {
  test.each([
    [
      'capacity rebalance',
      'request',
      { spot: { capacityRebalance: CapacityRebalance.launch() } },
      /spot\.capacityRebalance applies only to 'maintain' fleets \(this one is 'request'\)/,
    ],
    [
      'capacity rebalance',
      'instant',
      { spot: { capacityRebalance: CapacityRebalance.launch() } },
      /spot\.capacityRebalance applies only to 'maintain' fleets \(this one is 'instant'\)/,
    ],
    ['unhealthy replacement', 'request', { replaceUnhealthyInstances: true }, /replaceUnhealthyInstances applies only to 'maintain' fleets/],
    [
      'excess capacity policy',
      'instant',
      { excessCapacityTerminationPolicy: 'termination' },
      /excessCapacityTerminationPolicy applies only to 'maintain' fleets/,
    ],
    [
      'single zone',
      'maintain',
      { spot: { singleAvailabilityZone: true } },
      /spot\.singleAvailabilityZone applies only to 'instant' fleets \(this one is 'maintain'\)/,
    ],
    [
      'single type',
      'request',
      { onDemand: { singleInstanceType: true }, targetCapacity: { total: 1, defaultType: 'on-demand' } },
      /onDemand\.singleInstanceType applies only to 'instant' fleets/,
    ],
    [
      'minimum target capacity',
      'maintain',
      { spot: { minTargetCapacity: 2, singleInstanceType: true } },
      /spot\.singleInstanceType, spot\.minTargetCapacity apply only to 'instant' fleets/,
    ],
    [
      'reservations first',
      'request',
      { onDemand: { useCapacityReservationsFirst: true } },
      /onDemand\.useCapacityReservationsFirst applies only to 'instant' fleets/,
    ],
  ] as [string, AbsEc2FleetProps['type'], FleetOptions, RegExp][])('GIVEN %s on a %s fleet WHEN constructed THEN it fails', (_name, type, options, message) => {
    expect(fails({ ...options, type })).toThrow(message);
  });

  test.each([
    [
      'a termination delay of 119 s',
      { spot: { capacityRebalance: CapacityRebalance.launchBeforeTerminate(119) } },
      /launchBeforeTerminate\(119\): the termination delay must be a whole number of seconds from 120 to 7200/,
    ],
    ['a termination delay of 7201 s', { spot: { capacityRebalance: CapacityRebalance.launchBeforeTerminate(7201) } }, /launchBeforeTerminate\(7201\)/],
    [
      'a minimum target capacity without single zone or type',
      { type: 'instant', spot: { minTargetCapacity: 2 } },
      /spot\.minTargetCapacity needs spot\.singleAvailabilityZone or spot\.singleInstanceType/,
    ],
    [
      'a vCPU unit without requirements',
      { instanceTypes: TEN_TYPES, targetCapacity: { total: 8, unitType: 'vcpu' } },
      /targetCapacity\.unitType is 'vcpu' but no instance requirements are set/,
    ],
    [
      'parts above the total',
      { targetCapacity: { total: 4, onDemand: 3, spot: 2 } },
      /targetCapacity\.onDemand \(3\) plus targetCapacity\.spot \(2\) exceed targetCapacity\.total \(4\)/,
    ],
    ['a negative total', { targetCapacity: { total: -1 } }, /targetCapacity\.total is -1/],
    [
      "'prioritized' On-Demand with requirements",
      { onDemand: { allocationStrategy: 'prioritized' } },
      /onDemand\.allocationStrategy is 'prioritized' but requirements select the types/,
    ],
    [
      "'capacity-optimized-prioritized' spot with requirements",
      { spot: { allocationStrategy: 'capacity-optimized-prioritized' } },
      /spot\.allocationStrategy is 'capacity-optimized-prioritized' but requirements/,
    ],
    [
      'a pool count without lowest-price',
      { spot: { instancePoolsToUseCount: 2 } },
      /spot\.instancePoolsToUseCount is set but spot\.allocationStrategy is 'price-capacity-optimized'/,
    ],
    ['instance types and requirements', { instanceTypes: TEN_TYPES, requirements: REQUIREMENTS }, /instanceTypes and instance requirements are both set/],
    ['nothing to select types', { requirements: undefined, instanceTypes: undefined }, /nothing selects instance types/],
    ['no subnets', { subnetIds: [] }, /subnetIds is empty/],
    ['51 overrides', { instanceTypes: TEN_TYPES, subnetIds: ['a', 'b', 'c', 'd', 'e', 'f'] }, /60 overrides in one launch template config .* at most 50/],
    ['an unknown type', { type: 'spot' as never }, /type 'spot' is not a fleet type/],
  ] as [string, FleetOptions, RegExp][])('GIVEN %s WHEN constructed THEN a ConstructError says what to do', (_name, options, message) => {
    expect(fails(options)).toThrow(message);
  });

  test('GIVEN the same settings on the fleet type they belong to WHEN constructed THEN they pass', () => {
    expect(() => fleet({ type: 'instant', spot: { minTargetCapacity: 2, singleAvailabilityZone: true } })).not.toThrow();
    expect(() =>
      fleet({
        instanceTypes: TEN_TYPES,
        targetCapacity: { total: 8 },
        onDemand: { allocationStrategy: 'prioritized' },
        spot: { allocationStrategy: 'capacity-optimized-prioritized' },
      }),
    ).not.toThrow();
    expect(() => fleet({ spot: { allocationStrategy: 'lowest-price', instancePoolsToUseCount: 2 } })).not.toThrow();
    expect(() => fleet({ targetCapacity: { total: 5, onDemand: 3, spot: 2, unitType: 'memory-mib' } })).not.toThrow();
  });
});

describe('AbsEc2Fleet warnings', () => {
  test('GIVEN fewer than 10 instance types for spot WHEN synthesized THEN it warns; On-Demand does not', () => {
    expect(fleet({ instanceTypes: TEN_TYPES.slice(0, 2) }).warnings).toEqual([
      expect.stringMatching(/instanceTypes lists 2 type\(s\) for a fleet that uses spot/),
    ]);
    expect(fleet({ instanceTypes: TEN_TYPES.slice(0, 2), targetCapacity: { total: 1, defaultType: 'on-demand' } }).warnings).toEqual([]);
  });
});
