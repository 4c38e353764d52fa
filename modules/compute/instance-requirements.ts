import { Token } from 'cdktf';
import type { LaunchTemplateInstanceRequirements } from '@cdktf/provider-aws/lib/launch-template';
import { errorFinding, warningFinding, type Finding } from './findings';

export {
  ACCELERATOR_MANUFACTURERS,
  ACCELERATOR_NAMES,
  ACCELERATOR_TYPES,
  CPU_MANUFACTURERS,
  INCLUSIONS,
  INSTANCE_GENERATIONS,
  LOCAL_STORAGE_TYPES,
  MAX_INSTANCE_TYPE_PATTERNS,
  MAX_INSTANCE_TYPE_PATTERN_LENGTH,
  gib,
} from '../../lib/compute-vocabulary';
export type {
  AcceleratorManufacturer,
  AcceleratorName,
  AcceleratorType,
  CpuManufacturer,
  Inclusion,
  InstanceGeneration,
  InstanceRequirementsProps,
  LocalStorageType,
  MinimumRange,
  Range,
} from '../../lib/compute-vocabulary';
import {
  ACCELERATOR_MANUFACTURERS,
  ACCELERATOR_NAMES,
  ACCELERATOR_TYPES,
  CPU_MANUFACTURERS,
  INCLUSIONS,
  INSTANCE_GENERATIONS,
  LOCAL_STORAGE_TYPES,
  MAX_INSTANCE_TYPE_PATTERNS,
  MAX_INSTANCE_TYPE_PATTERN_LENGTH,
  type InstanceRequirementsProps,
  type MinimumRange,
  type Range,
} from '../../lib/compute-vocabulary';

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
    out.push(
      errorFinding(
        `${field} has ${patterns.length} entries: AWS accepts at most ${MAX_INSTANCE_TYPE_PATTERNS}; use globs such as 'c5*.*' to cover whole families`,
      ),
    );
  }
  for (const pattern of patterns) {
    if (Token.isUnresolved(pattern)) continue;
    if (pattern.length > MAX_INSTANCE_TYPE_PATTERN_LENGTH) {
      out.push(errorFinding(`${field}: '${pattern}' is ${pattern.length} characters: AWS accepts at most ${MAX_INSTANCE_TYPE_PATTERN_LENGTH}`));
    } else if (!PATTERN_CHARACTERS.test(pattern)) {
      out.push(
        errorFinding(
          `${field}: '${pattern}' is not an instance type or glob: expected lower-case letters, digits, '.', '-' and '*', e.g. 'm5.large' or 'c5*.*'`,
        ),
      );
    } else if (/^[*.]+$/.test(pattern)) {
      out.push(
        excluded
          ? errorFinding(`${field}: '${pattern}' excludes every instance type: nothing could ever match; remove it`)
          : warningFinding('MR-ABS-5', `${field}: '${pattern}' allows every instance type, so it restricts nothing; remove it or name families, e.g. 'm7i.*'`),
      );
    } else if (isBroadGlob(pattern)) {
      out.push(
        warningFinding(
          'MR-ABS-4',
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
    out.push(
      errorFinding(
        `${prefix}.acceleratorCount.max is 0 but accelerator types, manufacturers, names or memory are set: nothing can match; drop acceleratorCount or the accelerator filters`,
      ),
    );
  }
  if (p.localStorage === 'excluded' && (p.localStorageTypes !== undefined || p.totalLocalStorageGb !== undefined)) {
    out.push(
      errorFinding(
        `${prefix}.localStorage is 'excluded' but localStorageTypes or totalLocalStorageGb is set: nothing can match; set localStorage to 'required' or drop the storage filters`,
      ),
    );
  }

  if (p.vcpus?.min !== undefined && p.vcpus.max === undefined) {
    out.push(
      warningFinding(
        'MR-ABS-1',
        `${prefix}.vcpus has no max: ABS may pick the largest matching types (100+ vCPUs) for one instance; set vcpus.max to bound the size and cost of an instance`,
      ),
    );
  }
  if (p.memoryMib?.min !== undefined && p.memoryMib.max === undefined) {
    out.push(
      warningFinding(
        'MR-ABS-2',
        `${prefix}.memoryMib has no max: ABS may pick the largest matching types (terabytes of memory) for one instance; set memoryMib.max to bound the size and cost of an instance`,
      ),
    );
  }
  if (p.acceleratorCount?.max !== 0 && !asksForAccelerators(p)) {
    out.push(
      warningFinding(
        'MR-ABS-3',
        `${prefix}: accelerators are not excluded although none is asked for: AWS includes GPU, FPGA and inference types by default, which cost far more; set acceleratorCount: { max: 0 }`,
      ),
    );
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
