import {
  baselineNetworkGbps,
  cpuManufacturerOf,
  fixedAdvertisedGbps,
  instanceTypeFacts,
  type Ec2InstanceTypeJson,
  type InstanceTypeFacts,
} from '../../../lib/abs/ec2-instance-facts';

const BASE: Ec2InstanceTypeJson = {
  InstanceType: 'x1.large',
  VCpuInfo: { DefaultVCpus: 2 },
  MemoryInfo: { SizeInMiB: 8192 },
  ProcessorInfo: { Manufacturer: 'Intel', SupportedArchitectures: ['x86_64'] },
  NetworkInfo: { NetworkPerformance: 'Up to 12.5 Gigabit', MaximumNetworkInterfaces: 3, NetworkCards: [{ BaselineBandwidthInGbps: 0.781 }] },
  SupportedUsageClasses: ['capacity-block', 'on-demand', 'spot'],
};

function facts(raw: Ec2InstanceTypeJson): InstanceTypeFacts {
  const result = instanceTypeFacts(raw);
  if (typeof result === 'string') throw new Error(result);
  return result;
}

describe('instanceTypeFacts', () => {
  test.each([
    ['Intel', 'intel'],
    ['AMD', 'amd'],
    ['AWS', 'amazon-web-services'],
    ['Apple', 'apple'],
  ])('GIVEN ProcessorInfo.Manufacturer %s WHEN trimmed THEN ABS spells it %s', (ec2, abs) => {
    expect(cpuManufacturerOf(ec2)).toBe(abs);
  });

  test('GIVEN a plain record WHEN trimmed THEN it keeps ABS facts and drops capacity-block', () => {
    expect(facts(BASE)).toEqual({
      name: 'x1.large',
      family: 'x1',
      vcpus: 2,
      memoryMib: 8192,
      architectures: ['x86_64'],
      cpuManufacturer: 'intel',
      burstable: false,
      bareMetal: false,
      currentGeneration: false,
      hibernationSupported: false,
      networkBaselineGbps: 0.781,
      maxNetworkInterfaces: 3,
      usageClasses: ['on-demand', 'spot'],
    });
  });

  test('GIVEN a record without vCPUs WHEN trimmed THEN a problem is returned instead', () => {
    expect(instanceTypeFacts({ InstanceType: 'odd.large', MemoryInfo: { SizeInMiB: 1 } })).toMatch(/odd\.large: VCpuInfo\.DefaultVCpus/);
  });

  test('GIVEN p4d-like GPUs WHEN trimmed THEN count, type, manufacturer, name and memory are ABS-shaped', () => {
    const p4d = facts({
      ...BASE,
      GpuInfo: { Gpus: [{ Count: 8, Manufacturer: 'NVIDIA', Name: 'A100', MemoryInfo: { SizeInMiB: 40960 } }], TotalGpuMemoryInMiB: 327680 },
    });
    expect(p4d.accelerators).toEqual({ count: 8, types: ['gpu'], manufacturers: ['nvidia'], names: ['a100'], totalMemoryMib: 327680 });
  });

  test('GIVEN a fractional GPU (g6f: Count 0, one logical GPU) WHEN trimmed THEN it counts as one accelerator', () => {
    const g6f = facts({
      ...BASE,
      GpuInfo: { Gpus: [{ Count: 0, LogicalGpuCount: 1, Manufacturer: 'NVIDIA', Name: 'L4', MemoryInfo: { SizeInMiB: 2861 } }], TotalGpuMemoryInMiB: 2861 },
    });
    expect(g6f.accelerators?.count).toBe(1);
  });

  test('GIVEN inf1 (the same chips in InferenceAcceleratorInfo and NeuronInfo) WHEN trimmed THEN they are counted once', () => {
    const device = { Count: 16, Manufacturer: 'AWS', Name: 'Inferentia', MemoryInfo: { SizeInMiB: 8192 } };
    const inf1 = facts({
      ...BASE,
      InferenceAcceleratorInfo: { Accelerators: [device], TotalInferenceMemoryInMiB: 131072 },
      NeuronInfo: { NeuronDevices: [{ Count: 16, Name: 'Inferentia', MemoryInfo: { SizeInMiB: 8192 } }], TotalNeuronDeviceMemoryInMiB: 131072 },
    });
    expect(inf1.accelerators).toEqual({
      count: 16,
      types: ['inference'],
      manufacturers: ['amazon-web-services'],
      names: ['inferentia'],
      totalMemoryMib: 131072,
    });
  });

  test('GIVEN trn1 (NeuronInfo only, no manufacturer) WHEN trimmed THEN Trainium is an AWS inference accelerator', () => {
    const trn1 = facts({
      ...BASE,
      NeuronInfo: { NeuronDevices: [{ Count: 1, Name: 'Trainium', MemoryInfo: { SizeInMiB: 32768 } }], TotalNeuronDeviceMemoryInMiB: 32768 },
    });
    expect(trn1.accelerators).toEqual({ count: 1, types: ['inference'], manufacturers: ['amazon-web-services'], names: ['trainium'], totalMemoryMib: 32768 });
  });

  test('GIVEN an AMD Radeon GPU WHEN trimmed THEN its name is slugged as ABS spells it', () => {
    const g4ad = facts({ ...BASE, GpuInfo: { Gpus: [{ Count: 1, Manufacturer: 'AMD', Name: 'Radeon Pro V520', MemoryInfo: { SizeInMiB: 8192 } }] } });
    expect(g4ad.accelerators?.names).toEqual(['radeon-pro-v520']);
    expect(g4ad.accelerators?.totalMemoryMib).toBe(8192);
  });

  test('GIVEN an instance store WHEN trimmed THEN total GB and disk types are kept', () => {
    const d3 = facts({
      ...BASE,
      InstanceStorageInfo: { TotalSizeInGB: 5940, Disks: [{ Type: 'hdd' }] },
      EbsInfo: { EbsOptimizedInfo: { BaselineBandwidthInMbps: 850 } },
    });
    expect(d3.localStorage).toEqual({ totalGb: 5940, diskTypes: ['hdd'] });
    expect(d3.baselineEbsBandwidthMbps).toBe(850);
  });
});

describe('baseline network bandwidth', () => {
  test.each<[string, string, number[] | undefined, number | undefined]>([
    ['burstable network: the card baseline, not the "up to" ceiling', 'Up to 10 Gigabit', [0.75], 0.75],
    ['fixed figure agreeing with the card', '25 Gigabit', [25], 25],
    ['several cards summed (p4d)', '4x 100 Gigabit', [100, 100, 100, 100], 400],
    ['cards summing above the advertised figure (c6in.32xlarge)', '200 Gigabit', [200, 200], 200],
    ['a card baseline below the advertised figure (c3.8xlarge)', '10 Gigabit', [5], 5],
    ['a word rating: the card baseline', 'Moderate', [0.3], 0.3],
    ['no card data but a fixed figure', '50 Gigabit', undefined, 50],
    ['no card data and only a ceiling: unknown', 'Up to 5 Gigabit', undefined, undefined],
  ])('GIVEN %s WHEN derived THEN it is %s', (_case, performance, cards, expected) => {
    expect(
      baselineNetworkGbps(
        performance,
        cards?.map((b) => ({ BaselineBandwidthInGbps: b })),
      ),
    ).toBe(expected);
  });

  test.each([
    ['16x 200 Gigabit', 3200],
    ['12.5 Gigabit', 12.5],
    ['Up to 25 Gigabit', undefined],
    ['High', undefined],
  ])('GIVEN NetworkPerformance %s WHEN read as a fixed figure THEN it is %s', (text, gbps) => {
    expect(fixedAdvertisedGbps(text)).toBe(gbps);
  });
});
