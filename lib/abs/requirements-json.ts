import { UserError } from '../errors';

/**
 * The Terraform JSON shape of the AWS provider's `instance_requirements` block, as it appears in a
 * synthesized `cdk.tf.json` under
 * - `aws_autoscaling_group.mixed_instances_policy.launch_template.override.instance_requirements`,
 * - `aws_launch_template.instance_requirements`,
 * - `aws_ec2_fleet.launch_template_config.override.instance_requirements`.
 *
 * The three blocks have the same attributes in provider 6.x (checked against the `...ToTerraform`
 * functions of @cdktf/provider-aws 21.x). Nested blocks hold at most one element: cdktf emits them
 * as objects, hand-written Terraform JSON often as one-element arrays; both are accepted.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/autoscaling_group#instance_requirements
 */
export interface InstanceRequirementsJson {
  readonly vcpu_count?: RangeBlockJson;
  readonly memory_mib?: RangeBlockJson;
  /** GiB of memory per vCPU; a type's value is memory MiB / 1024 / vCPUs. */
  readonly memory_gib_per_vcpu?: RangeBlockJson;
  readonly cpu_manufacturers?: readonly string[];
  readonly instance_generations?: readonly string[];
  /** Anchored globs (`*` is the only wildcard); cannot be combined with `excluded_instance_types`. */
  readonly allowed_instance_types?: readonly string[];
  /** Anchored globs (`*` is the only wildcard); cannot be combined with `allowed_instance_types`. */
  readonly excluded_instance_types?: readonly string[];
  readonly bare_metal?: string;
  readonly burstable_performance?: string;
  /** `max = 0` excludes every accelerated instance type. */
  readonly accelerator_count?: RangeBlockJson;
  readonly accelerator_types?: readonly string[];
  readonly accelerator_manufacturers?: readonly string[];
  readonly accelerator_names?: readonly string[];
  readonly accelerator_total_memory_mib?: RangeBlockJson;
  readonly local_storage?: string;
  readonly local_storage_types?: readonly string[];
  readonly total_local_storage_gb?: RangeBlockJson;
  readonly baseline_ebs_bandwidth_mbps?: RangeBlockJson;
  readonly network_bandwidth_gbps?: RangeBlockJson;
  readonly network_interface_count?: RangeBlockJson;
  readonly require_hibernate_support?: boolean | string;
  readonly on_demand_max_price_percentage_over_lowest_price?: number;
  readonly spot_max_price_percentage_over_lowest_price?: number;
  readonly max_spot_price_as_percentage_of_optimal_on_demand_price?: number;
}

/** A `{min, max}` block, either bound optional; an object or a one-element array. */
export type RangeBlockJson = RangeJson | readonly RangeJson[];

export interface RangeJson {
  readonly min?: number;
  readonly max?: number;
}

/** An inclusive range; an absent bound is unbounded. */
export interface Range {
  readonly min?: number;
  readonly max?: number;
}

export type Inclusion = 'included' | 'required' | 'excluded';
export type CpuManufacturer = 'intel' | 'amd' | 'amazon-web-services' | 'apple';
export type InstanceGeneration = 'current' | 'previous';
export type AcceleratorType = 'gpu' | 'fpga' | 'inference' | 'media';
export type AcceleratorManufacturer = 'amazon-web-services' | 'amd' | 'habana' | 'nvidia' | 'xilinx';
export type LocalStorageType = 'hdd' | 'ssd';

export const INCLUSIONS: readonly Inclusion[] = ['included', 'required', 'excluded'];
export const CPU_MANUFACTURERS: readonly CpuManufacturer[] = ['intel', 'amd', 'amazon-web-services', 'apple'];
export const INSTANCE_GENERATIONS: readonly InstanceGeneration[] = ['current', 'previous'];
export const ACCELERATOR_TYPES: readonly AcceleratorType[] = ['gpu', 'fpga', 'inference', 'media'];
export const ACCELERATOR_MANUFACTURERS: readonly AcceleratorManufacturer[] = ['amazon-web-services', 'amd', 'habana', 'nvidia', 'xilinx'];
/** The EC2 API's AcceleratorName enum (2026). */
export const ACCELERATOR_NAMES: readonly string[] = [
  'a100',
  'a10g',
  'gaudi-hl-205',
  'h100',
  'inferentia',
  'inferentia2',
  'k520',
  'k80',
  'l4',
  'l40s',
  'm60',
  'radeon-pro-v520',
  't4',
  't4g',
  'trainium',
  'trainium2',
  'u30',
  'v100',
  'vu9p',
];
export const LOCAL_STORAGE_TYPES: readonly LocalStorageType[] = ['hdd', 'ssd'];

/** AWS's default On-Demand price protection, in percent over the identified lowest price. */
export const DEFAULT_ON_DEMAND_PRICE_PROTECTION_PERCENT = 20;
/**
 * AWS's long-documented default Spot price protection (percent over the lowest Spot price). Current
 * AWS docs say that without either Spot attribute EC2 applies "optimal price protection" instead.
 */
export const DEFAULT_SPOT_PRICE_PROTECTION_PERCENT = 100;

/** The requirements with AWS's defaults filled in and every value checked. */
export interface InstanceRequirements {
  readonly vcpuCount: Range;
  readonly memoryMib: Range;
  readonly memoryGibPerVcpu?: Range;
  /** Undefined: any manufacturer. */
  readonly cpuManufacturers?: readonly CpuManufacturer[];
  readonly instanceGenerations: readonly InstanceGeneration[];
  readonly allowedInstanceTypes?: readonly string[];
  readonly excludedInstanceTypes?: readonly string[];
  readonly bareMetal: Inclusion;
  readonly burstablePerformance: Inclusion;
  readonly acceleratorCount?: Range;
  readonly acceleratorTypes?: readonly AcceleratorType[];
  readonly acceleratorManufacturers?: readonly AcceleratorManufacturer[];
  readonly acceleratorNames?: readonly string[];
  readonly acceleratorTotalMemoryMib?: Range;
  readonly localStorage: Inclusion;
  readonly localStorageTypes: readonly LocalStorageType[];
  readonly totalLocalStorageGb?: Range;
  readonly baselineEbsBandwidthMbps?: Range;
  readonly networkBandwidthGbps?: Range;
  readonly networkInterfaceCount?: Range;
  readonly requireHibernateSupport: boolean;
  readonly onDemandMaxPricePercentageOverLowestPrice: number;
  /** Undefined when not set (AWS then applies its own Spot default). */
  readonly spotMaxPricePercentageOverLowestPrice?: number;
  readonly maxSpotPriceAsPercentageOfOptimalOnDemandPrice?: number;
}

const RANGE_ATTRIBUTES = [
  'vcpu_count',
  'memory_mib',
  'memory_gib_per_vcpu',
  'accelerator_count',
  'accelerator_total_memory_mib',
  'total_local_storage_gb',
  'baseline_ebs_bandwidth_mbps',
  'network_bandwidth_gbps',
  'network_interface_count',
] as const;

const KNOWN_ATTRIBUTES = new Set<string>([
  ...RANGE_ATTRIBUTES,
  'cpu_manufacturers',
  'instance_generations',
  'allowed_instance_types',
  'excluded_instance_types',
  'bare_metal',
  'burstable_performance',
  'accelerator_types',
  'accelerator_manufacturers',
  'accelerator_names',
  'local_storage',
  'local_storage_types',
  'require_hibernate_support',
  'on_demand_max_price_percentage_over_lowest_price',
  'spot_max_price_percentage_over_lowest_price',
  'max_spot_price_as_percentage_of_optimal_on_demand_price',
]);

/** AWS's pattern for allowed/excluded instance type entries. */
const INSTANCE_TYPE_GLOB = /^[a-zA-Z0-9.*-]{1,30}$/;

/**
 * Reads an `instance_requirements` block in Terraform JSON shape, applies AWS's defaults and checks
 * every value. Throws a UserError listing every problem, each naming the attribute. Values must be
 * resolved: an unresolved token (`${...}`) cannot be previewed and is reported as such.
 */
export function readInstanceRequirements(
  json: InstanceRequirementsJson | readonly InstanceRequirementsJson[],
  where = 'instance_requirements',
): InstanceRequirements {
  const problems: string[] = [];
  const block = singleBlock(json, where, problems) as Record<string, unknown> | undefined;
  if (block === undefined) throw new UserError(problems.length > 0 ? problems : [`${where}: the block is empty (vcpu_count and memory_mib are required)`]);

  for (const key of Object.keys(block).sort()) {
    if (!KNOWN_ATTRIBUTES.has(key)) problems.push(`${where}.${key}: unknown attribute (the offline preview cannot evaluate it)`);
  }
  const range = (name: (typeof RANGE_ATTRIBUTES)[number]): Range | undefined => readRange(block[name], `${where}.${name}`, problems);
  const list = <T extends string>(name: string, allowed: readonly T[]): readonly T[] | undefined =>
    readEnumList(block[name], allowed, `${where}.${name}`, problems);
  const inclusion = (name: string): Inclusion => readEnum(block[name], INCLUSIONS, `${where}.${name}`, problems) ?? defaultInclusion(name);
  const percent = (name: string): number | undefined => {
    const value = readNumber(block[name], `${where}.${name}`, problems);
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) problems.push(`${where}.${name}: expected a whole percentage >= 0, got ${value}`);
    return value;
  };

  const vcpuCount = range('vcpu_count');
  const memoryMib = range('memory_mib');
  if (vcpuCount?.min === undefined) problems.push(`${where}.vcpu_count.min: required (AWS needs a vCPU minimum; use 0 for none)`);
  if (memoryMib?.min === undefined) problems.push(`${where}.memory_mib.min: required (AWS needs a memory minimum; use 0 for none)`);

  const allowedInstanceTypes = readGlobList(block.allowed_instance_types, `${where}.allowed_instance_types`, problems);
  const excludedInstanceTypes = readGlobList(block.excluded_instance_types, `${where}.excluded_instance_types`, problems);
  if (allowedInstanceTypes !== undefined && excludedInstanceTypes !== undefined) {
    problems.push(`${where}: allowed_instance_types and excluded_instance_types cannot both be set (AWS rejects it); keep one`);
  }
  const spotOverLowest = percent('spot_max_price_percentage_over_lowest_price');
  const spotOfOnDemand = percent('max_spot_price_as_percentage_of_optimal_on_demand_price');
  if (spotOverLowest !== undefined && spotOfOnDemand !== undefined) {
    problems.push(
      `${where}: spot_max_price_percentage_over_lowest_price and max_spot_price_as_percentage_of_optimal_on_demand_price cannot both be set (AWS rejects it); keep one`,
    );
  }
  const hibernate = readBoolean(block.require_hibernate_support, `${where}.require_hibernate_support`, problems);
  const requirements: InstanceRequirements = {
    vcpuCount: vcpuCount ?? {},
    memoryMib: memoryMib ?? {},
    memoryGibPerVcpu: range('memory_gib_per_vcpu'),
    cpuManufacturers: list('cpu_manufacturers', CPU_MANUFACTURERS),
    instanceGenerations: list('instance_generations', INSTANCE_GENERATIONS) ?? INSTANCE_GENERATIONS,
    allowedInstanceTypes,
    excludedInstanceTypes,
    bareMetal: inclusion('bare_metal'),
    burstablePerformance: inclusion('burstable_performance'),
    acceleratorCount: range('accelerator_count'),
    acceleratorTypes: list('accelerator_types', ACCELERATOR_TYPES),
    acceleratorManufacturers: list('accelerator_manufacturers', ACCELERATOR_MANUFACTURERS),
    acceleratorNames: list('accelerator_names', ACCELERATOR_NAMES),
    acceleratorTotalMemoryMib: range('accelerator_total_memory_mib'),
    localStorage: inclusion('local_storage'),
    localStorageTypes: list('local_storage_types', LOCAL_STORAGE_TYPES) ?? LOCAL_STORAGE_TYPES,
    totalLocalStorageGb: range('total_local_storage_gb'),
    baselineEbsBandwidthMbps: range('baseline_ebs_bandwidth_mbps'),
    networkBandwidthGbps: range('network_bandwidth_gbps'),
    networkInterfaceCount: range('network_interface_count'),
    requireHibernateSupport: hibernate ?? false,
    onDemandMaxPricePercentageOverLowestPrice: percent('on_demand_max_price_percentage_over_lowest_price') ?? DEFAULT_ON_DEMAND_PRICE_PROTECTION_PERCENT,
    spotMaxPricePercentageOverLowestPrice: spotOverLowest,
    maxSpotPriceAsPercentageOfOptimalOnDemandPrice: spotOfOnDemand,
  };
  if (problems.length > 0) throw new UserError(problems);
  return requirements;
}

/** AWS's defaults: bare metal and burstable types are left out unless asked for; local storage is allowed. */
function defaultInclusion(name: string): Inclusion {
  return name === 'local_storage' ? 'included' : 'excluded';
}

function singleBlock(value: unknown, where: string, problems: string[]): object | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    if (value.length > 1) {
      problems.push(`${where}: expected one block, got ${value.length}`);
      return undefined;
    }
    return singleBlock(value[0], where, problems);
  }
  if (typeof value !== 'object') {
    problems.push(`${where}: expected a block (object), got ${describe(value)}`);
    return undefined;
  }
  return value;
}

function readRange(value: unknown, where: string, problems: string[]): Range | undefined {
  const block = singleBlock(value, where, problems) as Record<string, unknown> | undefined;
  if (block === undefined) return undefined;
  for (const key of Object.keys(block).sort()) {
    if (key !== 'min' && key !== 'max') problems.push(`${where}.${key}: unknown attribute (expected min and/or max)`);
  }
  const min = readNumber(block.min, `${where}.min`, problems);
  const max = readNumber(block.max, `${where}.max`, problems);
  for (const [bound, n] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (n !== undefined && n < 0) problems.push(`${where}.${bound}: expected a number >= 0, got ${n}`);
  }
  if (min !== undefined && max !== undefined && min > max) problems.push(`${where}: min (${min}) is greater than max (${max})`);
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

function readNumber(value: unknown, where: string, problems: string[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  // Terraform JSON accepts numbers written as strings; tokens stay strings and are reported.
  const n = typeof value === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  problems.push(`${where}: expected a number, got ${describe(value)}`);
  return undefined;
}

function readBoolean(value: unknown, where: string, problems: string[]): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  problems.push(`${where}: expected true or false, got ${describe(value)}`);
  return undefined;
}

function readEnum<T extends string>(value: unknown, allowed: readonly T[], where: string, problems: string[]): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${where}: expected one of ${allowed.join(', ')}, got ${describe(value)}`);
  return undefined;
}

function readStringList(value: unknown, where: string, problems: string[]): readonly string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    problems.push(`${where}: expected a list of strings, got ${describe(value)}`);
    return undefined;
  }
  return value as string[];
}

function readEnumList<T extends string>(value: unknown, allowed: readonly T[], where: string, problems: string[]): readonly T[] | undefined {
  const items = readStringList(value, where, problems);
  if (items === undefined) return undefined;
  const wrong = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (wrong.length > 0) {
    problems.push(`${where}: ${wrong.map((w) => describe(w)).join(', ')} not allowed (expected any of ${allowed.join(', ')})`);
    return undefined;
  }
  // An empty list means "not set" in Terraform, so AWS's default applies.
  return items.length === 0 ? undefined : [...new Set(items as T[])].sort();
}

function readGlobList(value: unknown, where: string, problems: string[]): readonly string[] | undefined {
  const items = readStringList(value, where, problems);
  if (items === undefined || items.length === 0) return undefined;
  const wrong = items.filter((item) => !INSTANCE_TYPE_GLOB.test(item));
  if (wrong.length > 0) {
    problems.push(
      `${where}: ${wrong.map((w) => describe(w)).join(', ')} not valid (expected up to 30 letters, digits, '.', '-' and '*', e.g. m5.large or m5*)`,
    );
    return undefined;
  }
  return [...new Set(items)].sort();
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    if (value.includes('${')) return `the unresolved token '${value}' (the preview needs literal values)`;
    return `'${value}'`;
  }
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}
