import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Document, LineCounter, parseDocument, isScalar, isNode } from 'yaml';
import * as generatedValidators from './generated/config-validators';
import { ConfigError } from './errors';
import { isKnownRegion } from './regions';
import { NAME_PATTERN, RESERVED_ENVIRONMENT_NAMES, RESERVED_STACK_PREFIXES } from './names';
import type { CpuArchitecture, FleetSpotAllocationStrategy, FleetType, InstanceRequirementsProps, SpotAllocationStrategy, TargetCapacityUnitType } from './compute-vocabulary';
import { environmentPipelineFrom, projectPipelineFrom, type EnvironmentPipelineSettings, type ProjectPipelineSettings, type RawEnvironmentPipeline, type RawProjectPipeline } from './pipeline-config';

export type BackendLayout = 'central' | 'regional';
export type LockingMode = 'lockfile' | 'dynamodb' | 'both';
export type NatGateways = 'per-az' | 'single';

export interface NetworkSettings {
  readonly cidr: string;
  readonly maxAzs: number;
  readonly natGateways: NatGateways;
}

export interface ProjectConfig {
  readonly project: string;
  readonly backend: {
    readonly prefix: string;
    readonly layout: BackendLayout;
    /** Region of the central-layout buckets; undefined only for the regional layout. */
    readonly region: string | undefined;
    readonly locking: LockingMode;
  };
  readonly tooling: { readonly account: string; readonly region: string };
  readonly globalRegion: string;
  readonly deployRoleName: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Release pipelines (tooling and access stacks); undefined when project.yaml has no `pipeline`. */
  readonly pipeline?: ProjectPipelineSettings;
}

export interface TeamConfig {
  readonly name: string;
  readonly account: string;
  /** The team's regions, in the environment's order. */
  readonly regions: readonly string[];
  readonly network: NetworkSettings;
  readonly tags: Readonly<Record<string, string>>;
  /** The team's regional web tier and optional batch fleet, environment defaults merged in. */
  readonly compute: ComputeSettings;
}

export interface EnvironmentConfig {
  readonly name: string;
  readonly file: string;
  readonly regions: readonly string[];
  /** Teams sorted by name. */
  readonly teams: readonly TeamConfig[];
  readonly tags: Readonly<Record<string, string>>;
  /** The environment's pipeline settings, defaults resolved (see lib/pipeline-config.ts). */
  readonly pipeline?: EnvironmentPipelineSettings;
}

export interface Organisation {
  readonly dir: string;
  readonly project: ProjectConfig;
  /** Environments sorted by name. */
  readonly environments: readonly EnvironmentConfig[];
}

export const DEFAULT_NETWORK: NetworkSettings = { cidr: '10.0.0.0/16', maxAzs: 3, natGateways: 'per-az' };

export const DEFAULT_ENVIRONMENTS_DIR = 'environments';

/** The organisation directory from `ENVIRONMENTS_DIR`, relative to the working directory. */
export function environmentsDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.ENVIRONMENTS_DIR;
  return dir !== undefined && dir !== '' ? dir : DEFAULT_ENVIRONMENTS_DIR;
}

/**
 * Validators of environments/schema/*.json, compiled by Ajv at build time (`npm run generate`):
 * compiling at run time cost ~120 ms of every synth. A unit test fails when they are stale.
 */
function schemaValidators(): { project: ValidateFunction; environment: ValidateFunction } {
  return generatedValidators as unknown as { project: ValidateFunction; environment: ValidateFunction };
}

interface ParsedFile {
  readonly file: string;
  readonly data: unknown;
  readonly doc: Document;
  readonly lines: LineCounter;
}

/** A problem line: `<file>:<line>: <field path>: <what is wrong and what is expected>`. */
function problemAt(parsed: ParsedFile, fieldPath: readonly (string | number)[], message: string): string {
  const node = fieldPath.length === 0 ? parsed.doc.contents : parsed.doc.getIn(fieldPath, true);
  const where = isNode(node) && node.range ? `:${parsed.lines.linePos(node.range[0]).line}` : '';
  const field = fieldPath.length === 0 ? '(top level)' : formatPath(fieldPath);
  return `${parsed.file}${where}: ${field}: ${message}`;
}

function formatPath(fieldPath: readonly (string | number)[]): string {
  return fieldPath.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function readYaml(file: string, displayName: string, problems: string[]): ParsedFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${displayName}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = lines.linePos(error.pos[0]).line;
      problems.push(`${displayName}:${line}: invalid YAML: ${error.message.split('\n')[0]}`);
    }
    return undefined;
  }
  return { file: displayName, data: doc.toJS() as unknown, doc, lines };
}

function schemaProblems(parsed: ParsedFile, validate: ValidateFunction): string[] {
  if (validate(parsed.data)) return [];
  const out: string[] = [];
  for (const error of validate.errors ?? []) {
    const message = describeSchemaError(parsed, error);
    if (message !== undefined) out.push(message);
  }
  return [...new Set(out)];
}

function pathOf(error: ErrorObject): (string | number)[] {
  if (error.instancePath === '') return [];
  return error.instancePath
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p));
}

function describeSchemaError(parsed: ParsedFile, error: ErrorObject): string | undefined {
  const at = pathOf(error);
  const params = error.params as Record<string, unknown>;
  const schema = error.parentSchema as { description?: string; pattern?: string } | undefined;
  switch (error.keyword) {
    case 'required':
      return problemAt(parsed, at, `missing field '${String(params.missingProperty)}'`);
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return problemAt(
        parsed,
        [...at, String(params.additionalProperty)],
        `unknown field (expected one of: ${allowed.join(', ')})`,
      );
    }
    case 'propertyNames':
      return undefined; // reported by the pattern error on the name itself
    case 'type': {
      const value = parsed.doc.getIn(at, true);
      const expected = String(params.type);
      if (schema?.pattern === '^[0-9]{12}$' && isScalar(value) && typeof value.value === 'number') {
        const source = value.source ?? String(value.value);
        return problemAt(
          parsed,
          at,
          `account id ${source} is a number to YAML (an unquoted number drops leading zeros): quote it as a 12-digit string, "${source.padStart(12, '0')}"`,
        );
      }
      return problemAt(parsed, at, `expected ${article(expected)} ${expected}, got ${describeValue(value)}`);
    }
    case 'pattern': {
      if (error.propertyName !== undefined) {
        return problemAt(parsed, at, `name '${error.propertyName}' is not valid: expected ${patternHint(String(params.pattern))}`);
      }
      const value = parsed.doc.getIn(at);
      return problemAt(parsed, at, `'${String(value)}' is not valid: expected ${patternHint(String(params.pattern))}`);
    }
    case 'enum':
      return problemAt(
        parsed,
        at,
        `'${String(parsed.doc.getIn(at))}' is not allowed: expected one of ${(params.allowedValues as unknown[]).join(', ')}`,
      );
    case 'uniqueItems':
      return problemAt(parsed, at, `duplicate entry '${String(parsed.doc.getIn([...at, Number(params.j)]))}' (items ${String(params.j)} and ${String(params.i)}): list each once`);
    case 'minItems':
      return problemAt(parsed, at, `expected at least ${String(params.limit)} item(s)`);
    case 'minProperties':
      return problemAt(parsed, at, `expected at least ${String(params.limit)} entry`);
    case 'maxLength':
      if (error.propertyName !== undefined) {
        return problemAt(parsed, at, `name '${error.propertyName}' is too long: at most ${String(params.limit)} characters`);
      }
      return problemAt(parsed, at, `too long: at most ${String(params.limit)} characters`);
    case 'minimum':
    case 'maximum':
      return problemAt(parsed, at, `${String(parsed.doc.getIn(at))} is out of range: expected ${error.keyword === 'minimum' ? '>=' : '<='} ${String(params.limit)}`);
    default:
      return problemAt(parsed, at, error.message ?? 'invalid value');
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function describeValue(node: unknown): string {
  if (isScalar(node)) {
    if (node.value === null) return 'nothing (an empty value)';
    return `${typeof node.value} ${JSON.stringify(node.value)}`;
  }
  if (isNode(node)) return node.constructor.name === 'YAMLSeq' ? 'a list' : 'a mapping';
  return 'nothing';
}

const PATTERN_HINTS: Record<string, string> = {
  '^[a-z][a-z0-9-]*$': 'lower-case letters, digits and hyphens, starting with a letter',
  '^[0-9]{12}$': 'a quoted 12-digit account id',
  '^[a-z]{2}(-[a-z]+)+-[0-9]+$': 'an AWS region name such as us-east-1',
  '^[a-z0-9][a-z0-9-]*[a-z0-9]$': 'lower-case letters, digits and hyphens (an S3 bucket name prefix)',
  '^[A-Za-z0-9+=,.@_-]{1,64}$': 'an IAM role name (letters, digits and +=,.@_-, at most 64)',
  '^CKV2?_[A-Z0-9]+_[0-9]+$': 'a checkov check id such as CKV_AWS_144',
  '^[a-z0-9.*-]+$': "an instance type or glob such as m7i.large or c5*.* (lower case, '*' as wildcard)",
  '^[a-z][a-z0-9-]*\\.[a-z0-9-]+$': 'an exact instance type such as m7i.large',
  '^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$': 'an availability zone such as us-east-1a',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$': 'an RFC 3339 UTC time such as 2026-12-01T00:00:00Z',
  '^[a-z0-9][a-z0-9-]*$': 'lower-case letters, digits and hyphens',
};

function patternHint(pattern: string): string {
  return PATTERN_HINTS[pattern] ?? `a value matching ${pattern}`;
}

function regionProblems(parsed: ParsedFile, at: (string | number)[], regions: readonly string[]): string[] {
  return regions.flatMap((region, i) =>
    isKnownRegion(region) ? [] : [problemAt(parsed, [...at, i], `unknown AWS region '${region}' (expected a real region such as us-east-1)`)],
  );
}

interface RawProject {
  project: string;
  backend: { prefix: string; layout?: BackendLayout; region?: string; locking?: LockingMode };
  tooling: { account: string; region: string };
  globalRegion: string;
  deployRoleName: string;
  tags?: Record<string, string>;
  pipeline?: RawProjectPipeline;
}

interface RawNetwork {
  cidr?: string;
  maxAzs?: number;
  natGateways?: NatGateways;
}

interface RawTeam {
  account: string;
  regions?: string[];
  network?: RawNetwork;
  tags?: Record<string, string>;
  compute?: RawTeamCompute;
}

interface RawEnvironment {
  regions: string[];
  teams: Record<string, RawTeam>;
  network?: RawNetwork;
  tags?: Record<string, string>;
  pipeline?: RawEnvironmentPipeline;
  compute?: RawEnvironmentCompute;
}

function projectFrom(parsed: ParsedFile, problems: string[]): ProjectConfig | undefined {
  const found = schemaProblems(parsed, schemaValidators().project);
  if (found.length > 0) {
    problems.push(...found);
    return undefined;
  }
  const raw = parsed.data as RawProject;
  const layout = raw.backend.layout ?? 'central';
  const before = problems.length;
  for (const [at, region] of [
    [['tooling', 'region'], raw.tooling.region],
    [['globalRegion'], raw.globalRegion],
    [['backend', 'region'], raw.backend.region],
  ] as const) {
    if (region !== undefined && !isKnownRegion(region)) {
      problems.push(problemAt(parsed, [...at], `unknown AWS region '${region}' (expected a real region such as us-east-1)`));
    }
  }
  if (layout === 'central' && raw.backend.region === undefined) {
    problems.push(problemAt(parsed, ['backend'], `missing field 'region': the central layout keeps every bucket in one region`));
  }
  const pipeline = projectPipelineFrom(raw.pipeline, raw.deployRoleName, raw.tooling.account, (at, message) => problems.push(problemAt(parsed, at, message)));
  if (problems.length > before) return undefined;
  return {
    project: raw.project,
    backend: {
      prefix: raw.backend.prefix,
      layout,
      region: raw.backend.region,
      locking: raw.backend.locking ?? 'lockfile',
    },
    tooling: { account: raw.tooling.account, region: raw.tooling.region },
    globalRegion: raw.globalRegion,
    deployRoleName: raw.deployRoleName,
    tags: raw.tags ?? {},
    ...(pipeline !== undefined ? { pipeline } : {}),
  };
}

function networkFrom(...layers: (RawNetwork | undefined)[]): NetworkSettings {
  let result: NetworkSettings = DEFAULT_NETWORK;
  for (const layer of layers) {
    if (layer !== undefined) result = { ...result, ...layer };
  }
  return result;
}

function cidrProblems(parsed: ParsedFile, at: (string | number)[], network: RawNetwork | undefined): string[] {
  if (network?.cidr === undefined) return [];
  const [address, bits] = network.cidr.split('/');
  const octets = address.split('.').map(Number);
  if (octets.some((o) => o > 255)) return [problemAt(parsed, [...at, 'cidr'], `'${network.cidr}' is not an IPv4 CIDR block`)];
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 32 - Number(bits);
  if (value % 2 ** hostBits !== 0) {
    return [problemAt(parsed, [...at, 'cidr'], `'${network.cidr}' has host bits set: expected a network address such as 10.0.0.0/${bits}`)];
  }
  return [];
}

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

interface RawEnvironmentCompute {
  web?: RawWebTier;
}

interface RawTeamCompute {
  web?: RawWebTier;
  batch?: RawBatchFleet;
  plannedEvents?: PlannedEventSettings[];
}

type FieldPath = (string | number)[];
type ReportProblem = (at: FieldPath, message: string) => void;

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

function computeFrom(environment: RawEnvironmentCompute | undefined, teamName: string, teamRegions: readonly string[], team: RawTeamCompute | undefined, report: ReportProblem): ComputeSettings {
  const web = webTierFrom({ at: ['compute', 'web'], raw: environment?.web }, { at: ['teams', teamName, 'compute', 'web'], raw: team?.web }, report);
  const batch = team?.batch !== undefined ? batchFleetFrom(['teams', teamName, 'compute', 'batch'], team.batch, report) : undefined;
  const plannedEvents = plannedEventsFrom(teamName, teamRegions, team?.plannedEvents ?? [], report);
  return { web, batch, plannedEvents };
}

function environmentFrom(name: string, parsed: ParsedFile, project: ProjectConfig | undefined, problems: string[]): EnvironmentConfig | undefined {
  const before = problems.length;
  if (!NAME_PATTERN.test(name)) {
    problems.push(`${parsed.file}: environment name '${name}' (the file name) is not valid: expected lower-case letters, digits and hyphens, starting with a letter`);
  }
  if ((RESERVED_ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
    problems.push(`${parsed.file}: '${name}' is reserved and cannot name an environment`);
  }
  const found = schemaProblems(parsed, schemaValidators().environment);
  if (found.length > 0) {
    problems.push(...found);
    return undefined;
  }
  const raw = parsed.data as RawEnvironment;
  problems.push(...regionProblems(parsed, ['regions'], raw.regions));
  problems.push(...cidrProblems(parsed, ['network'], raw.network));
  const teams: TeamConfig[] = [];
  for (const teamName of Object.keys(raw.teams).sort()) {
    const team = raw.teams[teamName];
    const reserved = RESERVED_STACK_PREFIXES.find((prefix) => teamName === prefix || teamName.startsWith(`${prefix}-`));
    if (reserved !== undefined) {
      problems.push(problemAt(parsed, ['teams', teamName], `team name '${teamName}' collides with the reserved stack prefix '${reserved}-' of the tooling stacks: choose another name`));
    }
    problems.push(...cidrProblems(parsed, ['teams', teamName, 'network'], team.network));
    if (team.regions !== undefined) {
      problems.push(...regionProblems(parsed, ['teams', teamName, 'regions'], team.regions));
      team.regions.forEach((region, i) => {
        if (isKnownRegion(region) && !raw.regions.includes(region)) {
          problems.push(problemAt(parsed, ['teams', teamName, 'regions', i], `region '${region}' is not enabled for environment '${name}' (expected one of ${raw.regions.join(', ')})`));
        }
      });
    }
    teams.push({
      name: teamName,
      account: team.account,
      regions: team.regions === undefined ? raw.regions : raw.regions.filter((r) => team.regions!.includes(r)),
      network: networkFrom(raw.network, team.network),
      tags: { ...(raw.tags ?? {}), ...(team.tags ?? {}) },
      // Problems of the environment's own compute settings would repeat for every team: report once.
      compute: computeFrom(raw.compute, teamName, team.regions === undefined ? raw.regions : team.regions, team.compute, (at, message) => {
        const problem = problemAt(parsed, at, message);
        if (!problems.includes(problem)) problems.push(problem);
      }),
    });
  }
  if (project !== undefined && project.tooling.account !== undefined) {
    for (const team of teams) {
      if (team.account === project.tooling.account) {
        problems.push(problemAt(parsed, ['teams', team.name, 'account'], `account ${team.account} is the tooling account: workloads deploy to their own accounts`));
      }
    }
  }
  const pipeline = environmentPipelineFrom(raw.pipeline, (at, message) => problems.push(problemAt(parsed, at, message)));
  if (problems.length > before) return undefined;
  return { name, file: parsed.file, regions: raw.regions, teams, tags: raw.tags ?? {}, pipeline };
}

/**
 * Reads and validates an organisation directory (`project.yaml` plus one `<env>.yaml` per
 * environment). Fails closed: every problem found is reported, one line each, in a ConfigError.
 */
export function loadOrganisation(dir: string): Organisation {
  const problems: string[] = [];
  const display = (name: string): string => path.join(dir, name);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir).sort();
  } catch {
    throw new ConfigError([`${dir}: no such organisation directory (expected project.yaml and one <env>.yaml per environment; set ENVIRONMENTS_DIR or --environments)`]);
  }
  const yamlFiles = entries.filter((e) => /\.ya?ml$/.test(e));
  const projectFiles = yamlFiles.filter((e) => /^project\.ya?ml$/.test(e));
  let project: ProjectConfig | undefined;
  if (projectFiles.length === 0) {
    problems.push(`${display('project.yaml')}: missing (expected the project settings: project, backend, tooling, globalRegion, deployRoleName)`);
  } else if (projectFiles.length > 1) {
    problems.push(`${dir}: both project.yaml and project.yml exist: keep one`);
  } else {
    const parsed = readYaml(path.join(dir, projectFiles[0]), display(projectFiles[0]), problems);
    if (parsed !== undefined) project = projectFrom(parsed, problems);
  }

  const environments: EnvironmentConfig[] = [];
  const seen = new Map<string, string>();
  for (const file of yamlFiles) {
    if (projectFiles.includes(file)) continue;
    const name = file.replace(/\.ya?ml$/, '');
    const previous = seen.get(name);
    if (previous !== undefined) {
      problems.push(`${display(file)}: environment '${name}' is also defined by ${display(previous)}: keep one file`);
      continue;
    }
    seen.set(name, file);
    const parsed = readYaml(path.join(dir, file), display(file), problems);
    if (parsed === undefined) continue;
    const environment = environmentFrom(name, parsed, project, problems);
    if (environment !== undefined) environments.push(environment);
  }
  if (seen.size === 0) {
    problems.push(`${dir}: no environments (expected at least one <env>.yaml next to project.yaml)`);
  }
  if (problems.length > 0 || project === undefined) throw new ConfigError(problems);
  environments.sort((a, b) => a.name.localeCompare(b.name));
  return { dir, project, environments };
}

export function findEnvironment(org: Organisation, name: string): EnvironmentConfig | undefined {
  return org.environments.find((e) => e.name === name);
}

export function findTeam(environment: EnvironmentConfig, name: string): TeamConfig | undefined {
  return environment.teams.find((t) => t.name === name);
}
