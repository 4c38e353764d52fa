import type { AcceleratorType, CpuManufacturer, LocalStorageType } from './requirements-json';

/** Processor architectures as EC2 reports them; an AMI has exactly one. */
export type Architecture = 'i386' | 'x86_64' | 'arm64' | 'x86_64_mac' | 'arm64_mac';
export const ARCHITECTURES: readonly Architecture[] = ['arm64', 'arm64_mac', 'i386', 'x86_64', 'x86_64_mac'];

/** The purchase options the catalogue tracks (EC2 also reports `capacity-block`, which ABS does not use). */
export type UsageClass = 'on-demand' | 'spot';

/** What an instance type offers, as far as attribute-based instance type selection looks at it. */
export interface InstanceTypeInfo {
  /** e.g. `m7i.large`. */
  readonly name: string;
  /** The part before the first dot, e.g. `m7i`, `u7in-16tb`, `mac2-m2`. */
  readonly family: string;
  readonly vcpus: number;
  readonly memoryMib: number;
  readonly architectures: readonly Architecture[];
  /** ABS spelling; an unknown manufacturer keeps EC2's name in lower case. */
  readonly cpuManufacturer: CpuManufacturer | string;
  readonly burstable: boolean;
  readonly bareMetal: boolean;
  readonly currentGeneration: boolean;
  readonly hibernationSupported: boolean;
  /** Undefined when the type has no accelerators. */
  readonly accelerators?: AcceleratorInfo;
  /** Undefined when the type has no instance store (EBS only). */
  readonly localStorage?: LocalStorageInfo;
  /** Undefined when EC2 reports no EBS-optimized baseline (old, non-EBS-optimized types). */
  readonly baselineEbsBandwidthMbps?: number;
  /** Baseline (not burst) network bandwidth of the whole instance; see `baselineNetworkGbps`. */
  readonly networkBaselineGbps?: number;
  readonly maxNetworkInterfaces: number;
  readonly usageClasses: readonly UsageClass[];
  /** Regions that offer the type, sorted; only regions the catalogue has offerings for. */
  readonly regions: readonly string[];
  /** On-Demand Linux USD per hour, by region, where known. */
  readonly onDemandPrices: Readonly<Record<string, number>>;
}

export interface AcceleratorInfo {
  /** Accelerator devices; a fractional GPU (e.g. g6f) counts as the one logical GPU it exposes. */
  readonly count: number;
  readonly types: readonly AcceleratorType[];
  /** ABS spelling (`nvidia`, `amazon-web-services`, ...), sorted. */
  readonly manufacturers: readonly string[];
  /** ABS spelling (`a10g`, `radeon-pro-v520`, `trainium2`, ...), sorted; names ABS has no value for are slugged the same way. */
  readonly names: readonly string[];
  readonly totalMemoryMib: number;
}

export interface LocalStorageInfo {
  readonly totalGb: number;
  readonly diskTypes: readonly LocalStorageType[];
}

/** The family of an instance type name: everything before the first dot. */
export function familyOf(instanceType: string): string {
  const dot = instanceType.indexOf('.');
  return dot < 0 ? instanceType : instanceType.slice(0, dot);
}
