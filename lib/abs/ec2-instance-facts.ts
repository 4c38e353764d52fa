import type { AcceleratorType, LocalStorageType } from './requirements-json';
import { familyOf, type AcceleratorInfo, type Architecture, type InstanceTypeInfo, type LocalStorageInfo, type UsageClass } from './instance-type-info';

/**
 * The parts of one `aws ec2 describe-instance-types` record (EC2 API `InstanceTypeInfo`) that the
 * catalogue keeps. Everything is optional because the API omits what does not apply.
 */
export interface Ec2InstanceTypeJson {
  readonly InstanceType?: string;
  readonly CurrentGeneration?: boolean;
  readonly BareMetal?: boolean;
  readonly BurstablePerformanceSupported?: boolean;
  readonly HibernationSupported?: boolean;
  readonly SupportedUsageClasses?: readonly string[];
  readonly VCpuInfo?: { readonly DefaultVCpus?: number };
  readonly MemoryInfo?: { readonly SizeInMiB?: number };
  readonly ProcessorInfo?: { readonly Manufacturer?: string; readonly SupportedArchitectures?: readonly string[] };
  readonly GpuInfo?: { readonly Gpus?: readonly Ec2DeviceJson[]; readonly TotalGpuMemoryInMiB?: number };
  readonly FpgaInfo?: { readonly Fpgas?: readonly Ec2DeviceJson[]; readonly TotalFpgaMemoryInMiB?: number };
  readonly InferenceAcceleratorInfo?: { readonly Accelerators?: readonly Ec2DeviceJson[]; readonly TotalInferenceMemoryInMiB?: number };
  readonly MediaAcceleratorInfo?: { readonly Accelerators?: readonly Ec2DeviceJson[]; readonly TotalMediaMemoryInMiB?: number };
  readonly NeuronInfo?: { readonly NeuronDevices?: readonly Ec2DeviceJson[]; readonly TotalNeuronDeviceMemoryInMiB?: number };
  readonly InstanceStorageInfo?: { readonly TotalSizeInGB?: number; readonly Disks?: readonly { readonly Type?: string }[] };
  readonly EbsInfo?: { readonly EbsOptimizedInfo?: { readonly BaselineBandwidthInMbps?: number } };
  readonly NetworkInfo?: {
    readonly NetworkPerformance?: string;
    readonly MaximumNetworkInterfaces?: number;
    readonly NetworkCards?: readonly { readonly BaselineBandwidthInGbps?: number }[];
  };
}

export interface Ec2DeviceJson {
  readonly Count?: number;
  readonly LogicalGpuCount?: number;
  readonly Manufacturer?: string;
  readonly Name?: string;
  readonly MemoryInfo?: { readonly SizeInMiB?: number };
}

/** An instance type's facts before regions and prices are attached. */
export type InstanceTypeFacts = Omit<InstanceTypeInfo, 'regions' | 'onDemandPrices'>;

/**
 * Trims one describe-instance-types record to what ABS looks at. Returns a problem string instead
 * when a field ABS cannot do without (name, vCPUs, memory) is missing.
 */
export function instanceTypeFacts(raw: Ec2InstanceTypeJson): InstanceTypeFacts | string {
  const name = raw.InstanceType;
  if (typeof name !== 'string' || name === '') return 'a record has no InstanceType';
  const vcpus = raw.VCpuInfo?.DefaultVCpus;
  const memoryMib = raw.MemoryInfo?.SizeInMiB;
  if (typeof vcpus !== 'number' || typeof memoryMib !== 'number') return `${name}: VCpuInfo.DefaultVCpus or MemoryInfo.SizeInMiB is missing`;
  const accelerators = acceleratorsOf(raw);
  const localStorage = localStorageOf(raw);
  const ebs = raw.EbsInfo?.EbsOptimizedInfo?.BaselineBandwidthInMbps;
  const network = baselineNetworkGbps(raw.NetworkInfo?.NetworkPerformance, raw.NetworkInfo?.NetworkCards);
  return {
    name,
    family: familyOf(name),
    vcpus,
    memoryMib,
    architectures: sortedUnique((raw.ProcessorInfo?.SupportedArchitectures ?? []) as Architecture[]),
    cpuManufacturer: cpuManufacturerOf(raw.ProcessorInfo?.Manufacturer),
    burstable: raw.BurstablePerformanceSupported === true,
    bareMetal: raw.BareMetal === true,
    currentGeneration: raw.CurrentGeneration === true,
    hibernationSupported: raw.HibernationSupported === true,
    ...(accelerators !== undefined ? { accelerators } : {}),
    ...(localStorage !== undefined ? { localStorage } : {}),
    ...(typeof ebs === 'number' ? { baselineEbsBandwidthMbps: ebs } : {}),
    ...(network !== undefined ? { networkBaselineGbps: network } : {}),
    maxNetworkInterfaces: raw.NetworkInfo?.MaximumNetworkInterfaces ?? 0,
    usageClasses: sortedUnique((raw.SupportedUsageClasses ?? []).filter((c): c is UsageClass => c === 'on-demand' || c === 'spot')),
  };
}

/** EC2's ProcessorInfo.Manufacturer in ABS's spelling (`cpu_manufacturers`). */
export function cpuManufacturerOf(manufacturer: string | undefined): string {
  switch (manufacturer) {
    case 'Intel':
      return 'intel';
    case 'AMD':
      return 'amd';
    case 'AWS':
    case 'Amazon Web Services':
      return 'amazon-web-services';
    case 'Apple':
      return 'apple';
    default:
      return slug(manufacturer ?? 'unknown');
  }
}

/** A device or manufacturer name in ABS's spelling: `Radeon Pro V520` → `radeon-pro-v520`, `NVIDIA` → `nvidia`. */
export function slug(text: string): string {
  const spelled = text.trim().toLowerCase();
  if (spelled === 'aws' || spelled === 'amazon web services') return 'amazon-web-services';
  return spelled.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * The instance's baseline network bandwidth in Gbps, which is what ABS's `network_bandwidth_gbps`
 * filters on. EC2 reports it two ways that disagree for some types: per network card
 * (`NetworkCards[].BaselineBandwidthInGbps`, summed here over the cards) and as the advertised
 * `NetworkPerformance` text. We take the per-card sum, but never more than a fixed advertised
 * figure (`"200 Gigabit"`, `"4x 100 Gigabit"`): c6in.32xlarge reports two cards of 200 for an
 * advertised 200 Gbps. "Up to N" and word ratings (`Moderate`) are burst ceilings, not baselines:
 * they neither cap the card sum nor replace it. Without card data a fixed figure is used as is;
 * otherwise the bandwidth is unknown (undefined) and fails any bound.
 */
export function baselineNetworkGbps(
  networkPerformance: string | undefined,
  cards: readonly { readonly BaselineBandwidthInGbps?: number }[] | undefined,
): number | undefined {
  const advertised = fixedAdvertisedGbps(networkPerformance);
  const perCard = (cards ?? []).map((card) => card.BaselineBandwidthInGbps);
  const cardSum = perCard.length > 0 && perCard.every((b): b is number => typeof b === 'number') ? perCard.reduce((a, b) => a + b, 0) : undefined;
  if (cardSum === undefined) return advertised;
  const value = advertised === undefined ? cardSum : Math.min(cardSum, advertised);
  return Math.round(value * 1000) / 1000;
}

/** `"25 Gigabit"` → 25, `"4x 100 Gigabit"` → 400; `"Up to 10 Gigabit"`, `"High"` → undefined. */
export function fixedAdvertisedGbps(networkPerformance: string | undefined): number | undefined {
  const match = /^(?:([0-9]+)x\s+)?([0-9]+(?:\.[0-9]+)?)\s+Gigabit$/i.exec((networkPerformance ?? '').trim());
  if (match === null) return undefined;
  return Number(match[2]) * (match[1] === undefined ? 1 : Number(match[1]));
}

interface DeviceGroup {
  readonly type: AcceleratorType;
  readonly devices: readonly Ec2DeviceJson[];
  readonly totalMemoryMib: number | undefined;
  readonly defaultManufacturer?: string;
}

/**
 * Accelerators from GpuInfo, FpgaInfo, InferenceAcceleratorInfo, MediaAcceleratorInfo and
 * NeuronInfo. NeuronInfo describes the same Inferentia chips as InferenceAcceleratorInfo on inf1
 * and inf2, so it is read only when InferenceAcceleratorInfo is absent (trn1, trn2); Trainium then
 * counts as `inference`, the only ABS accelerator type that fits an AWS ML chip, made by
 * `amazon-web-services`.
 */
function acceleratorsOf(raw: Ec2InstanceTypeJson): AcceleratorInfo | undefined {
  const groups: DeviceGroup[] = [];
  if (raw.GpuInfo) groups.push({ type: 'gpu', devices: raw.GpuInfo.Gpus ?? [], totalMemoryMib: raw.GpuInfo.TotalGpuMemoryInMiB });
  if (raw.FpgaInfo) groups.push({ type: 'fpga', devices: raw.FpgaInfo.Fpgas ?? [], totalMemoryMib: raw.FpgaInfo.TotalFpgaMemoryInMiB });
  if (raw.InferenceAcceleratorInfo) {
    groups.push({
      type: 'inference',
      devices: raw.InferenceAcceleratorInfo.Accelerators ?? [],
      totalMemoryMib: raw.InferenceAcceleratorInfo.TotalInferenceMemoryInMiB,
    });
  } else if (raw.NeuronInfo) {
    groups.push({
      type: 'inference',
      devices: raw.NeuronInfo.NeuronDevices ?? [],
      totalMemoryMib: raw.NeuronInfo.TotalNeuronDeviceMemoryInMiB,
      defaultManufacturer: 'AWS',
    });
  }
  if (raw.MediaAcceleratorInfo)
    groups.push({ type: 'media', devices: raw.MediaAcceleratorInfo.Accelerators ?? [], totalMemoryMib: raw.MediaAcceleratorInfo.TotalMediaMemoryInMiB });
  const present = groups.filter((g) => g.devices.length > 0);
  if (present.length === 0) return undefined;

  let count = 0;
  let totalMemoryMib = 0;
  const manufacturers: string[] = [];
  const names: string[] = [];
  for (const group of present) {
    let groupMemory = 0;
    for (const device of group.devices) {
      const devices = (device.Count ?? 0) > 0 ? (device.Count ?? 0) : (device.LogicalGpuCount ?? 0);
      count += devices;
      groupMemory += devices * (device.MemoryInfo?.SizeInMiB ?? 0);
      const manufacturer = device.Manufacturer ?? group.defaultManufacturer;
      if (manufacturer !== undefined) manufacturers.push(slug(manufacturer));
      if (device.Name !== undefined) names.push(slug(device.Name));
    }
    totalMemoryMib += group.totalMemoryMib ?? groupMemory;
  }
  return {
    count,
    types: sortedUnique(present.map((g) => g.type)),
    manufacturers: sortedUnique(manufacturers),
    names: sortedUnique(names),
    totalMemoryMib,
  };
}

function localStorageOf(raw: Ec2InstanceTypeJson): LocalStorageInfo | undefined {
  const info = raw.InstanceStorageInfo;
  if (info === undefined) return undefined;
  const diskTypes = (info.Disks ?? []).map((d) => d.Type).filter((t): t is LocalStorageType => t === 'hdd' || t === 'ssd');
  return { totalGb: info.TotalSizeInGB ?? 0, diskTypes: sortedUnique(diskTypes) };
}

function sortedUnique<T extends string>(items: readonly T[]): T[] {
  return [...new Set(items)].sort();
}
