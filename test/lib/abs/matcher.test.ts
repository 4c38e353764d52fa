import { UserError } from '../../../lib/errors';
import { groupByFamily, matchInstanceTypes, unmetRequirements, type MatchOptions } from '../../../lib/abs/matcher';
import type { InstanceRequirementsJson } from '../../../lib/abs/requirements-json';

// Hand-checked against the shared EC2 data (2026-08-22) that the committed catalogue is built from.

/** Any size: the only two attributes Terraform requires, at their loosest. */
const ANY_SIZE: InstanceRequirementsJson = { vcpu_count: { min: 0 }, memory_mib: { min: 0 } };
const only = (...globs: string[]): InstanceRequirementsJson => ({ ...ANY_SIZE, allowed_instance_types: globs });

/** The seed article's memory-intensive Java workload (4 GiB per vCPU, no accelerators). */
const SEED_JAVA: InstanceRequirementsJson = {
  memory_mib: { min: 4096, max: 32768 },
  vcpu_count: { min: 2 },
  memory_gib_per_vcpu: { min: 4, max: 4 },
  accelerator_count: { max: 0 },
};

/** 4 vCPUs and exactly 16 GiB: general-purpose types and six accelerated ones. */
const FOUR_BY_SIXTEEN: InstanceRequirementsJson = { vcpu_count: { min: 4, max: 4 }, memory_mib: { min: 16384, max: 16384 } };
const ACCELERATED_4X16 = ['g4ad.xlarge', 'g4dn.xlarge', 'g5.xlarge', 'g6.xlarge', 'g6f.xlarge', 'inf2.xlarge'];

describe('matchInstanceTypes', () => {
  describe('memory per vCPU (the seed article)', () => {
    test('GIVEN the seed requirement WHEN matched everywhere THEN every type has exactly 4 GiB per vCPU and no accelerator', () => {
      const { types } = matchInstanceTypes(SEED_JAVA);
      expect(types).toHaveLength(113);
      expect(types).toEqual(expect.arrayContaining(['m5.large', 'm7g.xlarge', 'm7i.2xlarge', 'm6a.2xlarge', 'm5.2xlarge']));
      // r (8 GiB/vCPU), c (2 GiB/vCPU), m5.16xlarge (too much memory) and t3 (burstable) stay out.
      expect(types.filter((t) => /^(r5|c5|t3)\./.test(t) || t === 'm5.16xlarge')).toEqual([]);
    });

    test('GIVEN the seed requirement in us-east-1 on x86_64 WHEN matched THEN On-Demand price protection leaves the nine 2-vCPU types within 20% of m5a.large', () => {
      const result = matchInstanceTypes(SEED_JAVA, { region: 'us-east-1', architectures: ['x86_64'] });
      expect(result.priceProtectionApplied).toBe(true);
      expect(result.types).toEqual([
        'm4.large',
        'm5.large',
        'm5a.large',
        'm5ad.large',
        'm6a.large',
        'm6i.large',
        'm7i-flex.large',
        'm7i.large',
        'm8i-flex.large',
      ]);
      expect(result.notes.join('\n')).toMatch(/reference m5a\.large at \$0\.086\/h .* limit \$0\.1032\/h, 71 type\(s\) excluded/);
    });

    test('GIVEN 3.75 GiB per vCPU (m3/c4-era ratios) WHEN matched THEN a ratio computed from MiB meets the bound exactly', () => {
      const { types } = matchInstanceTypes({ ...ANY_SIZE, memory_gib_per_vcpu: { min: 3.75, max: 3.75 } });
      expect(types).toEqual(expect.arrayContaining(['m3.medium', 'm3.large']));
      expect(types).not.toContain('m5.large');
    });
  });

  describe('globs', () => {
    test('GIVEN allowed m5.* WHEN matched THEN the eight m5 sizes (m5.metal is bare metal, excluded by default)', () => {
      expect(matchInstanceTypes(only('m5.*')).types).toEqual([
        'm5.12xlarge',
        'm5.16xlarge',
        'm5.24xlarge',
        'm5.2xlarge',
        'm5.4xlarge',
        'm5.8xlarge',
        'm5.large',
        'm5.xlarge',
      ]);
    });

    test('GIVEN allowed m5* WHEN matched THEN m5d, m5zn and friends come in too', () => {
      const { types } = matchInstanceTypes(only('m5*'));
      expect(types).toEqual(expect.arrayContaining(['m5.large', 'm5d.large', 'm5a.large', 'm5zn.large', 'm5dn.large']));
    });

    test('GIVEN excluded *3* WHEN matched with the seed requirement THEN no name holding a 3 survives', () => {
      const { types } = matchInstanceTypes({ ...SEED_JAVA, excluded_instance_types: ['*3*'] });
      expect(types.length).toBeGreaterThan(0);
      expect(types.filter((t) => t.includes('3'))).toEqual([]);
      expect(types).toContain('m5.large');
    });
  });

  describe('accelerators', () => {
    test('GIVEN no accelerator attribute WHEN matched THEN accelerated types are included (AWS default)', () => {
      expect(matchInstanceTypes(FOUR_BY_SIXTEEN).types).toEqual(expect.arrayContaining(ACCELERATED_4X16));
    });

    test('GIVEN accelerator_count max 0 WHEN matched THEN no accelerated type is left, the fractional-GPU g6f included', () => {
      const { types } = matchInstanceTypes({ ...FOUR_BY_SIXTEEN, accelerator_count: { max: 0 } });
      expect(types.filter((t) => ACCELERATED_4X16.includes(t))).toEqual([]);
      expect(types).toContain('m5.xlarge');
    });

    test.each<[string, InstanceRequirementsJson, string[]]>([
      ['accelerator_types gpu', { ...FOUR_BY_SIXTEEN, accelerator_types: ['gpu'] }, ['g4ad.xlarge', 'g4dn.xlarge', 'g5.xlarge', 'g6.xlarge', 'g6f.xlarge']],
      ['accelerator_types inference', { ...FOUR_BY_SIXTEEN, accelerator_types: ['inference'] }, ['inf2.xlarge']],
      ['accelerator_manufacturers amd', { ...FOUR_BY_SIXTEEN, accelerator_manufacturers: ['amd'] }, ['g4ad.xlarge']],
      ['accelerator_names t4', { ...FOUR_BY_SIXTEEN, accelerator_names: ['t4'] }, ['g4dn.xlarge']],
      ['accelerator_names a100 at any size', { ...ANY_SIZE, accelerator_names: ['a100'] }, ['p4d.24xlarge', 'p4de.24xlarge']],
      [
        'accelerator_manufacturers xilinx at any size',
        { ...ANY_SIZE, accelerator_manufacturers: ['xilinx'] },
        ['f2.12xlarge', 'f2.48xlarge', 'f2.6xlarge', 'vt1.24xlarge', 'vt1.3xlarge', 'vt1.6xlarge'],
      ],
      ['accelerator_total_memory_mib at least 24 GiB', { ...FOUR_BY_SIXTEEN, accelerator_total_memory_mib: { min: 24576 } }, ['inf2.xlarge']],
    ])('GIVEN %s WHEN matched THEN only the types carrying it', (_case, requirements, expected) => {
      expect(matchInstanceTypes(requirements).types).toEqual(expected);
    });
  });

  describe('bare metal and burstable tri-states', () => {
    const A1 = ['a1.2xlarge', 'a1.4xlarge', 'a1.large', 'a1.medium', 'a1.xlarge'];
    const T3 = ['t3.2xlarge', 't3.large', 't3.medium', 't3.micro', 't3.nano', 't3.small', 't3.xlarge'];
    test.each<[string, InstanceRequirementsJson, string[]]>([
      ['bare_metal omitted (excluded by default)', only('a1.*'), A1],
      ['bare_metal excluded', { ...only('a1.*'), bare_metal: 'excluded' }, A1],
      ['bare_metal included', { ...only('a1.*'), bare_metal: 'included' }, [...A1, 'a1.metal'].sort()],
      ['bare_metal required', { ...only('a1.*'), bare_metal: 'required' }, ['a1.metal']],
      ['burstable_performance omitted (excluded by default)', only('t3.*', 'm5.large'), ['m5.large']],
      ['burstable_performance included', { ...only('t3.*', 'm5.large'), burstable_performance: 'included' }, ['m5.large', ...T3]],
      ['burstable_performance required', { ...only('t3.*', 'm5.large'), burstable_performance: 'required' }, T3],
    ])('GIVEN %s WHEN matched THEN %j', (_case, requirements, expected) => {
      expect(matchInstanceTypes(requirements).types).toEqual(expected);
    });
  });

  describe('generations', () => {
    test.each<[string[] | undefined, string[]]>([
      [undefined, ['m4.large', 'm7i.large']],
      [['current'], ['m7i.large']],
      [['previous'], ['m4.large']],
    ])('GIVEN instance_generations %j WHEN matched THEN %j', (generations, expected) => {
      const requirements = { ...only('m4.large', 'm7i.large'), ...(generations ? { instance_generations: generations } : {}) };
      expect(matchInstanceTypes(requirements).types).toEqual(expected);
    });
  });

  describe('context: architecture, region, purchase option', () => {
    test.each<[('x86_64' | 'arm64')[] | undefined, string[]]>([
      [undefined, ['m7g.large', 'm7i.large']],
      [['arm64'], ['m7g.large']],
      [['x86_64'], ['m7i.large']],
      [
        ['x86_64', 'arm64'],
        ['m7g.large', 'm7i.large'],
      ],
    ])('GIVEN an AMI for %j WHEN matched THEN %j', (architectures, expected) => {
      expect(matchInstanceTypes(only('m7g.large', 'm7i.large'), { architectures }).types).toEqual(expected);
    });

    test.each<[string, MatchOptions, RegExp]>([
      ['an empty architecture list', { architectures: [] }, /architectures is empty/],
      ['an unknown architecture', { architectures: ['amd64' as 'x86_64'] }, /unknown architecture 'amd64'/],
    ])('GIVEN %s WHEN matched THEN a UserError', (_case, options, expected) => {
      expect(() => matchInstanceTypes(ANY_SIZE, options)).toThrow(expected);
    });

    test('GIVEN trn1.2xlarge, offered in us-east-1 but not eu-west-1 WHEN matched per region THEN the offerings decide', () => {
      expect(matchInstanceTypes(only('trn1.2xlarge'), { region: 'us-east-1' }).types).toEqual(['trn1.2xlarge']);
      expect(matchInstanceTypes(only('trn1.2xlarge'), { region: 'eu-west-1' }).types).toEqual([]);
    });

    test('GIVEN a region with no offerings in the catalogue (GovCloud) WHEN matched THEN nothing is filtered by region and a note says so', () => {
      const result = matchInstanceTypes(only('trn1.2xlarge'), { region: 'us-gov-west-1' });
      expect(result.types).toEqual(['trn1.2xlarge']);
      expect(result.notes).toContain('the catalogue has no offerings for us-gov-west-1: types are not filtered by region');
    });

    test('GIVEN a misspelt region WHEN matched THEN a UserError, never a silent fallback', () => {
      expect(() => matchInstanceTypes(ANY_SIZE, { region: 'us-east1' })).toThrow(UserError);
      expect(() => matchInstanceTypes(ANY_SIZE, { region: 'us-east1' })).toThrow("unknown AWS region 'us-east1'");
    });

    test('GIVEN Spot WHEN matched THEN On-Demand-only types (hpc7g) drop out and Spot price protection is reported as not evaluated', () => {
      const result = matchInstanceTypes(only('hpc7g.*', 'c7g.16xlarge'), { purchaseOption: 'spot' });
      expect(result.types).toEqual(['c7g.16xlarge']);
      expect(result.priceProtectionApplied).toBe(false);
      expect(result.notes.join('\n')).toMatch(/Spot price protection is not evaluated offline/);
      expect(matchInstanceTypes(only('hpc7g.*', 'c7g.16xlarge')).types).toEqual(['c7g.16xlarge', 'hpc7g.16xlarge', 'hpc7g.4xlarge', 'hpc7g.8xlarge']);
    });
  });

  describe('price protection', () => {
    const M7I = only('m7i.*');

    test('GIVEN m7i in us-east-1 (priced) WHEN matched with the default 20% THEN only m7i.large ($0.1008) is within 20% of itself', () => {
      const result = matchInstanceTypes(M7I, { region: 'us-east-1' });
      expect(result.priceProtectionApplied).toBe(true);
      expect(result.types).toEqual(['m7i.large']);
    });

    test('GIVEN 100% WHEN matched THEN m7i.xlarge, at exactly twice the price, is kept (the limit is inclusive)', () => {
      const result = matchInstanceTypes({ ...M7I, on_demand_max_price_percentage_over_lowest_price: 100 }, { region: 'us-east-1' });
      expect(result.types).toEqual(['m7i.large', 'm7i.xlarge']);
    });

    test('GIVEN eu-west-1 (no prices in the catalogue) WHEN matched THEN no price protection, every size is kept, and a note says why', () => {
      const result = matchInstanceTypes(M7I, { region: 'eu-west-1' });
      expect(result.priceProtectionApplied).toBe(false);
      expect(result.types).toEqual([
        'm7i.12xlarge',
        'm7i.16xlarge',
        'm7i.24xlarge',
        'm7i.2xlarge',
        'm7i.48xlarge',
        'm7i.4xlarge',
        'm7i.8xlarge',
        'm7i.large',
        'm7i.xlarge',
      ]);
      expect(result.notes).toContain(
        'the catalogue has no On-Demand prices for eu-west-1: price protection (20%) not applied, AWS may drop the most expensive of these types',
      );
    });

    test('GIVEN no region WHEN matched THEN no price protection and a note', () => {
      const result = matchInstanceTypes(M7I);
      expect(result.priceProtectionApplied).toBe(false);
      expect(result.types).toHaveLength(9);
      expect(result.notes).toContain('no region given: offerings and On-Demand price protection not applied');
    });

    test('GIVEN only previous-generation matches WHEN matched THEN the cheapest of them is the reference', () => {
      const result = matchInstanceTypes(only('m4.*'), { region: 'us-east-1' });
      expect(result.types).toEqual(['m4.large']);
      expect(result.notes.join('\n')).toMatch(/reference m4\.large at \$0\.1\/h \(cheapest matching previous-generation type\)/);
    });
  });

  describe('other attributes', () => {
    test.each<[string, InstanceRequirementsJson, string[]]>([
      ['cpu_manufacturers amd', { ...only('m7a.large', 'm7g.large', 'm7i.large'), cpu_manufacturers: ['amd'] }, ['m7a.large']],
      ['cpu_manufacturers amazon-web-services', { ...only('m7a.large', 'm7g.large', 'm7i.large'), cpu_manufacturers: ['amazon-web-services'] }, ['m7g.large']],
      ['require_hibernate_support', { ...only('m5.large', 'p4d.24xlarge'), require_hibernate_support: true }, ['m5.large']],
      ['local_storage excluded', { ...only('m5.large', 'm5d.large'), local_storage: 'excluded' }, ['m5.large']],
      ['local_storage required', { ...only('m5.large', 'm5d.large'), local_storage: 'required' }, ['m5d.large']],
      ['local_storage_types hdd', { ...only('d3.xlarge', 'm5d.large'), local_storage: 'required', local_storage_types: ['hdd'] }, ['d3.xlarge']],
      [
        'total_local_storage_gb at least 100',
        { ...only('m5d.large', 'm5d.xlarge'), local_storage: 'required', total_local_storage_gb: { min: 100 } },
        ['m5d.xlarge'],
      ],
      [
        'network_bandwidth_gbps at least 100 (inclusive; c6in.32xlarge counts 200, not its two 200 Gbps cards)',
        { ...only('c6in.*'), network_bandwidth_gbps: { min: 100, max: 200 } },
        ['c6in.16xlarge', 'c6in.24xlarge', 'c6in.32xlarge'],
      ],
      ['baseline_ebs_bandwidth_mbps at most 650', { ...only('m5.large', 'm5.xlarge'), baseline_ebs_bandwidth_mbps: { max: 650 } }, ['m5.large']],
      ['network_interface_count at least 4', { ...only('m5.large', 'm5.xlarge'), network_interface_count: { min: 4 } }, ['m5.xlarge']],
    ])('GIVEN %s WHEN matched THEN %j', (_case, requirements, expected) => {
      expect(matchInstanceTypes(requirements).types).toEqual(expected);
    });

    test('GIVEN the seed article EC2 Fleet (Intel, 32-36 vCPUs, 64-72 GiB, >= 100 GB SSD) in us-east-1 WHEN matched THEN three SSD compute types', () => {
      const fleet: InstanceRequirementsJson = {
        memory_mib: { min: 65536, max: 73728 },
        vcpu_count: { min: 32, max: 36 },
        cpu_manufacturers: ['intel'],
        local_storage: 'required',
        local_storage_types: ['ssd'],
        total_local_storage_gb: { min: 100 },
      };
      expect(matchInstanceTypes(fleet, { region: 'us-east-1' }).types).toEqual(['c5d.9xlarge', 'c6id.8xlarge', 'c8id.8xlarge']);
    });

    test('GIVEN local storage constraints while local_storage stays "included" WHEN matched THEN EBS-only types are kept and a note explains it', () => {
      const result = matchInstanceTypes({ ...only('m5.large', 'm5d.large'), total_local_storage_gb: { min: 1000 } });
      expect(result.types).toEqual(['m5.large']);
      expect(result.notes.join('\n')).toMatch(/local_storage is "included": EBS-only types are kept/);
    });
  });

  test('GIVEN the Terraform JSON as a one-element array WHEN matched THEN it matches like the object', () => {
    expect(matchInstanceTypes([SEED_JAVA]).types).toEqual(matchInstanceTypes(SEED_JAVA).types);
  });
});

describe('unmetRequirements', () => {
  test('GIVEN the seed requirement WHEN p4d.24xlarge is explained THEN memory, ratio and accelerators are named', () => {
    expect(unmetRequirements(SEED_JAVA, 'p4d.24xlarge')).toEqual(['memory_mib', 'memory_gib_per_vcpu', 'accelerator_count']);
  });

  test('GIVEN a matching type WHEN explained THEN nothing is unmet', () => {
    expect(unmetRequirements(SEED_JAVA, 'm5.large', { region: 'us-east-1' })).toEqual([]);
  });

  test('GIVEN a type not offered in the region WHEN explained THEN region is named', () => {
    expect(unmetRequirements(ANY_SIZE, 'trn1.2xlarge', { region: 'eu-west-1' })).toEqual(['region']);
  });

  test('GIVEN an unknown type WHEN explained THEN a UserError', () => {
    expect(() => unmetRequirements(ANY_SIZE, 'zz9.large')).toThrow("unknown instance type 'zz9.large'");
  });
});

describe('groupByFamily', () => {
  test('GIVEN names of several families WHEN grouped THEN families and names are sorted and duplicates dropped', () => {
    expect(groupByFamily(['m5.xlarge', 'c7g.large', 'm5.large', 'u7in-16tb.224xlarge', 'm5.large'])).toEqual({
      c7g: ['c7g.large'],
      m5: ['m5.large', 'm5.xlarge'],
      'u7in-16tb': ['u7in-16tb.224xlarge'],
    });
    expect(Object.keys(groupByFamily(['m5.large', 'c7g.large']))).toEqual(['c7g', 'm5']);
  });
});
