import { Token } from 'cdktf';
import type { LaunchTemplateInstanceRequirements } from '@cdktf/provider-aws/lib/launch-template';
import { errorFinding, warningFinding, type Finding } from './findings';

/** An inclusive range; omit a side for no limit on that side. */
export interface Range {
  /** Lower bound, inclusive. @default - no lower bound */
  readonly min?: number;
  /** Upper bound, inclusive. @default - no upper bound */
  readonly max?: number;
}

/** A range whose lower bound ABS requires (vCPUs and memory). */
export interface MinimumRange {
  /** Lower bound, inclusive. */
  readonly min: number;
  /** Upper bound, inclusive. @default - no upper bound */
  readonly max?: number;
}

// The accepted values below are the ones the Terraform AWS provider documents for all three
// resources that take instance_requirements (aws_launch_template, aws_autoscaling_group,
// aws_ec2_fleet). The EC2 API knows a few more accelerator names than the Auto Scaling API; a
// requirement set is shared by the three, so it keeps to the names all of them accept.
export const CPU_MANUFACTURERS = ['intel', 'amd', 'amazon-web-services'] as const;
export const INSTANCE_GENERATIONS = ['current', 'previous'] as const;
export const INCLUSIONS = ['included', 'excluded', 'required'] as const;
export const ACCELERATOR_TYPES = ['gpu', 'fpga', 'inference'] as const;
export const ACCELERATOR_MANUFACTURERS = ['nvidia', 'amd', 'amazon-web-services', 'xilinx'] as const;
export const ACCELERATOR_NAMES = ['a100', 'v100', 'k80', 't4', 'm60', 'radeon-pro-v520', 'vu9p'] as const;
export const LOCAL_STORAGE_TYPES = ['hdd', 'ssd'] as const;

export type CpuManufacturer = (typeof CPU_MANUFACTURERS)[number];
export type InstanceGeneration = (typeof INSTANCE_GENERATIONS)[number];
/** Whether instance types with a property are included (may match), excluded or required. */
export type Inclusion = (typeof INCLUSIONS)[number];
export type AcceleratorType = (typeof ACCELERATOR_TYPES)[number];
export type AcceleratorManufacturer = (typeof ACCELERATOR_MANUFACTURERS)[number];
export type AcceleratorName = (typeof ACCELERATOR_NAMES)[number];
export type LocalStorageType = (typeof LOCAL_STORAGE_TYPES)[number];

/** Most entries AWS accepts in allowedInstanceTypes or excludedInstanceTypes. */
export const MAX_INSTANCE_TYPE_PATTERNS = 400;
/** Longest entry AWS accepts in allowedInstanceTypes or excludedInstanceTypes. */
export const MAX_INSTANCE_TYPE_PATTERN_LENGTH = 30;

/**
 * What a workload needs from an instance, for attribute-based instance type selection (ABS).
 * Every attribute is ANDed, the values of a list are ORed, ranges are inclusive. Omitted
 * attributes take AWS's defaults (listed per field).
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/autoscaling_group#instance_requirements
 */
export interface InstanceRequirementsProps {
  /** vCPUs per instance. */
  readonly vcpus: MinimumRange;
  /** Memory per instance in MiB (`gib(8)` is 8192). */
  readonly memoryMib: MinimumRange;
  /** Memory per vCPU in GiB, decimals allowed. @default - no limit */
  readonly memoryGibPerVcpu?: Range;
  /** CPU manufacturers (not the architecture: that comes from the AMI). @default - any */
  readonly cpuManufacturers?: readonly CpuManufacturer[];
  /** Instance generations. @default - current and previous */
  readonly instanceGenerations?: readonly InstanceGeneration[];
  /** Only these types may match; `*` globs, e.g. `m5.8xlarge`, `c5*.*`. Conflicts with excludedInstanceTypes. @default - all types */
  readonly allowedInstanceTypes?: readonly string[];
  /** These types never match; `*` globs. Conflicts with allowedInstanceTypes. @default - none */
  readonly excludedInstanceTypes?: readonly string[];
  /** Bare metal types. @default "excluded" */
  readonly bareMetal?: Inclusion;
  /** Burstable (T) types. @default "excluded" */
  readonly burstablePerformance?: Inclusion;
  /** Accelerators (GPUs, FPGAs, Inferentia) per instance; `{ max: 0 }` excludes them. @default - no limit */
  readonly acceleratorCount?: Range;
  /** Accelerator types. @default - any */
  readonly acceleratorTypes?: readonly AcceleratorType[];
  /** Accelerator manufacturers. @default - any */
  readonly acceleratorManufacturers?: readonly AcceleratorManufacturer[];
  /** Accelerator models. @default - any */
  readonly acceleratorNames?: readonly AcceleratorName[];
  /** Total accelerator memory per instance in MiB. @default - no limit */
  readonly acceleratorTotalMemoryMib?: Range;
  /** Types with instance store volumes. @default "included" */
  readonly localStorage?: Inclusion;
  /** Instance store kinds. @default - hdd and ssd */
  readonly localStorageTypes?: readonly LocalStorageType[];
  /** Total instance store per instance in GB, decimals allowed. @default - no limit */
  readonly totalLocalStorageGb?: Range;
  /** Baseline EBS bandwidth in Mbps. @default - no limit */
  readonly baselineEbsBandwidthMbps?: Range;
  /** Network bandwidth in Gbps, decimals allowed. @default - no limit */
  readonly networkBandwidthGbps?: Range;
  /** Network interfaces per instance. @default - no limit */
  readonly networkInterfaceCount?: Range;
  /** Only types that support On-Demand hibernation. @default false */
  readonly requireHibernateSupport?: boolean;
  /** On-Demand price protection: skip types priced more than this % above the cheapest M, C or R match. @default 20 */
  readonly onDemandMaxPricePercentageOverLowestPrice?: number;
  /** Spot price protection relative to the cheapest match; conflicts with maxSpotPriceAsPercentageOfOptimalOnDemandPrice. @default 100 */
  readonly spotMaxPricePercentageOverLowestPrice?: number;
  /** Spot price protection as a % of the optimal On-Demand price; conflicts with spotMaxPricePercentageOverLowestPrice. @default - spotMaxPricePercentageOverLowestPrice applies */
  readonly maxSpotPriceAsPercentageOfOptimalOnDemandPrice?: number;
}

/** `n` GiB in MiB, for memory ranges: `memoryMib: { min: gib(8) }`. */
export function gib(n: number): number {
  return n * 1024;
}

type RangeField =
  | 'vcpus'
  | 'memoryMib'
  | 'memoryGibPerVcpu'
  | 'acceleratorCount'
  | 'acceleratorTotalMemoryMib'
  | 'totalLocalStorageGb'
  | 'baselineEbsBandwidthMbps'
  | 'networkBandwidthGbps'
  | 'networkInterfaceCount';

/**
 * How the provider accepts each range: whole numbers from a lowest value, or decimals above 0.
 * accelerator_count.max takes 0 (exclude accelerators); its min starts at 1.
 */
const RANGE_RULES: Readonly<Record<RangeField, { readonly integer: boolean; readonly lowestMin: number; readonly lowestMax: number }>> = {
  vcpus: { integer: true, lowestMin: 1, lowestMax: 1 },
  memoryMib: { integer: true, lowestMin: 1, lowestMax: 1 },
  memoryGibPerVcpu: { integer: false, lowestMin: 0, lowestMax: 0 },
  acceleratorCount: { integer: true, lowestMin: 1, lowestMax: 0 },
  acceleratorTotalMemoryMib: { integer: true, lowestMin: 1, lowestMax: 1 },
  totalLocalStorageGb: { integer: false, lowestMin: 0, lowestMax: 0 },
  baselineEbsBandwidthMbps: { integer: true, lowestMin: 1, lowestMax: 1 },
  networkBandwidthGbps: { integer: false, lowestMin: 0, lowestMax: 0 },
  networkInterfaceCount: { integer: true, lowestMin: 1, lowestMax: 1 },
};

const resolved = (n: number | undefined): n is number => n !== undefined && !Token.isUnresolved(n);

function boundProblem(field: string, side: 'min' | 'max', value: number, integer: boolean, lowest: number): string | undefined {
  if (!Number.isFinite(value)) return `${field}.${side} is ${value}: expected a number`;
  if (integer && !Number.isInteger(value)) return `${field}.${side} is ${value}: expected a whole number`;
  if (integer && value < lowest) return `${field}.${side} is ${value}: expected at least ${lowest}${side === 'min' ? ' (omit min for no lower bound)' : ''}`;
  if (!integer && value <= 0) return `${field}.${side} is ${value}: expected a number greater than 0${side === 'min' ? ' (omit min for no lower bound)' : ''}`;
  return undefined;
}

function rangeFindings(prefix: string, name: RangeField, range: Range | undefined): Finding[] {
  if (range === undefined) return [];
  const field = `${prefix}.${name}`;
  const rule = RANGE_RULES[name];
  const out: Finding[] = [];
  if (range.min === undefined && range.max === undefined) {
    out.push(errorFinding(`${field} has neither min nor max: set at least one, or leave ${name} out`));
  }
  for (const side of ['min', 'max'] as const) {
    const value = range[side];
    if (!resolved(value)) continue;
    const problem = boundProblem(field, side, value, rule.integer, side === 'min' ? rule.lowestMin : rule.lowestMax);
    if (problem !== undefined) out.push(errorFinding(problem));
  }
  if (resolved(range.min) && resolved(range.max) && range.min > range.max) {
    out.push(errorFinding(`${field}.min (${range.min}) is greater than ${field}.max (${range.max}): nothing can match; lower min or raise max`));
  }
  return out;
}

function enumFindings(field: string, values: readonly string[] | undefined, accepted: readonly string[]): Finding[] {
  if (values === undefined || Token.isUnresolved(values)) return [];
  const out: Finding[] = [];
  if (values.length === 0) out.push(errorFinding(`${field} is empty: leave it out for AWS's default, or list at least one value`));
  for (const value of values) {
    if (!Token.isUnresolved(value) && !accepted.includes(value)) {
      out.push(errorFinding(`${field}: '${value}' is not accepted: expected one of ${accepted.join(', ')}`));
    }
  }
  return out;
}

function inclusionFindings(field: string, value: string | undefined): Finding[] {
  if (value === undefined || Token.isUnresolved(value) || (INCLUSIONS as readonly string[]).includes(value)) return [];
  return [errorFinding(`${field}: '${value}' is not accepted: expected one of ${INCLUSIONS.join(', ')}`)];
}

const PATTERN_CHARACTERS = /^[a-z0-9.*-]+$/;

/**
 * A glob matches far more than it looks like when its family part starts with `*`: `*3*`
 * matches every type with a 3 anywhere in its name (c3, m3, t3, r3, but also m7i.32xlarge...)
 * and `*large` every large size of every family. `*.metal` (any family, one exact size) is fine.
 */
function isBroadGlob(pattern: string): boolean {
  return /^\*[^.]/.test(pattern);
}

function patternFindings(field: string, patterns: readonly string[] | undefined, excluded: boolean): Finding[] {
  if (patterns === undefined || Token.isUnresolved(patterns)) return [];
  const out: Finding[] = [];
  if (patterns.length === 0) out.push(errorFinding(`${field} is empty: leave it out, or list at least one instance type or glob`));
  if (patterns.length > MAX_INSTANCE_TYPE_PATTERNS) {
    out.push(errorFinding(`${field} has ${patterns.length} entries: AWS accepts at most ${MAX_INSTANCE_TYPE_PATTERNS}; use globs such as 'c5*.*' to cover whole families`));
  }
  for (const pattern of patterns) {
    if (Token.isUnresolved(pattern)) continue;
    if (pattern.length > MAX_INSTANCE_TYPE_PATTERN_LENGTH) {
      out.push(errorFinding(`${field}: '${pattern}' is ${pattern.length} characters: AWS accepts at most ${MAX_INSTANCE_TYPE_PATTERN_LENGTH}`));
    } else if (!PATTERN_CHARACTERS.test(pattern)) {
      out.push(errorFinding(`${field}: '${pattern}' is not an instance type or glob: expected lower-case letters, digits, '.', '-' and '*', e.g. 'm5.large' or 'c5*.*'`));
    } else if (/^[*.]+$/.test(pattern)) {
      out.push(
        excluded
          ? errorFinding(`${field}: '${pattern}' excludes every instance type: nothing could ever match; remove it`)
          : warningFinding(`${field}: '${pattern}' allows every instance type, so it restricts nothing; remove it or name families, e.g. 'm7i.*'`),
      );
    } else if (isBroadGlob(pattern)) {
      out.push(
        warningFinding(
          `${field}: '${pattern}' starts with '*', so it matches its text anywhere in a type name, far more than it looks like (e.g. '*3*' matches c3, m3, t3 and m7i.32xlarge); anchor the family, e.g. 'c3*' or 'm3.*'`,
        ),
      );
    }
  }
  return out;
}

function percentFindings(field: string, value: number | undefined): Finding[] {
  if (!resolved(value)) return [];
  if (!Number.isInteger(value) || value < 1) {
    return [errorFinding(`${field} is ${value}: expected a whole percentage of at least 1 (999999 turns price protection off)`)];
  }
  return [];
}

function asksForAccelerators(p: InstanceRequirementsProps): boolean {
  return (
    (p.acceleratorCount?.min ?? 0) > 0 ||
    p.acceleratorTypes !== undefined ||
    p.acceleratorManufacturers !== undefined ||
    p.acceleratorNames !== undefined ||
    p.acceleratorTotalMemoryMib !== undefined
  );
}

/**
 * Every check of a requirement set as plain data: errors for what AWS or the provider would
 * refuse (or what can match nothing), warnings for legal but risky choices. `prefix` names the
 * property the set was given as, e.g. `requirements`.
 */
export function instanceRequirementsFindings(p: InstanceRequirementsProps, prefix = 'requirements'): Finding[] {
  const out: Finding[] = [];
  for (const [name, label] of [
    ['vcpus', 'a vCPU minimum'],
    ['memoryMib', 'a memory minimum in MiB'],
  ] as const) {
    const range = p[name] as MinimumRange | undefined;
    if (range === undefined || range.min === undefined) {
      out.push(errorFinding(`${prefix}.${name}.min is missing: ABS requires ${label} (use 1 for no lower bound)`));
    }
  }
  for (const name of Object.keys(RANGE_RULES) as RangeField[]) out.push(...rangeFindings(prefix, name, p[name]));

  out.push(...enumFindings(`${prefix}.cpuManufacturers`, p.cpuManufacturers, CPU_MANUFACTURERS));
  out.push(...enumFindings(`${prefix}.instanceGenerations`, p.instanceGenerations, INSTANCE_GENERATIONS));
  out.push(...enumFindings(`${prefix}.acceleratorTypes`, p.acceleratorTypes, ACCELERATOR_TYPES));
  out.push(...enumFindings(`${prefix}.acceleratorManufacturers`, p.acceleratorManufacturers, ACCELERATOR_MANUFACTURERS));
  out.push(...enumFindings(`${prefix}.acceleratorNames`, p.acceleratorNames, ACCELERATOR_NAMES));
  out.push(...enumFindings(`${prefix}.localStorageTypes`, p.localStorageTypes, LOCAL_STORAGE_TYPES));
  out.push(...inclusionFindings(`${prefix}.bareMetal`, p.bareMetal));
  out.push(...inclusionFindings(`${prefix}.burstablePerformance`, p.burstablePerformance));
  out.push(...inclusionFindings(`${prefix}.localStorage`, p.localStorage));

  if (p.allowedInstanceTypes !== undefined && p.excludedInstanceTypes !== undefined) {
    out.push(
      errorFinding(
        `${prefix}.allowedInstanceTypes and ${prefix}.excludedInstanceTypes are both set: AWS accepts only one; keep allowedInstanceTypes to list what may run, or excludedInstanceTypes to list what may not`,
      ),
    );
  }
  out.push(...patternFindings(`${prefix}.allowedInstanceTypes`, p.allowedInstanceTypes, false));
  out.push(...patternFindings(`${prefix}.excludedInstanceTypes`, p.excludedInstanceTypes, true));

  if (p.spotMaxPricePercentageOverLowestPrice !== undefined && p.maxSpotPriceAsPercentageOfOptimalOnDemandPrice !== undefined) {
    out.push(
      errorFinding(
        `${prefix}.spotMaxPricePercentageOverLowestPrice and ${prefix}.maxSpotPriceAsPercentageOfOptimalOnDemandPrice are both set: they are alternative spot price protections and AWS accepts one; keep the one you mean`,
      ),
    );
  }
  out.push(...percentFindings(`${prefix}.onDemandMaxPricePercentageOverLowestPrice`, p.onDemandMaxPricePercentageOverLowestPrice));
  out.push(...percentFindings(`${prefix}.spotMaxPricePercentageOverLowestPrice`, p.spotMaxPricePercentageOverLowestPrice));
  out.push(...percentFindings(`${prefix}.maxSpotPriceAsPercentageOfOptimalOnDemandPrice`, p.maxSpotPriceAsPercentageOfOptimalOnDemandPrice));

  // Contradictions that leave nothing to match.
  if (p.acceleratorCount?.max === 0 && asksForAccelerators({ ...p, acceleratorCount: undefined })) {
    out.push(errorFinding(`${prefix}.acceleratorCount.max is 0 but accelerator types, manufacturers, names or memory are set: nothing can match; drop acceleratorCount or the accelerator filters`));
  }
  if (p.localStorage === 'excluded' && (p.localStorageTypes !== undefined || p.totalLocalStorageGb !== undefined)) {
    out.push(errorFinding(`${prefix}.localStorage is 'excluded' but localStorageTypes or totalLocalStorageGb is set: nothing can match; set localStorage to 'required' or drop the storage filters`));
  }

  if (p.vcpus?.min !== undefined && p.vcpus.max === undefined) {
    out.push(warningFinding(`${prefix}.vcpus has no max: ABS may pick the largest matching types (100+ vCPUs) for one instance; set vcpus.max to bound the size and cost of an instance`));
  }
  if (p.memoryMib?.min !== undefined && p.memoryMib.max === undefined) {
    out.push(warningFinding(`${prefix}.memoryMib has no max: ABS may pick the largest matching types (terabytes of memory) for one instance; set memoryMib.max to bound the size and cost of an instance`));
  }
  if (p.acceleratorCount?.max !== 0 && !asksForAccelerators(p)) {
    out.push(warningFinding(`${prefix}: accelerators are not excluded although none is asked for: AWS includes GPU, FPGA and inference types by default, which cost far more; set acceleratorCount: { max: 0 }`));
  }
  return out;
}

function renderRange(range: Range | undefined): { min?: number; max?: number } | undefined {
  if (range === undefined) return undefined;
  return { ...(range.min !== undefined ? { min: range.min } : {}), ...(range.max !== undefined ? { max: range.max } : {}) };
}

function list<T extends string>(values: readonly T[] | undefined): T[] | undefined {
  return values === undefined ? undefined : [...values];
}

/**
 * A typed, validated-at-synth instance requirement set, shared by AbsLaunchTemplate,
 * AbsAutoScalingGroup and AbsEc2Fleet. Create with `InstanceRequirements.of({...})`.
 */
export class InstanceRequirements {
  /** A requirement set; it is checked when a construct uses it. */
  static of(props: InstanceRequirementsProps): InstanceRequirements {
    return new InstanceRequirements(props);
  }

  private constructor(readonly props: InstanceRequirementsProps) {}

  /** The checks of this set, with field names under `prefix`. */
  findings(prefix = 'requirements'): Finding[] {
    return instanceRequirementsFindings(this.props, prefix);
  }

  /** Whether instance types with accelerators are excluded (acceleratorCount.max is 0). */
  get excludesAccelerators(): boolean {
    return this.props.acceleratorCount?.max === 0;
  }

  /**
   * The provider's `instance_requirements` block (the same shape for aws_launch_template,
   * aws_autoscaling_group overrides and aws_ec2_fleet overrides); unset fields are left out so
   * AWS's defaults apply.
   */
  render(): LaunchTemplateInstanceRequirements {
    const p = this.props;
    const block: Record<string, unknown> = {
      vcpuCount: renderRange(p.vcpus),
      memoryMib: renderRange(p.memoryMib),
      memoryGibPerVcpu: renderRange(p.memoryGibPerVcpu),
      cpuManufacturers: list(p.cpuManufacturers),
      instanceGenerations: list(p.instanceGenerations),
      allowedInstanceTypes: list(p.allowedInstanceTypes),
      excludedInstanceTypes: list(p.excludedInstanceTypes),
      bareMetal: p.bareMetal,
      burstablePerformance: p.burstablePerformance,
      acceleratorCount: renderRange(p.acceleratorCount),
      acceleratorTypes: list(p.acceleratorTypes),
      acceleratorManufacturers: list(p.acceleratorManufacturers),
      acceleratorNames: list(p.acceleratorNames),
      acceleratorTotalMemoryMib: renderRange(p.acceleratorTotalMemoryMib),
      localStorage: p.localStorage,
      localStorageTypes: list(p.localStorageTypes),
      totalLocalStorageGb: renderRange(p.totalLocalStorageGb),
      baselineEbsBandwidthMbps: renderRange(p.baselineEbsBandwidthMbps),
      networkBandwidthGbps: renderRange(p.networkBandwidthGbps),
      networkInterfaceCount: renderRange(p.networkInterfaceCount),
      requireHibernateSupport: p.requireHibernateSupport,
      onDemandMaxPricePercentageOverLowestPrice: p.onDemandMaxPricePercentageOverLowestPrice,
      spotMaxPricePercentageOverLowestPrice: p.spotMaxPricePercentageOverLowestPrice,
      maxSpotPriceAsPercentageOfOptimalOnDemandPrice: p.maxSpotPriceAsPercentageOfOptimalOnDemandPrice,
    };
    for (const key of Object.keys(block)) if (block[key] === undefined) delete block[key];
    return block as unknown as LaunchTemplateInstanceRequirements;
  }
}
