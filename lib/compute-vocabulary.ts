/**
 * The vocabulary of compute settings, shared by the organisation config (lib/config.ts) and the
 * compute constructs (modules/compute): plain types and accepted values, no constructs.
 */

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

/** CPU architectures of the AMIs: one launch template each. */
export type CpuArchitecture = 'x86_64' | 'arm64';

/** Spot allocation strategies of an Auto Scaling group. */
export type SpotAllocationStrategy = 'price-capacity-optimized' | 'capacity-optimized' | 'capacity-optimized-prioritized' | 'lowest-price';

/** EC2 Fleet request types. */
export type FleetType = 'maintain' | 'request' | 'instant';

/** The unit of an EC2 Fleet's target capacity (vcpu and memory-mib need requirements). */
export type TargetCapacityUnitType = 'units' | 'vcpu' | 'memory-mib';

/** Spot allocation strategies of an EC2 Fleet (the provider spells lowest-price `lowestPrice`). */
export type FleetSpotAllocationStrategy = 'price-capacity-optimized' | 'capacity-optimized' | 'capacity-optimized-prioritized' | 'diversified' | 'lowest-price';
