import { Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  Ec2Fleet,
  ec2FleetLaunchTemplateConfigOverrideToTerraform,
  ec2FleetLaunchTemplateConfigToTerraform,
  type Ec2FleetLaunchTemplateConfig,
  type Ec2FleetLaunchTemplateConfigOverride,
  type Ec2FleetOnDemandOptions,
  type Ec2FleetSpotOptions,
} from '@cdktf/provider-aws/lib/ec2-fleet';
import type { AbsLaunchTemplate, ArchitectureLaunchTemplate } from './abs-launch-template';
import { ADVISED_MINIMUM_SPOT_TYPES } from './abs-auto-scaling-group';
import { CapacityRebalance } from './capacity-rebalance';
export type { FleetSpotAllocationStrategy, FleetType, TargetCapacityUnitType } from '../../lib/compute-vocabulary';
import type { FleetSpotAllocationStrategy, FleetType, TargetCapacityUnitType } from '../../lib/compute-vocabulary';
import { errorFinding, reportFindings, warningFinding, type Finding } from './findings';
import type { InstanceRequirements } from './instance-requirements';
import { resolveRequirementSets, type ArchitectureRequirements, type RequirementSet } from './requirement-sets';

/** `maintain` keeps the target capacity, `request` asks once, `instant` launches synchronously. */
export type CapacityType = 'on-demand' | 'spot';
/** The unit of the target capacity; vCPUs and MiB need instance requirements. */
export type FleetOnDemandAllocationStrategy = 'lowest-price' | 'prioritized';
export type SpotInterruptionBehavior = 'terminate' | 'stop' | 'hibernate';
export type ExcessCapacityTerminationPolicy = 'termination' | 'no-termination';

export const FLEET_TYPES: readonly FleetType[] = ['maintain', 'request', 'instant'];
/** AWS accepts at most 50 overrides per launch template config. */
export const MAX_FLEET_OVERRIDES = 50;
/** AWS accepts at most 50 launch template configs per fleet. */
export const MAX_FLEET_LAUNCH_TEMPLATE_CONFIGS = 50;

export interface FleetTargetCapacity {
  /** Total capacity, in units of unitType. */
  readonly total: number;
  /** Part of the total that must be On-Demand. @default - none beyond what defaultType fills */
  readonly onDemand?: number;
  /** Part of the total that must be spot. @default - none beyond what defaultType fills */
  readonly spot?: number;
  /** How the rest of the total is filled. @default "spot" */
  readonly defaultType?: CapacityType;
  /** The unit of the capacities (vcpu and memory-mib need requirements). @default - instances */
  readonly unitType?: TargetCapacityUnitType;
}

export interface FleetSpotOptions {
  /** Spot allocation strategy. @default "price-capacity-optimized" */
  readonly allocationStrategy?: FleetSpotAllocationStrategy;
  /** What happens to an interrupted spot instance. @default "terminate" */
  readonly interruptionBehavior?: SpotInterruptionBehavior;
  /** Spot pools to spread over; lowest-price only. @default 1 */
  readonly instancePoolsToUseCount?: number;
  /** Most to pay per hour for all spot instances, in USD. @default - no limit */
  readonly maxTotalPrice?: string;
  /** Launch nothing unless this much spot capacity is available; instant only, with singleAvailabilityZone or singleInstanceType. @default - none */
  readonly minTargetCapacity?: number;
  /** Launch all spot instances in one zone; instant only. @default false */
  readonly singleAvailabilityZone?: boolean;
  /** Launch all spot instances of one type; instant only. @default false */
  readonly singleInstanceType?: boolean;
  /** Replace spot instances at elevated risk of interruption; maintain only. @default CapacityRebalance.launchBeforeTerminate(120) for maintain fleets with spot capacity */
  readonly capacityRebalance?: CapacityRebalance;
}

export interface FleetOnDemandOptions {
  /** On-Demand allocation strategy; ABS requires lowest-price. @default "lowest-price" */
  readonly allocationStrategy?: FleetOnDemandAllocationStrategy;
  /** Most to pay per hour for all On-Demand instances, in USD. @default - no limit */
  readonly maxTotalPrice?: string;
  /** Launch nothing unless this much On-Demand capacity is available; instant only, with singleAvailabilityZone or singleInstanceType. @default - none */
  readonly minTargetCapacity?: number;
  /** Launch all On-Demand instances in one zone; instant only. @default false */
  readonly singleAvailabilityZone?: boolean;
  /** Launch all On-Demand instances of one type; instant only. @default false */
  readonly singleInstanceType?: boolean;
  /** Fill On-Demand capacity from open Capacity Reservations first; instant only. @default false */
  readonly useCapacityReservationsFirst?: boolean;
}

export interface AbsEc2FleetProps {
  /** Fleet type. @default "maintain" */
  readonly type?: FleetType;
  /** The launch templates (one per architecture) the fleet launches. */
  readonly launchTemplate: AbsLaunchTemplate;
  /** One requirement set for every architecture of the template. @default - requirementsByArchitecture, else the template's own */
  readonly requirements?: InstanceRequirements;
  /** A requirement set per architecture. @default - requirements, else the template's own */
  readonly requirementsByArchitecture?: readonly ArchitectureRequirements[];
  /** Explicit instance types instead of requirements (single-architecture templates only). @default - ABS requirements select the types */
  readonly instanceTypes?: readonly string[];
  /** Subnets to launch in, one override each (ideally one per zone). @default - the default VPC */
  readonly subnetIds?: readonly string[];
  /** How much capacity to launch. */
  readonly targetCapacity: FleetTargetCapacity;
  /** Spot options. @default - price-capacity-optimized, capacity rebalance for maintain fleets */
  readonly spot?: FleetSpotOptions;
  /** On-Demand options. @default - lowest-price */
  readonly onDemand?: FleetOnDemandOptions;
  /** Replace instances that fail health checks; maintain only. @default - true for maintain fleets */
  readonly replaceUnhealthyInstances?: boolean;
  /** Whether lowering the target terminates running instances; maintain only. @default - AWS: "termination" */
  readonly excessCapacityTerminationPolicy?: ExcessCapacityTerminationPolicy;
  /** Terminate the fleet's instances when the fleet is destroyed. @default true */
  readonly terminateInstancesOnDelete?: boolean;
  /** Tags of the fleet (instances are tagged by the launch template). @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

// The provider spells EC2 Fleet's lowest-price strategy `lowestPrice` (unlike Auto Scaling).
const PROVIDER_LOWEST_PRICE = 'lowestPrice';
const providerStrategy = (strategy: string): string => (strategy === 'lowest-price' ? PROVIDER_LOWEST_PRICE : strategy);

/**
 * An EC2 Fleet that selects instance types by attributes: `maintain` (default), `request` or
 * `instant`, with the rules of each enforced at synth; spot with price-capacity-optimized
 * allocation; overrides per subnet so the fleet spreads over the zones it is given.
 */
export class AbsEc2Fleet extends Construct {
  readonly id: string;
  readonly arn: string;
  readonly type: FleetType;

  constructor(scope: Construct, id: string, props: AbsEc2FleetProps) {
    super(scope, id);
    const type = props.type ?? 'maintain';
    const target = props.targetCapacity;
    const defaultType = target.defaultType ?? 'spot';
    const spotOptions = props.spot ?? {};
    const onDemandOptions = props.onDemand ?? {};
    const hasSpot = defaultType === 'spot' || (target.spot ?? 0) > 0 || Token.isUnresolved(target.spot ?? 0);
    const hasOnDemand = defaultType === 'on-demand' || (target.onDemand ?? 0) > 0 || Token.isUnresolved(target.onDemand ?? 0);
    const spotStrategy = spotOptions.allocationStrategy ?? 'price-capacity-optimized';
    const onDemandStrategy = onDemandOptions.allocationStrategy ?? 'lowest-price';
    const capacityRebalance = spotOptions.capacityRebalance ?? (type === 'maintain' && hasSpot ? CapacityRebalance.launchBeforeTerminate(120) : undefined);
    const replaceUnhealthyInstances = props.replaceUnhealthyInstances ?? (type === 'maintain' ? true : undefined);

    const { sets, findings } = resolveRequirementSets(props.launchTemplate, props);
    reportFindings(this, [...findings, ...fleetFindings(props, type, sets, hasSpot), ...(capacityRebalance?.findings('spot.capacityRebalance') ?? [])]);

    const spot: Ec2FleetSpotOptions = {
      allocationStrategy: providerStrategy(spotStrategy),
      ...(spotOptions.interruptionBehavior !== undefined ? { instanceInterruptionBehavior: spotOptions.interruptionBehavior } : {}),
      ...(spotOptions.instancePoolsToUseCount !== undefined ? { instancePoolsToUseCount: spotOptions.instancePoolsToUseCount } : {}),
      ...(spotOptions.maxTotalPrice !== undefined ? { maxTotalPrice: spotOptions.maxTotalPrice } : {}),
      ...(spotOptions.minTargetCapacity !== undefined ? { minTargetCapacity: spotOptions.minTargetCapacity } : {}),
      ...(spotOptions.singleAvailabilityZone !== undefined ? { singleAvailabilityZone: spotOptions.singleAvailabilityZone } : {}),
      ...(spotOptions.singleInstanceType !== undefined ? { singleInstanceType: spotOptions.singleInstanceType } : {}),
      ...(capacityRebalance !== undefined ? { maintenanceStrategies: { capacityRebalance: capacityRebalance.render() } } : {}),
    };
    const onDemand: Ec2FleetOnDemandOptions = {
      allocationStrategy: providerStrategy(onDemandStrategy),
      ...(onDemandOptions.maxTotalPrice !== undefined ? { maxTotalPrice: onDemandOptions.maxTotalPrice } : {}),
      ...(onDemandOptions.minTargetCapacity !== undefined ? { minTargetCapacity: onDemandOptions.minTargetCapacity } : {}),
      ...(onDemandOptions.singleAvailabilityZone !== undefined ? { singleAvailabilityZone: onDemandOptions.singleAvailabilityZone } : {}),
      ...(onDemandOptions.singleInstanceType !== undefined ? { singleInstanceType: onDemandOptions.singleInstanceType } : {}),
      ...(onDemandOptions.useCapacityReservationsFirst === true ? { capacityReservationOptions: { usageStrategy: 'use-capacity-reservations-first' } } : {}),
    };

    const plans = fleetConfigPlans(props, sets);
    const subnetsAtPlanTime = props.subnetIds !== undefined && Token.isUnresolved(props.subnetIds);
    const fleet = new Ec2Fleet(this, 'fleet', {
      type,
      launchTemplateConfig: subnetsAtPlanTime ? [] : staticLaunchTemplateConfigs(plans, props.subnetIds),
      targetCapacitySpecification: {
        totalTargetCapacity: target.total,
        defaultTargetCapacityType: defaultType,
        ...(target.onDemand !== undefined ? { onDemandTargetCapacity: target.onDemand } : {}),
        ...(target.spot !== undefined ? { spotTargetCapacity: target.spot } : {}),
        ...(target.unitType !== undefined ? { targetCapacityUnitType: target.unitType } : {}),
      },
      ...(hasSpot || props.spot !== undefined ? { spotOptions: spot } : {}),
      ...(hasOnDemand || props.onDemand !== undefined ? { onDemandOptions: onDemand } : {}),
      ...(replaceUnhealthyInstances !== undefined ? { replaceUnhealthyInstances } : {}),
      ...(props.excessCapacityTerminationPolicy !== undefined ? { excessCapacityTerminationPolicy: props.excessCapacityTerminationPolicy } : {}),
      terminateInstances: props.terminateInstancesOnDelete ?? true,
      ...(props.tags !== undefined ? { tags: { ...props.tags } } : {}),
    });
    if (subnetsAtPlanTime) fleet.addOverride('launch_template_config', dynamicLaunchTemplateConfigs(plans, props.subnetIds!));
    this.id = fleet.id;
    this.arn = fleet.arn;
    this.type = type;
  }
}

/** One launch template config before subnets are applied: a template and what its overrides carry. */
interface ConfigPlan {
  readonly template: ArchitectureLaunchTemplate;
  readonly overrides: readonly Ec2FleetLaunchTemplateConfigOverride[];
}

function fleetConfigPlans(props: AbsEc2FleetProps, sets: readonly RequirementSet[]): ConfigPlan[] {
  if (props.instanceTypes !== undefined) {
    return [{ template: props.launchTemplate.templates[0], overrides: props.instanceTypes.map((instanceType) => ({ instanceType })) }];
  }
  return sets.map((set) => ({ template: set.template, overrides: set.fromTemplate ? [] : [{ instanceRequirements: set.requirements.render() }] }));
}

const specification = (t: ArchitectureLaunchTemplate) => ({ launchTemplateId: t.id, version: t.latestVersion });

/** Launch template configs with overrides per subnet, for subnet ids known at synth. */
function staticLaunchTemplateConfigs(plans: readonly ConfigPlan[], subnetIds: readonly string[] | undefined): Ec2FleetLaunchTemplateConfig[] {
  return plans.map(({ template, overrides }) => {
    const bases = overrides.length > 0 ? overrides : subnetIds !== undefined ? [{}] : [];
    const override = subnetIds === undefined ? [...bases] : bases.flatMap((base) => subnetIds.map((subnetId) => ({ ...base, subnetId })));
    return { launchTemplateSpecification: specification(template), ...(override.length > 0 ? { override } : {}) };
  });
}

/**
 * Launch template configs in Terraform JSON with a dynamic `override` block per subnet, for
 * subnet ids known only at plan time (a counted subnet resource). cdktf renders dynamic blocks
 * only at the top level of a resource, so the nested block is written as JSON here. A dynamic
 * block iterates one list, so each override of a plan becomes a config of its own.
 */
function dynamicLaunchTemplateConfigs(plans: readonly ConfigPlan[], subnetIds: readonly string[]): unknown[] {
  return plans.flatMap(({ template, overrides }) =>
    (overrides.length > 0 ? overrides : [{}]).map((base) => ({
      ...ec2FleetLaunchTemplateConfigToTerraform({ launchTemplateSpecification: specification(template) }),
      dynamic: {
        override: {
          for_each: subnetIds,
          iterator: 'subnet',
          content: { ...ec2FleetLaunchTemplateConfigOverrideToTerraform(base), subnet_id: '${subnet.value}' },
        },
      },
    })),
  );
}

function fleetFindings(props: AbsEc2FleetProps, type: FleetType, sets: readonly RequirementSet[], hasSpot: boolean): Finding[] {
  const out: Finding[] = [];
  const spot = props.spot ?? {};
  const onDemand = props.onDemand ?? {};
  const target = props.targetCapacity;
  const hasRequirements = sets.length > 0;
  const known = (n: number | undefined): n is number => n !== undefined && !Token.isUnresolved(n);

  if (!FLEET_TYPES.includes(type)) out.push(errorFinding(`type '${type}' is not a fleet type: expected one of ${FLEET_TYPES.join(', ')}`));

  // What selects instance types.
  if (props.instanceTypes !== undefined && hasRequirements) {
    out.push(
      errorFinding(
        'instanceTypes and instance requirements are both set: a fleet selects types either by attributes or by a list; keep the requirements (ABS, recommended) or instanceTypes',
      ),
    );
  }
  if (props.instanceTypes === undefined && !hasRequirements && props.requirementsByArchitecture === undefined) {
    out.push(errorFinding('nothing selects instance types: set requirements (attribute-based selection), requirementsByArchitecture, or instanceTypes'));
  }
  if (props.instanceTypes !== undefined && !Token.isUnresolved(props.instanceTypes)) {
    if (props.launchTemplate.architectures.length > 1) {
      out.push(
        errorFinding(
          `instanceTypes need a single-architecture launch template (this one has ${props.launchTemplate.architectures.join(', ')}): use requirementsByArchitecture to mix architectures`,
        ),
      );
    }
    if (props.instanceTypes.length === 0) out.push(errorFinding('instanceTypes is empty: list at least one type, or use requirements'));
    if (hasSpot && props.instanceTypes.length > 0 && props.instanceTypes.length < ADVISED_MINIMUM_SPOT_TYPES) {
      out.push(
        warningFinding(
          'MR-ABS-7',
          `instanceTypes lists ${props.instanceTypes.length} type(s) for a fleet that uses spot: AWS advises at least ${ADVISED_MINIMUM_SPOT_TYPES} so interruptions can be replaced from other pools; prefer requirements`,
        ),
      );
    }
  }
  const subnets = props.subnetIds;
  if (subnets !== undefined && !Token.isUnresolved(subnets)) {
    if (subnets.length === 0)
      out.push(errorFinding('subnetIds is empty: give at least one subnet (one per zone spreads the fleet), or leave it out for the default VPC'));
    const perConfig = subnets.length * (props.instanceTypes?.length ?? 1);
    if (perConfig > MAX_FLEET_OVERRIDES) {
      out.push(
        errorFinding(
          `${perConfig} overrides in one launch template config (subnets x instance types): AWS accepts at most ${MAX_FLEET_OVERRIDES}; use fewer subnets or requirements`,
        ),
      );
    }
  }
  if (sets.length > MAX_FLEET_LAUNCH_TEMPLATE_CONFIGS) {
    out.push(errorFinding(`${sets.length} requirement sets: a fleet accepts at most ${MAX_FLEET_LAUNCH_TEMPLATE_CONFIGS} launch template configs`));
  }
  if (hasRequirements && onDemand.allocationStrategy === 'prioritized') {
    out.push(
      errorFinding(
        "onDemand.allocationStrategy is 'prioritized' but requirements select the types: ABS has no type order to follow; use 'lowest-price' (the default)",
      ),
    );
  }
  if (hasRequirements && spot.allocationStrategy === 'capacity-optimized-prioritized') {
    out.push(
      errorFinding(
        "spot.allocationStrategy is 'capacity-optimized-prioritized' but requirements select the types: ABS has no type priorities; use 'price-capacity-optimized' (the default) or 'capacity-optimized'",
      ),
    );
  }
  if (spot.instancePoolsToUseCount !== undefined && (spot.allocationStrategy ?? 'price-capacity-optimized') !== 'lowest-price') {
    out.push(
      errorFinding(
        `spot.instancePoolsToUseCount is set but spot.allocationStrategy is '${spot.allocationStrategy ?? 'price-capacity-optimized'}': AWS uses the pool count only with 'lowest-price'; drop instancePoolsToUseCount`,
      ),
    );
  }

  // Target capacity.
  if (target.unitType !== undefined && target.unitType !== 'units' && !hasRequirements) {
    out.push(
      errorFinding(
        `targetCapacity.unitType is '${target.unitType}' but no instance requirements are set: capacity in vCPUs or MiB needs attribute-based selection; set requirements or leave unitType out`,
      ),
    );
  }
  for (const [field, value] of [
    ['targetCapacity.total', target.total],
    ['targetCapacity.onDemand', target.onDemand],
    ['targetCapacity.spot', target.spot],
    ['spot.minTargetCapacity', spot.minTargetCapacity],
    ['onDemand.minTargetCapacity', onDemand.minTargetCapacity],
    ['spot.instancePoolsToUseCount', spot.instancePoolsToUseCount],
  ] as const) {
    if (known(value) && (!Number.isInteger(value) || value < 0)) out.push(errorFinding(`${field} is ${value}: expected a whole number from 0 up`));
  }
  if (known(target.total) && known(target.onDemand ?? 0) && known(target.spot ?? 0) && (target.onDemand ?? 0) + (target.spot ?? 0) > target.total) {
    out.push(
      errorFinding(
        `targetCapacity.onDemand (${target.onDemand ?? 0}) plus targetCapacity.spot (${target.spot ?? 0}) exceed targetCapacity.total (${target.total}): raise total or lower the parts`,
      ),
    );
  }

  // The rules of each fleet type.
  const onlyFor = (wanted: FleetType, settings: readonly [string, boolean][], what: string): void => {
    const set = settings.filter(([, present]) => present).map(([name]) => name);
    if (set.length > 0 && type !== wanted) {
      out.push(errorFinding(`${set.join(', ')} ${set.length > 1 ? 'apply' : 'applies'} only to '${wanted}' fleets (this one is '${type}'): ${what}`));
    }
  };
  onlyFor(
    'maintain',
    [
      ['spot.capacityRebalance', spot.capacityRebalance !== undefined],
      ['replaceUnhealthyInstances', props.replaceUnhealthyInstances === true],
      ['excessCapacityTerminationPolicy', props.excessCapacityTerminationPolicy !== undefined],
    ],
    "only a fleet that maintains its capacity replaces instances; use type 'maintain' or drop them",
  );
  onlyFor(
    'instant',
    [
      ['spot.singleAvailabilityZone', spot.singleAvailabilityZone !== undefined],
      ['spot.singleInstanceType', spot.singleInstanceType !== undefined],
      ['spot.minTargetCapacity', spot.minTargetCapacity !== undefined],
      ['onDemand.singleAvailabilityZone', onDemand.singleAvailabilityZone !== undefined],
      ['onDemand.singleInstanceType', onDemand.singleInstanceType !== undefined],
      ['onDemand.minTargetCapacity', onDemand.minTargetCapacity !== undefined],
      ['onDemand.useCapacityReservationsFirst', onDemand.useCapacityReservationsFirst === true],
    ],
    "use type 'instant' or drop them",
  );
  for (const [name, options] of [
    ['spot', spot],
    ['onDemand', onDemand],
  ] as const) {
    if (options.minTargetCapacity !== undefined && options.singleAvailabilityZone !== true && options.singleInstanceType !== true) {
      out.push(
        errorFinding(
          `${name}.minTargetCapacity needs ${name}.singleAvailabilityZone or ${name}.singleInstanceType: AWS only guarantees a minimum within one zone or one type; set one of them`,
        ),
      );
    }
  }
  return out;
}
