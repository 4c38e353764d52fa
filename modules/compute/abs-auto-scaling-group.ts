import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { AutoscalingGroup, type AutoscalingGroupMixedInstancesPolicyLaunchTemplateOverride } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import type { AbsLaunchTemplate } from './abs-launch-template';
import { errorFinding, reportFindings, warningFinding, type Finding } from './findings';
import type { InstanceRequirements } from './instance-requirements';
import type { Placement } from './placement';
import { resolveRequirementSets, type ArchitectureRequirements, type RequirementSet } from './requirement-sets';
import { TargetTracking } from './target-tracking';

/** How On-Demand capacity is spread over the matching types. ABS requires `lowest-price`. */
export type OnDemandAllocationStrategy = 'lowest-price' | 'prioritized';
/** How spot capacity is spread over the pools. AWS recommends `price-capacity-optimized`. */
export type { SpotAllocationStrategy } from '../../lib/compute-vocabulary';
import type { SpotAllocationStrategy } from '../../lib/compute-vocabulary';
/** The unit of min, max and desired capacity; vCPUs and MiB need instance requirements. */
export type DesiredCapacityType = 'units' | 'vcpu' | 'memory-mib';

/** AWS accepts at most four instance requirement sets per group. */
export const MAX_REQUIREMENT_SETS = 4;
/** AWS accepts at most 40 instance types per group. */
export const MAX_INSTANCE_TYPES = 40;
/** AWS advises at least this many instance types for a spot workload. */
export const ADVISED_MINIMUM_SPOT_TYPES = 10;

export interface AbsAutoScalingGroupProps {
  /** Name of the group. @default - a name Terraform generates */
  readonly name?: string;
  /** The launch templates (one per architecture) the group launches. */
  readonly launchTemplate: AbsLaunchTemplate;
  /** One requirement set for every architecture of the template. @default - requirementsByArchitecture, else the template's own */
  readonly requirements?: InstanceRequirements;
  /** A requirement set per architecture (at most 4 sets). @default - requirements, else the template's own */
  readonly requirementsByArchitecture?: readonly ArchitectureRequirements[];
  /** Explicit instance types instead of requirements (single-architecture templates only). @default - ABS requirements select the types */
  readonly instanceTypes?: readonly string[];
  /** Subnets (or zones) to launch in: every availability zone of the region. */
  readonly placement: Placement;
  /** Fewest instances (or vCPUs / MiB, see desiredCapacityType). @default 1 */
  readonly minCapacity?: number;
  /** Most instances. @default - desiredCapacity, else minCapacity */
  readonly maxCapacity?: number;
  /** Instances to start with. @default - AWS starts at minCapacity */
  readonly desiredCapacity?: number;
  /** The unit of the capacities. @default "units" */
  readonly desiredCapacityType?: DesiredCapacityType;
  /** Capacity always filled with On-Demand instances. @default 0 */
  readonly onDemandBaseCapacity?: number;
  /** Share of the capacity above the base that is On-Demand; the rest is spot. @default 100 (no spot) */
  readonly onDemandPercentageAboveBaseCapacity?: number;
  /** On-Demand allocation strategy. @default "lowest-price" */
  readonly onDemandAllocationStrategy?: OnDemandAllocationStrategy;
  /** Spot allocation strategy. @default "price-capacity-optimized" when spot is possible, else not set */
  readonly spotAllocationStrategy?: SpotAllocationStrategy;
  /** Replace spot instances at elevated risk of interruption before they are interrupted. @default - on whenever spot is possible */
  readonly capacityRebalance?: boolean;
  /** Seconds a terminating instance gets to drain (termination lifecycle hook), with capacity rebalance. @default 120 */
  readonly terminationDrainSeconds?: number;
  /** ALB/NLB target groups to register with; health checks then come from the load balancer. @default - none, EC2 status checks */
  readonly targetGroupArns?: readonly string[];
  /** Seconds after launch before health checks count. @default 300 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Target-tracking scaling. @default TargetTracking.cpuUtilization(50) when maxCapacity > minCapacity */
  readonly scaling?: TargetTracking;
  /** Roll instances when the launch template or the mixed instances policy changes. @default true */
  readonly instanceRefresh?: boolean;
  /** Share of the group kept in service during an instance refresh. @default 90 */
  readonly minHealthyPercentage?: number;
  /** Tags of the group, propagated to its instances at launch. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An Auto Scaling group that selects instance types by attributes (ABS): a mixed instances
 * policy whose overrides carry the requirements, one launch template per architecture, spot
 * with price-capacity-optimized allocation and capacity rebalance whenever the distribution
 * allows spot, subnets in every zone, ELB health checks behind a target group, a target-tracking
 * policy and instance refresh on template changes. Refuses combinations AWS would reject.
 */
export class AbsAutoScalingGroup extends Construct {
  /** Name of the group. */
  readonly name: string;
  readonly arn: string;
  /** Whether the distribution lets the group launch spot instances. */
  readonly spotPossible: boolean;
  /** Whether capacity rebalance (with its termination drain hook) is on. */
  readonly capacityRebalance: boolean;
  /** How many overrides the mixed instances policy has. */
  readonly overrideCount: number;

  constructor(scope: Construct, id: string, props: AbsAutoScalingGroupProps) {
    super(scope, id);
    const minCapacity = props.minCapacity ?? 1;
    const maxCapacity = props.maxCapacity ?? props.desiredCapacity ?? minCapacity;
    const onDemandBaseCapacity = props.onDemandBaseCapacity ?? 0;
    const onDemandPercentage = props.onDemandPercentageAboveBaseCapacity ?? 100;
    const onDemandAllocationStrategy = props.onDemandAllocationStrategy ?? 'lowest-price';
    const spotPossible = Token.isUnresolved(onDemandPercentage) || onDemandPercentage < 100;
    const spotAllocationStrategy = props.spotAllocationStrategy ?? (spotPossible ? 'price-capacity-optimized' : undefined);
    const capacityRebalance = props.capacityRebalance ?? spotPossible;
    const drainSeconds = props.terminationDrainSeconds ?? 120;
    const targetGroupArns = props.targetGroupArns ?? [];
    const scalable = Token.isUnresolved(minCapacity) || Token.isUnresolved(maxCapacity) || maxCapacity > minCapacity;
    const scaling = props.scaling ?? (scalable ? TargetTracking.cpuUtilization(50) : TargetTracking.none());
    const minHealthyPercentage = props.minHealthyPercentage ?? 90;

    const { sets, findings } = resolveRequirementSets(props.launchTemplate, props);
    reportFindings(this, [
      ...findings,
      ...groupFindings(props, sets, { minCapacity, maxCapacity, onDemandBaseCapacity, onDemandPercentage, drainSeconds, minHealthyPercentage, spotPossible }),
      ...props.placement.findings(),
      ...scaling.findings(),
    ]);

    const templates = props.launchTemplate.templates;
    const defaultTemplate = templates[0];
    const overrides = groupOverrides(props, sets, templates.length > 1);
    this.spotPossible = spotPossible;
    this.capacityRebalance = capacityRebalance;
    this.overrideCount = overrides.length;

    const tags = props.tags ?? {};
    const group = new AutoscalingGroup(this, 'group', {
      ...(props.name !== undefined ? { name: props.name } : {}),
      minSize: minCapacity,
      maxSize: maxCapacity,
      ...(props.desiredCapacity !== undefined ? { desiredCapacity: props.desiredCapacity } : {}),
      ...(props.desiredCapacityType !== undefined ? { desiredCapacityType: props.desiredCapacityType } : {}),
      ...props.placement.render(),
      capacityRebalance,
      healthCheckType: targetGroupArns.length > 0 ? 'ELB' : 'EC2',
      healthCheckGracePeriod: props.healthCheckGracePeriodSeconds ?? 300,
      ...(targetGroupArns.length > 0 ? { targetGroupArns: [...targetGroupArns] } : {}),
      mixedInstancesPolicy: {
        instancesDistribution: {
          onDemandAllocationStrategy,
          onDemandBaseCapacity,
          onDemandPercentageAboveBaseCapacity: onDemandPercentage,
          ...(spotAllocationStrategy !== undefined ? { spotAllocationStrategy } : {}),
        },
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateId: defaultTemplate.id, version: defaultTemplate.latestVersion },
          ...(overrides.length > 0 ? { override: overrides } : {}),
        },
      },
      ...(capacityRebalance
        ? {
            // Rebalancing (and scale-in) terminates instances: give them time to drain first.
            initialLifecycleHook: [
              {
                name: 'drain-before-termination',
                lifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
                heartbeatTimeout: drainSeconds,
                defaultResult: 'CONTINUE',
              },
            ],
          }
        : {}),
      ...((props.instanceRefresh ?? true) ? { instanceRefresh: { strategy: 'Rolling', preferences: { minHealthyPercentage } } } : {}),
      tag: Object.keys(tags)
        .sort()
        .map((key) => ({ key, value: tags[key], propagateAtLaunch: true })),
      // The scaling policy owns the desired capacity once the group exists.
      ...(scaling.kind !== 'none' ? { lifecycle: { ignoreChanges: ['desired_capacity'] } } : {}),
    });
    this.name = group.name;
    this.arn = group.arn;

    if (scaling.kind !== 'none') {
      new AutoscalingPolicy(this, 'target-tracking', {
        name: `${scaling.kind}-target-tracking`,
        autoscalingGroupName: group.name,
        policyType: 'TargetTrackingScaling',
        targetTrackingConfiguration: scaling.render(),
      });
    }
  }
}

interface ResolvedCapacities {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly onDemandBaseCapacity: number;
  readonly onDemandPercentage: number;
  readonly drainSeconds: number;
  readonly minHealthyPercentage: number;
  readonly spotPossible: boolean;
}

function wholeNumberFinding(field: string, value: number | undefined, lowest: number, highest = Number.MAX_SAFE_INTEGER): Finding[] {
  if (value === undefined || Token.isUnresolved(value)) return [];
  if (!Number.isInteger(value) || value < lowest || value > highest) {
    return [errorFinding(`${field} is ${value}: expected a whole number from ${lowest}${highest === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${highest}`}`)];
  }
  return [];
}

function groupFindings(props: AbsAutoScalingGroupProps, sets: readonly RequirementSet[], c: ResolvedCapacities): Finding[] {
  const out: Finding[] = [];
  const hasRequirements = sets.length > 0;
  const instanceTypes = props.instanceTypes;

  if (instanceTypes !== undefined && hasRequirements) {
    const source = sets[0].fromTemplate
      ? 'launchTemplate.requirements'
      : sets[0].prefix.startsWith('requirementsByArchitecture')
        ? 'requirementsByArchitecture'
        : 'requirements';
    out.push(
      errorFinding(
        `instanceTypes and ${source} are both set: a group selects types either by attributes or by a list; keep ${source} (ABS, recommended) or instanceTypes`,
      ),
    );
  }
  if (instanceTypes === undefined && !hasRequirements && props.requirementsByArchitecture === undefined) {
    out.push(errorFinding('nothing selects instance types: set requirements (attribute-based selection), requirementsByArchitecture, or instanceTypes'));
  }
  if (instanceTypes !== undefined && !Token.isUnresolved(instanceTypes)) {
    if (props.launchTemplate.architectures.length > 1) {
      out.push(
        errorFinding(
          `instanceTypes need a single-architecture launch template (this one has ${props.launchTemplate.architectures.join(', ')}): use requirementsByArchitecture to mix architectures`,
        ),
      );
    }
    if (instanceTypes.length === 0) out.push(errorFinding('instanceTypes is empty: list at least one type, or use requirements'));
    if (instanceTypes.length > MAX_INSTANCE_TYPES)
      out.push(
        errorFinding(`instanceTypes has ${instanceTypes.length} entries: AWS accepts at most ${MAX_INSTANCE_TYPES} per group; use requirements instead`),
      );
    if (c.spotPossible && instanceTypes.length > 0 && instanceTypes.length < ADVISED_MINIMUM_SPOT_TYPES) {
      out.push(
        warningFinding(
          'MR-ABS-7',
          `instanceTypes lists ${instanceTypes.length} type(s) for a group that uses spot: AWS advises at least ${ADVISED_MINIMUM_SPOT_TYPES} so interruptions can be replaced from other pools; prefer requirements`,
        ),
      );
    }
  }
  const requirementOverrides = sets.filter((s) => !(s.fromTemplate && props.launchTemplate.architectures.length === 1)).length;
  if (requirementOverrides > MAX_REQUIREMENT_SETS) {
    out.push(
      errorFinding(
        `${requirementOverrides} instance requirement sets (one per architecture and set): AWS accepts at most ${MAX_REQUIREMENT_SETS} per group; merge sets or use fewer architectures`,
      ),
    );
  }
  if (hasRequirements && props.onDemandAllocationStrategy === 'prioritized') {
    out.push(
      errorFinding(
        "onDemandAllocationStrategy is 'prioritized' but requirements select the types: ABS has no type order to follow; use 'lowest-price' (the default)",
      ),
    );
  }
  if (hasRequirements && props.spotAllocationStrategy === 'capacity-optimized-prioritized') {
    out.push(
      errorFinding(
        "spotAllocationStrategy is 'capacity-optimized-prioritized' but requirements select the types: ABS has no type priorities; use 'price-capacity-optimized' (the default) or 'capacity-optimized'",
      ),
    );
  }
  const capacityType = props.desiredCapacityType ?? 'units';
  if (capacityType !== 'units' && !hasRequirements) {
    out.push(
      errorFinding(
        `desiredCapacityType is '${capacityType}' but no instance requirements are set: capacity in vCPUs or MiB needs attribute-based selection; set requirements or use 'units'`,
      ),
    );
  }

  out.push(...wholeNumberFinding('minCapacity', c.minCapacity, 0));
  out.push(...wholeNumberFinding('maxCapacity', c.maxCapacity, 0));
  out.push(...wholeNumberFinding('desiredCapacity', props.desiredCapacity, 0));
  out.push(...wholeNumberFinding('onDemandBaseCapacity', c.onDemandBaseCapacity, 0));
  out.push(...wholeNumberFinding('onDemandPercentageAboveBaseCapacity', c.onDemandPercentage, 0, 100));
  out.push(...wholeNumberFinding('terminationDrainSeconds', c.drainSeconds, 30, 7200));
  out.push(...wholeNumberFinding('minHealthyPercentage', c.minHealthyPercentage, 0, 100));
  out.push(...wholeNumberFinding('healthCheckGracePeriodSeconds', props.healthCheckGracePeriodSeconds, 0));
  const known = (n: number | undefined): n is number => n !== undefined && !Token.isUnresolved(n);
  if (known(c.minCapacity) && known(c.maxCapacity) && c.minCapacity > c.maxCapacity) {
    out.push(errorFinding(`minCapacity (${c.minCapacity}) is greater than maxCapacity (${c.maxCapacity}): raise maxCapacity or lower minCapacity`));
  } else if (
    known(props.desiredCapacity) &&
    known(c.minCapacity) &&
    known(c.maxCapacity) &&
    (props.desiredCapacity < c.minCapacity || props.desiredCapacity > c.maxCapacity)
  ) {
    out.push(
      errorFinding(
        `desiredCapacity (${props.desiredCapacity}) is outside minCapacity..maxCapacity (${c.minCapacity}..${c.maxCapacity}): set it within the range or leave it out`,
      ),
    );
  }

  if (known(c.onDemandPercentage) && c.onDemandPercentage === 100) {
    const spotSettings = [
      ...(props.spotAllocationStrategy !== undefined ? ['spotAllocationStrategy'] : []),
      ...(props.capacityRebalance === true ? ['capacityRebalance'] : []),
    ];
    if (spotSettings.length > 0) {
      out.push(
        warningFinding(
          'MR-ABS-6',
          `${spotSettings.join(' and ')} ${spotSettings.length > 1 ? 'are' : 'is'} set but onDemandPercentageAboveBaseCapacity is 100 (the default): the group never launches spot, so ${spotSettings.length > 1 ? 'they do' : 'it does'} nothing; lower onDemandPercentageAboveBaseCapacity (0 for spot only above the base)`,
        ),
      );
    }
  }
  return out;
}

function groupOverrides(
  props: AbsAutoScalingGroupProps,
  sets: readonly RequirementSet[],
  multiArchitecture: boolean,
): AutoscalingGroupMixedInstancesPolicyLaunchTemplateOverride[] {
  if (props.instanceTypes !== undefined) return props.instanceTypes.map((instanceType) => ({ instanceType }));
  // A single-architecture template that carries the requirements needs no override at all.
  if (!multiArchitecture && sets.every((s) => s.fromTemplate)) return [];
  return sets.map((set) => ({
    ...(multiArchitecture ? { launchTemplateSpecification: { launchTemplateId: set.template.id, version: set.template.latestVersion } } : {}),
    instanceRequirements: set.requirements.render(),
  }));
}
