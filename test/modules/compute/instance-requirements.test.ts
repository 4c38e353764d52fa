import { Lazy, Token } from 'cdktf';
import {
  ACCELERATOR_MANUFACTURERS,
  ACCELERATOR_NAMES,
  ACCELERATOR_TYPES,
  CPU_MANUFACTURERS,
  InstanceRequirements,
  gib,
  instanceRequirementsFindings,
  type InstanceRequirementsProps,
} from '../../../modules/compute/instance-requirements';
import { launchTemplate, onlyResource, synth } from './helpers';

/** A set that passes every check and raises no warning. */
const CLEAN: InstanceRequirementsProps = {
  vcpus: { min: 2, max: 8 },
  memoryMib: { min: gib(4), max: gib(32) },
  acceleratorCount: { max: 0 },
};

const errorsOf = (p: InstanceRequirementsProps): string[] =>
  instanceRequirementsFindings(p)
    .filter((f) => f.level === 'error')
    .map((f) => f.message);
const warningsOf = (p: InstanceRequirementsProps): string[] =>
  instanceRequirementsFindings(p)
    .filter((f) => f.level === 'warning')
    .map((f) => f.message);

describe('gib', () => {
  test('converts GiB to the MiB that memory ranges take', () => {
    expect(gib(1)).toBe(1024);
    expect(gib(0.5)).toBe(512);
    expect(gib(64)).toBe(65536);
  });
});

describe('InstanceRequirements validation', () => {
  test('GIVEN a complete, bounded set WHEN checked THEN there is no finding', () => {
    expect(instanceRequirementsFindings(CLEAN)).toEqual([]);
  });

  test.each([
    ['vcpus', { ...CLEAN, vcpus: undefined } as unknown as InstanceRequirementsProps, /requirements\.vcpus\.min is missing: ABS requires a vCPU minimum/],
    [
      'memoryMib',
      { ...CLEAN, memoryMib: { max: 1024 } } as unknown as InstanceRequirementsProps,
      /requirements\.memoryMib\.min is missing: ABS requires a memory minimum/,
    ],
  ])('GIVEN no %s minimum WHEN checked THEN it is an error', (_name, props, message) => {
    expect(errorsOf(props).join('\n')).toMatch(message);
  });

  test.each([
    ['vcpus', { vcpus: { min: 8, max: 4 } }],
    ['memoryMib', { memoryMib: { min: gib(16), max: gib(8) } }],
    ['memoryGibPerVcpu', { memoryGibPerVcpu: { min: 8, max: 4 } }],
    ['acceleratorCount', { acceleratorCount: { min: 4, max: 2 }, acceleratorTypes: ['gpu'] }],
    ['acceleratorTotalMemoryMib', { acceleratorCount: { min: 1 }, acceleratorTotalMemoryMib: { min: 2048, max: 1024 } }],
    ['totalLocalStorageGb', { totalLocalStorageGb: { min: 500, max: 100 } }],
    ['baselineEbsBandwidthMbps', { baselineEbsBandwidthMbps: { min: 10000, max: 1000 } }],
    ['networkBandwidthGbps', { networkBandwidthGbps: { min: 25, max: 10 } }],
    ['networkInterfaceCount', { networkInterfaceCount: { min: 4, max: 2 } }],
  ] as const)('GIVEN %s min > max WHEN checked THEN it is an error, and min <= max passes', (name, change) => {
    const failing = { ...CLEAN, ...change } as InstanceRequirementsProps;
    expect(errorsOf(failing)).toEqual([
      expect.stringMatching(new RegExp(`^requirements\\.${name}\\.min \\(.+\\) is greater than requirements\\.${name}\\.max`)),
    ]);
    const range = (change as Record<string, { min: number; max: number }>)[name];
    const passing = { ...failing, [name]: { min: range.max, max: range.min } } as InstanceRequirementsProps;
    expect(errorsOf(passing)).toEqual([]);
  });

  test('GIVEN min equal to max (an exact size) WHEN checked THEN it passes', () => {
    expect(errorsOf({ ...CLEAN, memoryGibPerVcpu: { min: 4, max: 4 } })).toEqual([]);
  });

  test.each([
    ['a vCPU minimum of 0', { ...CLEAN, vcpus: { min: 0, max: 4 } }, /requirements\.vcpus\.min is 0: expected at least 1/],
    ['a fractional vCPU count', { ...CLEAN, vcpus: { min: 1.5, max: 4 } }, /requirements\.vcpus\.min is 1\.5: expected a whole number/],
    ['a memory-per-vCPU of 0', { ...CLEAN, memoryGibPerVcpu: { min: 0 } }, /requirements\.memoryGibPerVcpu\.min is 0: expected a number greater than 0/],
    [
      'an accelerator minimum of 0',
      { ...CLEAN, acceleratorCount: { min: 0, max: 2 }, acceleratorTypes: ['gpu'] },
      /requirements\.acceleratorCount\.min is 0: expected at least 1/,
    ],
    ['an empty range', { ...CLEAN, networkInterfaceCount: {} }, /requirements\.networkInterfaceCount has neither min nor max/],
  ] as const)('GIVEN %s WHEN checked THEN it is an error', (_name, props, message) => {
    expect(errorsOf(props as InstanceRequirementsProps).join('\n')).toMatch(message);
  });

  test('GIVEN decimals where the provider takes them WHEN checked THEN they pass', () => {
    expect(errorsOf({ ...CLEAN, memoryGibPerVcpu: { min: 0.5, max: 2 }, networkBandwidthGbps: { min: 12.5 }, totalLocalStorageGb: { min: 0.5 } })).toEqual([]);
  });

  test('GIVEN allowed and excluded instance types WHEN checked THEN it is an error naming both', () => {
    expect(errorsOf({ ...CLEAN, allowedInstanceTypes: ['m7i.*'], excludedInstanceTypes: ['t2.*'] })).toEqual([
      expect.stringMatching(/requirements\.allowedInstanceTypes and requirements\.excludedInstanceTypes are both set: AWS accepts only one/),
    ]);
    expect(errorsOf({ ...CLEAN, allowedInstanceTypes: ['m7i.*'] })).toEqual([]);
    expect(errorsOf({ ...CLEAN, excludedInstanceTypes: ['t2.*'] })).toEqual([]);
  });

  test.each(['allowedInstanceTypes', 'excludedInstanceTypes'] as const)('GIVEN %s with 401 entries WHEN checked THEN it is an error; 400 pass', (field) => {
    const types = (n: number) => Array.from({ length: n }, (_, i) => `m${i}.large`);
    expect(errorsOf({ ...CLEAN, [field]: types(401) })).toEqual([
      expect.stringMatching(new RegExp(`requirements\\.${field} has 401 entries: AWS accepts at most 400`)),
    ]);
    expect(errorsOf({ ...CLEAN, [field]: types(400) })).toEqual([]);
  });

  test.each(['allowedInstanceTypes', 'excludedInstanceTypes'] as const)(
    'GIVEN a %s entry of 31 characters WHEN checked THEN it is an error; 30 pass',
    (field) => {
      const of = (n: number) => `m7i.${'x'.repeat(n - 4)}`;
      expect(of(31)).toHaveLength(31);
      expect(errorsOf({ ...CLEAN, [field]: [of(31)] })).toEqual([expect.stringMatching(/is 31 characters: AWS accepts at most 30/)]);
      expect(errorsOf({ ...CLEAN, [field]: [of(30)] })).toEqual([]);
    },
  );

  test.each([['M5.large'], ['m5 large'], ['c5?.xlarge']])('GIVEN the malformed pattern %p WHEN checked THEN it is an error', (pattern) => {
    expect(errorsOf({ ...CLEAN, allowedInstanceTypes: [pattern] })).toEqual([expect.stringMatching(/is not an instance type or glob/)]);
  });

  test('GIVEN an excluded "*" WHEN checked THEN it is an error (nothing could match)', () => {
    expect(errorsOf({ ...CLEAN, excludedInstanceTypes: ['*'] })).toEqual([expect.stringMatching(/excludes every instance type/)]);
  });

  test('GIVEN both spot price protections WHEN checked THEN it is an error naming both; each alone passes', () => {
    expect(errorsOf({ ...CLEAN, spotMaxPricePercentageOverLowestPrice: 50, maxSpotPriceAsPercentageOfOptimalOnDemandPrice: 60 })).toEqual([
      expect.stringMatching(
        /requirements\.spotMaxPricePercentageOverLowestPrice and requirements\.maxSpotPriceAsPercentageOfOptimalOnDemandPrice are both set/,
      ),
    ]);
    expect(errorsOf({ ...CLEAN, spotMaxPricePercentageOverLowestPrice: 50 })).toEqual([]);
    expect(errorsOf({ ...CLEAN, maxSpotPriceAsPercentageOfOptimalOnDemandPrice: 60 })).toEqual([]);
  });

  test.each([
    ['onDemandMaxPricePercentageOverLowestPrice', 0],
    ['spotMaxPricePercentageOverLowestPrice', 12.5],
    ['maxSpotPriceAsPercentageOfOptimalOnDemandPrice', -1],
  ] as const)('GIVEN %s = %p WHEN checked THEN it is an error', (field, value) => {
    expect(errorsOf({ ...CLEAN, [field]: value })).toEqual([
      expect.stringMatching(new RegExp(`requirements\\.${field} is ${value}: expected a whole percentage`)),
    ]);
  });

  test.each([
    ['cpuManufacturers', 'arm', CPU_MANUFACTURERS],
    ['instanceGenerations', 'next', ['current', 'previous']],
    ['acceleratorTypes', 'tpu', ACCELERATOR_TYPES],
    ['acceleratorManufacturers', 'intel', ACCELERATOR_MANUFACTURERS],
    ['acceleratorNames', 'h200', ACCELERATOR_NAMES],
    ['localStorageTypes', 'nvme', ['hdd', 'ssd']],
  ] as const)('GIVEN %s with %p WHEN checked THEN it is an error listing the accepted values; every accepted value passes', (field, bad, accepted) => {
    const withAccelerators = field.startsWith('accelerator') ? { acceleratorCount: { min: 1 } } : {};
    expect(errorsOf({ ...CLEAN, ...withAccelerators, [field]: [bad] })).toEqual([
      expect.stringMatching(new RegExp(`requirements\\.${field}: '${bad}' is not accepted: expected one of ${accepted.join(', ')}`)),
    ]);
    expect(errorsOf({ ...CLEAN, ...withAccelerators, [field]: [...accepted] })).toEqual([]);
  });

  test.each(['bareMetal', 'burstablePerformance', 'localStorage'] as const)(
    'GIVEN %s outside included/excluded/required WHEN checked THEN it is an error',
    (field) => {
      expect(errorsOf({ ...CLEAN, [field]: 'maybe' } as unknown as InstanceRequirementsProps)).toEqual([
        expect.stringMatching(new RegExp(`requirements\\.${field}: 'maybe' is not accepted`)),
      ]);
      for (const ok of ['included', 'excluded', 'required'] as const) expect(errorsOf({ ...CLEAN, [field]: ok })).toEqual([]);
    },
  );

  test('GIVEN accelerators excluded but accelerator filters set WHEN checked THEN it is an error (nothing can match)', () => {
    expect(errorsOf({ ...CLEAN, acceleratorTypes: ['gpu'] })).toEqual([expect.stringMatching(/acceleratorCount\.max is 0 but accelerator types/)]);
  });

  test('GIVEN local storage excluded but storage filters set WHEN checked THEN it is an error', () => {
    expect(errorsOf({ ...CLEAN, localStorage: 'excluded', localStorageTypes: ['ssd'] })).toEqual([
      expect.stringMatching(/localStorage is 'excluded' but localStorageTypes/),
    ]);
    expect(errorsOf({ ...CLEAN, localStorage: 'required', localStorageTypes: ['ssd'] })).toEqual([]);
  });

  test('GIVEN a prefix WHEN checked THEN messages name the property the set was given as', () => {
    expect(instanceRequirementsFindings({ ...CLEAN, vcpus: { min: 4, max: 2 } }, 'requirementsByArchitecture[1].requirements')[0].message).toMatch(
      /^requirementsByArchitecture\[1\]\.requirements\.vcpus\.min/,
    );
  });

  test('GIVEN unresolved tokens WHEN checked THEN the checks on them are skipped', () => {
    const token = Token.asNumber(Lazy.numberValue({ produce: () => 0 }));
    const tokens = Token.asList(Lazy.listValue({ produce: () => ['x'] }));
    expect(errorsOf({ ...CLEAN, vcpus: { min: 8, max: token }, memoryGibPerVcpu: { min: token }, excludedInstanceTypes: tokens })).toEqual([]);
  });
});

describe('InstanceRequirements warnings', () => {
  test('GIVEN no vCPU maximum WHEN checked THEN it warns; a maximum silences it', () => {
    expect(warningsOf({ ...CLEAN, vcpus: { min: 2 } })).toEqual([expect.stringMatching(/requirements\.vcpus has no max/)]);
    expect(warningsOf(CLEAN)).toEqual([]);
  });

  test('GIVEN no memory maximum WHEN checked THEN it warns; a maximum silences it', () => {
    expect(warningsOf({ ...CLEAN, memoryMib: { min: 1024 } })).toEqual([expect.stringMatching(/requirements\.memoryMib has no max/)]);
  });

  test('GIVEN accelerators neither asked for nor excluded WHEN checked THEN it warns', () => {
    expect(warningsOf({ ...CLEAN, acceleratorCount: undefined })).toEqual([
      expect.stringMatching(/accelerators are not excluded although none is asked for.*acceleratorCount: \{ max: 0 \}/),
    ]);
  });

  test.each([
    ['acceleratorCount.min', { acceleratorCount: { min: 1 } }],
    ['acceleratorTypes', { acceleratorCount: undefined, acceleratorTypes: ['gpu'] }],
    ['acceleratorNames', { acceleratorCount: undefined, acceleratorNames: ['t4'] }],
    ['acceleratorManufacturers', { acceleratorCount: undefined, acceleratorManufacturers: ['nvidia'] }],
    ['acceleratorTotalMemoryMib', { acceleratorCount: undefined, acceleratorTotalMemoryMib: { min: 16384 } }],
  ] as const)('GIVEN accelerators asked for through %s WHEN checked THEN it does not warn', (_name, change) => {
    expect(warningsOf({ ...CLEAN, ...change } as InstanceRequirementsProps)).toEqual([]);
  });

  test.each([['*3*'], ['*large'], ['*g.*']])('GIVEN the broad glob %p WHEN checked THEN it warns', (pattern) => {
    expect(warningsOf({ ...CLEAN, excludedInstanceTypes: [pattern] })).toEqual([
      expect.stringMatching(/starts with '\*', so it matches its text anywhere in a type name/),
    ]);
  });

  test.each([['c3*'], ['m5a.*'], ['*.metal'], ['r*'], ['m5.8xlarge']])('GIVEN the anchored glob %p WHEN checked THEN it does not warn', (pattern) => {
    expect(warningsOf({ ...CLEAN, allowedInstanceTypes: [pattern] })).toEqual([]);
  });
});

describe('InstanceRequirements rendering', () => {
  const EVERY_ATTRIBUTE: InstanceRequirementsProps = {
    vcpus: { min: 4, max: 16 },
    memoryMib: { min: gib(16), max: gib(64) },
    memoryGibPerVcpu: { min: 2, max: 8 },
    cpuManufacturers: ['intel', 'amd'],
    instanceGenerations: ['current'],
    excludedInstanceTypes: ['t2.*', 'm4.*'],
    bareMetal: 'included',
    burstablePerformance: 'excluded',
    acceleratorCount: { min: 1, max: 2 },
    acceleratorTypes: ['gpu'],
    acceleratorManufacturers: ['nvidia'],
    acceleratorNames: ['t4', 'a100'],
    acceleratorTotalMemoryMib: { min: 8192, max: 81920 },
    localStorage: 'required',
    localStorageTypes: ['ssd'],
    totalLocalStorageGb: { min: 100, max: 1000 },
    baselineEbsBandwidthMbps: { min: 1000, max: 20000 },
    networkBandwidthGbps: { min: 10, max: 100 },
    networkInterfaceCount: { min: 2, max: 8 },
    requireHibernateSupport: true,
    onDemandMaxPricePercentageOverLowestPrice: 30,
    spotMaxPricePercentageOverLowestPrice: 60,
  };

  test('GIVEN every attribute WHEN synthesized THEN each appears under its provider name', () => {
    const { json } = synth((stack) => launchTemplate(stack, { requirements: InstanceRequirements.of(EVERY_ATTRIBUTE) }));
    expect(onlyResource(json, 'aws_launch_template').instance_requirements).toEqual({
      vcpu_count: { min: 4, max: 16 },
      memory_mib: { min: 16384, max: 65536 },
      memory_gib_per_vcpu: { min: 2, max: 8 },
      cpu_manufacturers: ['intel', 'amd'],
      instance_generations: ['current'],
      excluded_instance_types: ['t2.*', 'm4.*'],
      bare_metal: 'included',
      burstable_performance: 'excluded',
      accelerator_count: { min: 1, max: 2 },
      accelerator_types: ['gpu'],
      accelerator_manufacturers: ['nvidia'],
      accelerator_names: ['t4', 'a100'],
      accelerator_total_memory_mib: { min: 8192, max: 81920 },
      local_storage: 'required',
      local_storage_types: ['ssd'],
      total_local_storage_gb: { min: 100, max: 1000 },
      baseline_ebs_bandwidth_mbps: { min: 1000, max: 20000 },
      network_bandwidth_gbps: { min: 10, max: 100 },
      network_interface_count: { min: 2, max: 8 },
      require_hibernate_support: true,
      on_demand_max_price_percentage_over_lowest_price: 30,
      spot_max_price_percentage_over_lowest_price: 60,
    });
  });

  test('GIVEN the alternative spot price protection and an allow list WHEN synthesized THEN they appear', () => {
    const { json } = synth((stack) =>
      launchTemplate(stack, {
        requirements: InstanceRequirements.of({ ...CLEAN, allowedInstanceTypes: ['m7i.*'], maxSpotPriceAsPercentageOfOptimalOnDemandPrice: 80 }),
      }),
    );
    const block = onlyResource(json, 'aws_launch_template').instance_requirements;
    expect(block.allowed_instance_types).toEqual(['m7i.*']);
    expect(block.max_spot_price_as_percentage_of_optimal_on_demand_price).toBe(80);
  });

  test('GIVEN only the required attributes WHEN synthesized THEN nothing else is set, so AWS defaults apply', () => {
    const { json } = synth((stack) => launchTemplate(stack, { requirements: InstanceRequirements.of({ vcpus: { min: 2 }, memoryMib: { min: 4096 } }) }));
    expect(onlyResource(json, 'aws_launch_template').instance_requirements).toEqual({ vcpu_count: { min: 2 }, memory_mib: { min: 4096 } });
  });

  test('excludesAccelerators tells whether accelerator types are excluded', () => {
    expect(InstanceRequirements.of(CLEAN).excludesAccelerators).toBe(true);
    expect(InstanceRequirements.of({ ...CLEAN, acceleratorCount: undefined }).excludesAccelerators).toBe(false);
  });
});
