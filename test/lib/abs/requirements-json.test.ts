import { UserError } from '../../../lib/errors';
import { readInstanceRequirements, type InstanceRequirementsJson } from '../../../lib/abs/requirements-json';

const MINIMAL: InstanceRequirementsJson = { vcpu_count: { min: 2 }, memory_mib: { min: 4096 } };

function problemsOf(json: unknown): readonly string[] {
  try {
    readInstanceRequirements(json as InstanceRequirementsJson);
  } catch (error) {
    if (error instanceof UserError) return error.problems;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('readInstanceRequirements', () => {
  test('GIVEN only vCPU and memory minimums WHEN read THEN AWS defaults fill the rest', () => {
    const read = readInstanceRequirements(MINIMAL);
    expect(read).toMatchObject({
      vcpuCount: { min: 2 },
      memoryMib: { min: 4096 },
      bareMetal: 'excluded',
      burstablePerformance: 'excluded',
      localStorage: 'included',
      instanceGenerations: ['current', 'previous'],
      localStorageTypes: ['hdd', 'ssd'],
      requireHibernateSupport: false,
      onDemandMaxPricePercentageOverLowestPrice: 20,
    });
    expect(read.acceleratorCount).toBeUndefined();
    expect(read.spotMaxPricePercentageOverLowestPrice).toBeUndefined();
  });

  test('GIVEN nested blocks as one-element arrays (hand-written Terraform JSON) WHEN read THEN they equal the object form cdktf emits', () => {
    const asArrays = readInstanceRequirements([
      { vcpu_count: [{ min: 2, max: 8 }], memory_mib: [{ min: 4096 }], accelerator_count: [{ max: 0 }] },
    ] as unknown as InstanceRequirementsJson);
    const asObjects = readInstanceRequirements({ vcpu_count: { min: 2, max: 8 }, memory_mib: { min: 4096 }, accelerator_count: { max: 0 } });
    expect(asArrays).toEqual(asObjects);
    expect(asObjects.acceleratorCount).toEqual({ max: 0 });
  });

  test('GIVEN numbers and booleans written as strings WHEN read THEN they are accepted', () => {
    const read = readInstanceRequirements({
      vcpu_count: { min: '2' },
      memory_mib: { min: '4096' },
      require_hibernate_support: 'true',
    } as unknown as InstanceRequirementsJson);
    expect(read.vcpuCount).toEqual({ min: 2 });
    expect(read.requireHibernateSupport).toBe(true);
  });

  test.each<[string, unknown, RegExp]>([
    ['vcpu_count missing', { memory_mib: { min: 1 } }, /vcpu_count\.min: required/],
    ['memory_mib missing', { vcpu_count: { min: 1 } }, /memory_mib\.min: required/],
    ['min above max', { ...MINIMAL, vcpu_count: { min: 8, max: 2 } }, /vcpu_count: min \(8\) is greater than max \(2\)/],
    ['negative bound', { ...MINIMAL, network_interface_count: { min: -1 } }, /network_interface_count\.min: expected a number >= 0/],
    ['wrong tri-state', { ...MINIMAL, bare_metal: 'maybe' }, /bare_metal: expected one of included, required, excluded, got 'maybe'/],
    ['wrong cpu manufacturer', { ...MINIMAL, cpu_manufacturers: ['Intel'] }, /cpu_manufacturers: 'Intel' not allowed/],
    ['wrong accelerator name', { ...MINIMAL, accelerator_names: ['h200'] }, /accelerator_names: 'h200' not allowed/],
    [
      'both allow and exclude lists',
      { ...MINIMAL, allowed_instance_types: ['m5.*'], excluded_instance_types: ['t3*'] },
      /allowed_instance_types and excluded_instance_types cannot both be set/,
    ],
    [
      'both Spot price protections',
      { ...MINIMAL, spot_max_price_percentage_over_lowest_price: 50, max_spot_price_as_percentage_of_optimal_on_demand_price: 80 },
      /cannot both be set/,
    ],
    ['a glob with a regex character', { ...MINIMAL, allowed_instance_types: ['m5?large'] }, /allowed_instance_types: 'm5\?large' not valid/],
    ['an unresolved token', { ...MINIMAL, vcpu_count: { min: '${var.cpus}' } }, /vcpu_count\.min: expected a number, got the unresolved token/],
    ['an attribute the preview does not know', { ...MINIMAL, baseline_performance_factors: {} }, /baseline_performance_factors: unknown attribute/],
    ['two blocks where one is allowed', { ...MINIMAL, memory_mib: [{ min: 1 }, { min: 2 }] }, /memory_mib: expected one block, got 2/],
    ['a fractional percentage', { ...MINIMAL, on_demand_max_price_percentage_over_lowest_price: 12.5 }, /expected a whole percentage/],
  ])('GIVEN %s WHEN read THEN a UserError names the attribute', (_case, json, expected) => {
    const problems = problemsOf(json);
    expect(problems.some((p) => expected.test(p))).toBe(true);
    expect(problems.every((p) => p.startsWith('instance_requirements'))).toBe(true);
  });

  test('GIVEN several mistakes WHEN read THEN every one is reported, one per line', () => {
    const problems = problemsOf({ vcpu_count: { min: 1 }, memory_mib: { min: 1 }, bare_metal: 'yes', local_storage: 'no' });
    expect(problems).toHaveLength(2);
  });

  test('GIVEN empty lists WHEN read THEN they mean "not set", as in Terraform', () => {
    const read = readInstanceRequirements({ ...MINIMAL, cpu_manufacturers: [], instance_generations: [] });
    expect(read.cpuManufacturers).toBeUndefined();
    expect(read.instanceGenerations).toEqual(['current', 'previous']);
  });
});
