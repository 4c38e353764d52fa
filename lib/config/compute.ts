import type { CpuArchitecture, FleetSpotAllocationStrategy, FleetType, InstanceRequirementsProps, SpotAllocationStrategy, TargetCapacityUnitType } from '../compute-vocabulary';
import type { FieldPath, ReportProblem } from './yaml-source';

// --- Compute: each team's regional web tier and optional batch fleet (reference: the README, "Compute (ABS)") ---

/** Instance requirements as the config writes them: the construct's fields, memory in GiB. */
export type ComputeRequirements = Omit<InstanceRequirementsProps, 'memoryMib'> & {
  /** Memory per instance in GiB (converted to the MiB that ABS takes). */
  readonly memoryGib: { readonly min: number; readonly max?: number };
};

/** The web tier behind each regional load balancer: an AbsAutoScalingGroup. */
export interface WebTierSettings {
  /** Run the web tier; without it the load balancer answers with a fixed page. */
  readonly enabled: boolean;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Undefined: AWS starts at minCapacity. */
  readonly desiredCapacity?: number;
  readonly onDemandBaseCapacity: number;
  /** Share of the capacity above the On-Demand base that runs on spot, 0-100. */
  readonly spotPercent: number;
  readonly spotAllocationStrategy: Exclude<SpotAllocationStrategy, 'capacity-optimized-prioritized'>;
  /** The AMI architectures, in order (the first is the group's default template). */
  readonly architectures: readonly CpuArchitecture[];
  /** Average CPU utilisation the target-tracking policy keeps. */
  readonly targetCpuPercent: number;
  readonly requirements: ComputeRequirements;
}

/** A team's batch fleet: an AbsEc2Fleet in the private subnets. */
export interface BatchFleetSettings {
  readonly type: FleetType;
  readonly totalCapacity: number;
  /** Part of totalCapacity that is On-Demand; the rest is spot. */
  readonly onDemandCapacity: number;
  readonly capacityUnit: TargetCapacityUnitType;
  readonly spotAllocationStrategy: Exclude<FleetSpotAllocationStrategy, 'capacity-optimized-prioritized'>;
  readonly architectures: readonly CpuArchitecture[];
  readonly requirements: ComputeRequirements;
}

/** On-Demand Capacity Reservations for a planned event, in one region (PlannedEventCapacity). */
export interface PlannedEventSettings {
  readonly event: string;
  /** RFC 3339 UTC time at which the reservations end by themselves. */
  readonly endDate: string;
  readonly region: string;
  readonly availabilityZones: readonly string[];
  readonly instanceTypes: readonly string[];
  readonly instancesPerPool: number;
}

export interface ComputeSettings {
  readonly web: WebTierSettings;
  /** Undefined unless the team declares `compute.batch`. */
  readonly batch: BatchFleetSettings | undefined;
  /** The team's planned events (empty unless it declares `compute.plannedEvents`). */
  readonly plannedEvents: readonly PlannedEventSettings[];
}

/** 2-4 vCPUs and 4-16 GiB of current generation, no accelerators: dozens of types on both architectures. */
export const DEFAULT_WEB_REQUIREMENTS: ComputeRequirements = {
  vcpus: { min: 2, max: 4 },
  memoryGib: { min: 4, max: 16 },
  instanceGenerations: ['current'],
  acceleratorCount: { max: 0 },
};

export const DEFAULT_WEB_TIER: WebTierSettings = {
  enabled: true,
  minCapacity: 2,
  maxCapacity: 6,
  onDemandBaseCapacity: 1,
  spotPercent: 50,
  spotAllocationStrategy: 'price-capacity-optimized',
  architectures: ['arm64', 'x86_64'],
  targetCpuPercent: 50,
  requirements: DEFAULT_WEB_REQUIREMENTS,
};

export const DEFAULT_BATCH_REQUIREMENTS: ComputeRequirements = {
  vcpus: { min: 2, max: 16 },
  memoryGib: { min: 4, max: 64 },
  instanceGenerations: ['current'],
  acceleratorCount: { max: 0 },
};

export const DEFAULT_BATCH_FLEET: Omit<BatchFleetSettings, 'totalCapacity'> = {
  type: 'maintain',
  onDemandCapacity: 0,
  capacityUnit: 'units',
  spotAllocationStrategy: 'price-capacity-optimized',
  architectures: ['arm64', 'x86_64'],
  requirements: DEFAULT_BATCH_REQUIREMENTS,
};

type RawComputeRequirements = Partial<ComputeRequirements>;

interface RawWebTier extends Partial<Omit<WebTierSettings, 'requirements'>> {
  requirements?: RawComputeRequirements;
}

interface RawBatchFleet extends Partial<Omit<BatchFleetSettings, 'requirements'>> {
  totalCapacity: number;
  requirements?: RawComputeRequirements;
}

export interface RawEnvironmentCompute {
  web?: RawWebTier;
}

export interface RawTeamCompute {
  web?: RawWebTier;
  batch?: RawBatchFleet;
  plannedEvents?: PlannedEventSettings[];
}

const COMPUTE_RANGE_FIELDS = [
  'vcpus',
  'memoryGib',
  'memoryGibPerVcpu',
  'acceleratorCount',
  'acceleratorTotalMemoryMib',
  'totalLocalStorageGb',
  'baselineEbsBandwidthMbps',
  'networkBandwidthGbps',
  'networkInterfaceCount',
] as const;

/** A layer of settings (team, then environment) and where it sits in its file. */
interface Layer<T> {
  readonly at: FieldPath;
  readonly raw: T | undefined;
}

/** Where the most specific layer sets one of `fields` (in that order), else the most specific layer. */
function locate<T extends object>(layers: readonly Layer<T>[], fields: readonly string[]): FieldPath {
  for (const layer of layers) {
    const field = fields.find((f) => layer.raw !== undefined && (layer.raw as Record<string, unknown>)[f] !== undefined);
    if (field !== undefined) return [...layer.at, field];
  }
  return layers.find((l) => l.raw !== undefined)?.at ?? layers[0].at;
}

/** Checks within one layer's requirements: each range in order, memory in whole MiB. */
function requirementLayerProblems(at: FieldPath, raw: RawComputeRequirements | undefined, report: ReportProblem): void {
  if (raw === undefined) return;
  for (const field of COMPUTE_RANGE_FIELDS) {
    const range = raw[field] as { min?: number; max?: number } | undefined;
    if (range?.min !== undefined && range.max !== undefined && range.min > range.max) {
      report([...at, field], `min ${range.min} is greater than max ${range.max}: nothing can match; lower min or raise max`);
    }
  }
  for (const side of ['min', 'max'] as const) {
    const gibibytes = raw.memoryGib?.[side];
    if (gibibytes !== undefined && !Number.isInteger(gibibytes * 1024)) {
      report([...at, 'memoryGib', side], `${gibibytes} GiB is not a whole number of MiB: use e.g. 0.5 or 1.5`);
    }
  }
}

/** Checks of requirements merged from the layers: the pairs AWS accepts only one of. */
function mergedRequirementProblems(layers: readonly Layer<RawComputeRequirements>[], merged: ComputeRequirements, report: ReportProblem): void {
  if (merged.allowedInstanceTypes !== undefined && merged.excludedInstanceTypes !== undefined) {
    report(
      locate(layers, ['excludedInstanceTypes', 'allowedInstanceTypes']),
      'allowedInstanceTypes and excludedInstanceTypes are both set (after merging environment and team): AWS accepts only one; keep allowedInstanceTypes (what may run) or excludedInstanceTypes (what may not)',
    );
  }
  if (merged.spotMaxPricePercentageOverLowestPrice !== undefined && merged.maxSpotPriceAsPercentageOfOptimalOnDemandPrice !== undefined) {
    report(
      locate(layers, ['maxSpotPriceAsPercentageOfOptimalOnDemandPrice', 'spotMaxPricePercentageOverLowestPrice']),
      'spotMaxPricePercentageOverLowestPrice and maxSpotPriceAsPercentageOfOptimalOnDemandPrice are both set (after merging environment and team): they are alternative spot price protections and AWS accepts one; keep the one you mean',
    );
  }
}

/** Layers from least to most specific, merged; requirement fields merge one by one, ranges whole. */
function mergeRequirements(base: ComputeRequirements, layers: readonly (RawComputeRequirements | undefined)[]): ComputeRequirements {
  return layers.reduce<ComputeRequirements>((merged, layer) => ({ ...merged, ...(layer ?? {}) }), base);
}

function webTierFrom(environment: Layer<RawWebTier>, team: Layer<RawWebTier>, report: ReportProblem): WebTierSettings {
  const requirementLayers = [team, environment].map((l) => ({ at: [...l.at, 'requirements'], raw: l.raw?.requirements }));
  for (const layer of requirementLayers) requirementLayerProblems(layer.at, layer.raw, report);
  const requirements = mergeRequirements(DEFAULT_WEB_TIER.requirements, [environment.raw?.requirements, team.raw?.requirements]);
  mergedRequirementProblems(requirementLayers, requirements, report);
  const web: WebTierSettings = { ...DEFAULT_WEB_TIER, ...(environment.raw ?? {}), ...(team.raw ?? {}), requirements };

  const layers = [team, environment];
  if (web.minCapacity > web.maxCapacity) {
    report(locate(layers, ['maxCapacity', 'minCapacity']), `minCapacity (${web.minCapacity}) is greater than maxCapacity (${web.maxCapacity}): raise maxCapacity or lower minCapacity`);
  } else if (web.desiredCapacity !== undefined && (web.desiredCapacity < web.minCapacity || web.desiredCapacity > web.maxCapacity)) {
    report(locate(layers, ['desiredCapacity']), `desiredCapacity (${web.desiredCapacity}) is outside minCapacity..maxCapacity (${web.minCapacity}..${web.maxCapacity}): set it within the range or leave it out`);
  }
  if (web.onDemandBaseCapacity > web.maxCapacity) {
    report(
      locate(layers, ['onDemandBaseCapacity', 'maxCapacity']),
      `onDemandBaseCapacity (${web.onDemandBaseCapacity}) is greater than maxCapacity (${web.maxCapacity}): the group can never reach its On-Demand base; lower it or raise maxCapacity`,
    );
  }
  return web;
}

function batchFleetFrom(at: FieldPath, raw: RawBatchFleet, report: ReportProblem): BatchFleetSettings {
  const requirementsAt = [...at, 'requirements'];
  requirementLayerProblems(requirementsAt, raw.requirements, report);
  const requirements = mergeRequirements(DEFAULT_BATCH_FLEET.requirements, [raw.requirements]);
  mergedRequirementProblems([{ at: requirementsAt, raw: raw.requirements }], requirements, report);
  const batch: BatchFleetSettings = { ...DEFAULT_BATCH_FLEET, ...raw, requirements };
  if (batch.onDemandCapacity > batch.totalCapacity) {
    report([...at, 'onDemandCapacity'], `onDemandCapacity (${batch.onDemandCapacity}) is greater than totalCapacity (${batch.totalCapacity}): lower it or raise totalCapacity`);
  }
  return batch;
}

/**
 * A team's compute settings: the defaults, then the environment's `compute`, then the team's.
 * Problems go to `report` with the field path of the most specific setting involved.
 */
/** Planned events must name one of the team's regions, zones of that region, and be unique. */
function plannedEventsFrom(teamName: string, teamRegions: readonly string[], events: readonly PlannedEventSettings[], report: ReportProblem): PlannedEventSettings[] {
  const seen = new Set<string>();
  events.forEach((event, i) => {
    const at: FieldPath = ['teams', teamName, 'compute', 'plannedEvents', i];
    if (!teamRegions.includes(event.region)) {
      report([...at, 'region'], `region '${event.region}' is not a region of team '${teamName}' (expected one of ${teamRegions.join(', ')})`);
    }
    event.availabilityZones.forEach((zone, z) => {
      if (!new RegExp(`^${event.region}[a-z]$`).test(zone)) report([...at, 'availabilityZones', z], `zone '${zone}' is not a zone of ${event.region} (expected e.g. ${event.region}a)`);
    });
    const key = `${event.event}/${event.region}`;
    if (seen.has(key)) report([...at, 'event'], `event '${event.event}' is declared twice for ${event.region}: merge the two entries`);
    seen.add(key);
  });
  return [...events];
}

export function computeFrom(environment: RawEnvironmentCompute | undefined, teamName: string, teamRegions: readonly string[], team: RawTeamCompute | undefined, report: ReportProblem): ComputeSettings {
  const web = webTierFrom({ at: ['compute', 'web'], raw: environment?.web }, { at: ['teams', teamName, 'compute', 'web'], raw: team?.web }, report);
  const batch = team?.batch !== undefined ? batchFleetFrom(['teams', teamName, 'compute', 'batch'], team.batch, report) : undefined;
  const plannedEvents = plannedEventsFrom(teamName, teamRegions, team?.plannedEvents ?? [], report);
  return { web, batch, plannedEvents };
}

