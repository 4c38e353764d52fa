import { UserError } from '../errors';
import { isKnownRegion, unknownRegionProblem } from '../regions';
import { defaultCatalogue, type InstanceCatalogue } from './catalogue';
import { compareNames } from './catalogue-format';
import { instanceTypeGlobToRegExp } from './instance-type-glob';
import { ARCHITECTURES, familyOf, type Architecture, type InstanceTypeInfo } from './instance-type-info';
import { applyOnDemandPriceProtection } from './price-protection';
import { readInstanceRequirements, type Inclusion, type InstanceRequirements, type InstanceRequirementsJson, type Range } from './requirements-json';

export { globBreadth } from './instance-type-glob';

/** The purchase option the preview is for; it decides which price protection and usage class apply. */
export type PurchaseOption = 'on-demand' | 'spot';

export interface MatchOptions {
  /** Keep only types offered in this region, and apply price protection with its prices. @default - every region, no price protection */
  readonly region?: string;
  /** The launch template AMI's architecture(s), e.g. `['arm64']`. @default - any architecture */
  readonly architectures?: readonly Architecture[];
  /** @default 'on-demand' */
  readonly purchaseOption?: PurchaseOption;
  /** @default - the committed catalogue */
  readonly catalogue?: InstanceCatalogue;
}

export interface MatchResult {
  /** Matching instance type names, sorted. */
  readonly types: string[];
  /** Whether price protection was evaluated (it needs prices for the region). */
  readonly priceProtectionApplied: boolean;
  /** What the preview assumed or could not check, one line each. */
  readonly notes: string[];
}

/** One ABS attribute as a test on one instance type. */
interface Check {
  readonly attribute: string;
  readonly accepts: (t: InstanceTypeInfo) => boolean;
}

/**
 * Which instance types EC2 attribute-based instance type selection (ABS) would pick for an
 * `instance_requirements` block (Terraform JSON shape), according to the offline catalogue.
 *
 * Semantics, as AWS documents ABS: every attribute must hold (AND), a list attribute is satisfied
 * by any of its values (OR), ranges are inclusive with either bound optional, and omitted
 * attributes take AWS's defaults (bare metal and burstable types excluded, accelerators and local
 * storage included, both generations). Around that the preview filters by the AMI's architecture,
 * by the region's offerings and by the purchase option's usage class, then applies On-Demand price
 * protection where the catalogue has prices for the region (see price-protection.ts).
 *
 * Throws a UserError when the requirements are invalid or the region is not an AWS region.
 */
export function matchInstanceTypes(requirements: InstanceRequirementsJson | readonly InstanceRequirementsJson[], options: MatchOptions = {}): MatchResult {
  const read = readInstanceRequirements(requirements);
  const catalogue = options.catalogue ?? defaultCatalogue();
  const purchaseOption = options.purchaseOption ?? 'on-demand';
  const notes: string[] = [];
  const checks = [...attributeChecks(read), ...contextChecks(options, catalogue, notes)];
  const candidates = catalogue.types.filter((t) => checks.every((c) => c.accepts(t)));
  notes.push(...interpretationNotes(read));

  let kept: readonly InstanceTypeInfo[] = candidates;
  let priceProtectionApplied = false;
  const region = options.region;
  if (purchaseOption === 'spot') {
    notes.push('Spot price protection is not evaluated offline (the catalogue has no Spot prices): AWS may drop some of these types');
  } else if (region === undefined) {
    notes.push('no region given: offerings and On-Demand price protection not applied');
  } else if (!catalogue.pricedRegions.includes(region)) {
    notes.push(
      `the catalogue has no On-Demand prices for ${region}: price protection (${read.onDemandMaxPricePercentageOverLowestPrice}%) not applied, AWS may drop the most expensive of these types`,
    );
  } else {
    const outcome = applyOnDemandPriceProtection(candidates, region, read.onDemandMaxPricePercentageOverLowestPrice);
    kept = outcome.kept;
    priceProtectionApplied = outcome.applied;
    notes.push(...outcome.notes);
  }
  if (kept.length === 0) notes.push('no instance type in the catalogue matches these requirements');
  return { types: kept.map((t) => t.name).sort(compareNames), priceProtectionApplied, notes };
}

/**
 * Why one instance type is not picked: the names of the attributes (or `architecture`, `region`,
 * `usage class`) it fails, in the order they are checked. Empty when it passes them all (price
 * protection, which depends on the other matches, is not considered here). Throws a UserError for an
 * instance type the catalogue does not know.
 */
export function unmetRequirements(
  requirements: InstanceRequirementsJson | readonly InstanceRequirementsJson[],
  instanceType: string,
  options: MatchOptions = {},
): string[] {
  const read = readInstanceRequirements(requirements);
  const catalogue = options.catalogue ?? defaultCatalogue();
  const info = catalogue.byName.get(instanceType);
  if (info === undefined) throw new UserError(`unknown instance type '${instanceType}' (not in the catalogue of ${catalogue.dataDate})`);
  return [...attributeChecks(read), ...contextChecks(options, catalogue, [])].filter((c) => !c.accepts(info)).map((c) => c.attribute);
}

/** Instance type names grouped by family (`m7i` → [m7i.large, ...]); families and names sorted. */
export function groupByFamily(types: readonly string[]): Record<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const name of [...new Set(types)].sort(compareNames)) {
    const family = familyOf(name);
    groups.set(family, [...(groups.get(family) ?? []), name]);
  }
  return Object.fromEntries([...groups.entries()].sort(([a], [b]) => compareNames(a, b)));
}

function attributeChecks(r: InstanceRequirements): Check[] {
  const allowed = r.allowedInstanceTypes?.map(instanceTypeGlobToRegExp);
  const excluded = r.excludedInstanceTypes?.map(instanceTypeGlobToRegExp);
  const checks: Check[] = [
    { attribute: 'vcpu_count', accepts: (t) => inRange(t.vcpus, r.vcpuCount) },
    { attribute: 'memory_mib', accepts: (t) => inRange(t.memoryMib, r.memoryMib) },
    { attribute: 'instance_generations', accepts: (t) => r.instanceGenerations.includes(t.currentGeneration ? 'current' : 'previous') },
    { attribute: 'bare_metal', accepts: (t) => satisfies(r.bareMetal, t.bareMetal) },
    { attribute: 'burstable_performance', accepts: (t) => satisfies(r.burstablePerformance, t.burstable) },
    { attribute: 'local_storage', accepts: (t) => satisfies(r.localStorage, t.localStorage !== undefined) },
    // Storage type and size constrain the instance store where there is one; whether there must
    // be one is local_storage's business (its default, `included`, keeps EBS-only types).
    { attribute: 'local_storage_types', accepts: (t) => t.localStorage === undefined || t.localStorage.diskTypes.some((d) => r.localStorageTypes.includes(d)) },
    { attribute: 'network_interface_count', accepts: (t) => inRange(t.maxNetworkInterfaces, r.networkInterfaceCount) },
  ];
  const optional: (Check | false)[] = [
    r.memoryGibPerVcpu !== undefined && { attribute: 'memory_gib_per_vcpu', accepts: (t) => inRange(t.memoryMib / 1024 / t.vcpus, r.memoryGibPerVcpu) },
    r.cpuManufacturers !== undefined && {
      attribute: 'cpu_manufacturers',
      accepts: (t) => (r.cpuManufacturers as readonly string[]).includes(t.cpuManufacturer),
    },
    allowed !== undefined && { attribute: 'allowed_instance_types', accepts: (t) => allowed.some((glob) => glob.test(t.name)) },
    excluded !== undefined && { attribute: 'excluded_instance_types', accepts: (t) => !excluded.some((glob) => glob.test(t.name)) },
    // A type without accelerators has a count and a memory of 0: `accelerator_count.max = 0` keeps
    // exactly those, and any positive minimum drops them.
    r.acceleratorCount !== undefined && { attribute: 'accelerator_count', accepts: (t) => inRange(t.accelerators?.count ?? 0, r.acceleratorCount) },
    r.acceleratorTotalMemoryMib !== undefined && {
      attribute: 'accelerator_total_memory_mib',
      accepts: (t) => inRange(t.accelerators?.totalMemoryMib ?? 0, r.acceleratorTotalMemoryMib),
    },
    // The accelerator lists name what "must be on the instance type": no accelerator, no match.
    r.acceleratorTypes !== undefined && { attribute: 'accelerator_types', accepts: (t) => overlaps(t.accelerators?.types, r.acceleratorTypes) },
    r.acceleratorManufacturers !== undefined && {
      attribute: 'accelerator_manufacturers',
      accepts: (t) => overlaps(t.accelerators?.manufacturers, r.acceleratorManufacturers),
    },
    r.acceleratorNames !== undefined && { attribute: 'accelerator_names', accepts: (t) => overlaps(t.accelerators?.names, r.acceleratorNames) },
    r.totalLocalStorageGb !== undefined && {
      attribute: 'total_local_storage_gb',
      accepts: (t) => t.localStorage === undefined || inRange(t.localStorage.totalGb, r.totalLocalStorageGb),
    },
    // Unknown bandwidth cannot be shown to meet a bound, so it fails closed.
    r.baselineEbsBandwidthMbps !== undefined && {
      attribute: 'baseline_ebs_bandwidth_mbps',
      accepts: (t) => t.baselineEbsBandwidthMbps !== undefined && inRange(t.baselineEbsBandwidthMbps, r.baselineEbsBandwidthMbps),
    },
    r.networkBandwidthGbps !== undefined && {
      attribute: 'network_bandwidth_gbps',
      accepts: (t) => t.networkBaselineGbps !== undefined && inRange(t.networkBaselineGbps, r.networkBandwidthGbps),
    },
    r.requireHibernateSupport && { attribute: 'require_hibernate_support', accepts: (t) => t.hibernationSupported },
  ];
  return [...checks, ...optional.filter((c): c is Check => c !== false)];
}

/** Filters that come from where the requirements are used rather than from the block itself. */
function contextChecks(options: MatchOptions, catalogue: InstanceCatalogue, notes: string[]): Check[] {
  const checks: Check[] = [];
  const architectures = options.architectures;
  if (architectures !== undefined) {
    if (architectures.length === 0) throw new UserError('architectures is empty (give the AMI architecture, e.g. x86_64 or arm64, or leave it out for any)');
    const unknown = architectures.filter((a) => !ARCHITECTURES.includes(a));
    if (unknown.length > 0)
      throw new UserError(`unknown architecture ${unknown.map((a) => `'${a}'`).join(', ')} (expected any of ${ARCHITECTURES.join(', ')})`);
    checks.push({ attribute: 'architecture', accepts: (t) => t.architectures.some((a) => architectures.includes(a)) });
  }
  const purchaseOption = options.purchaseOption ?? 'on-demand';
  checks.push({ attribute: 'usage class', accepts: (t) => t.usageClasses.includes(purchaseOption) });
  const region = options.region;
  if (region !== undefined) {
    if (!isKnownRegion(region)) throw new UserError(unknownRegionProblem(region));
    if (catalogue.regions.includes(region)) {
      checks.push({ attribute: 'region', accepts: (t) => t.regions.includes(region) });
    } else {
      notes.push(`the catalogue has no offerings for ${region}: types are not filtered by region`);
    }
  }
  return checks;
}

function interpretationNotes(r: InstanceRequirements): string[] {
  const notes: string[] = [];
  if (r.localStorage === 'included' && (r.totalLocalStorageGb !== undefined || r.localStorageTypes.length < 2)) {
    notes.push(
      'local_storage is "included": EBS-only types are kept and total_local_storage_gb / local_storage_types only constrain types with an instance store; set local_storage = "required" to insist on one',
    );
  }
  return notes;
}

function inRange(value: number, range: Range | undefined): boolean {
  if (range === undefined) return true;
  // A relative tolerance so that e.g. 3.75 GiB per vCPU computed from MiB still meets min = 3.75.
  const slack = Math.abs(value) * 1e-9;
  if (range.min !== undefined && value + slack < range.min) return false;
  if (range.max !== undefined && value - slack > range.max) return false;
  return true;
}

function satisfies(inclusion: Inclusion, has: boolean): boolean {
  if (inclusion === 'required') return has;
  if (inclusion === 'excluded') return !has;
  return true;
}

function overlaps(have: readonly string[] | undefined, wanted: readonly string[] | undefined): boolean {
  return have !== undefined && wanted !== undefined && have.some((h) => wanted.includes(h));
}
