import { DEFAULT_BATCH_REQUIREMENTS, DEFAULT_WEB_TIER, loadOrganisation, type ComputeSettings } from '../../lib/config';
import { DEV, EXAMPLE_ENVIRONMENTS, PROJECT, configProblems, withChanges, writeOrg } from '../support/org';

/** Batch fleets and planned events are read by the batch-fleet workload: research uses it when a change sets them. */
function withBatchFleet(changes: Record<string, unknown>): Record<string, unknown> {
  const batch = Object.keys(changes).some((key) => /^teams\.research\.compute\.(batch|plannedEvents)/.test(key));
  return batch ? { 'teams.research.workloads': ['web-service', 'batch-fleet'], ...changes } : changes;
}

/** The compute settings of a team of the dev environment given dotted changes to DEV. */
function computeOf(changes: Record<string, unknown>, team = 'research'): ComputeSettings {
  const org = loadOrganisation(writeOrg({ 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, withBatchFleet(changes)) }));
  return org.environments[0].teams.find((t) => t.name === team)!.compute;
}

/** The problems of a dev environment with dotted changes, or [] when it loads. */
function problemsOf(changes: Record<string, unknown>): string[] {
  return configProblems({ 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, withBatchFleet(changes)) });
}

describe('compute settings: defaults and merging', () => {
  test('GIVEN the example organisation WHEN loaded THEN every team has the default web tier and only risk a batch fleet', () => {
    const org = loadOrganisation(EXAMPLE_ENVIRONMENTS);
    for (const environment of org.environments) {
      for (const team of environment.teams) {
        expect(team.compute.web).toEqual(DEFAULT_WEB_TIER);
        expect(team.compute.batch?.totalCapacity).toBe(team.name === 'risk' ? 4 : undefined);
        expect(team.compute.plannedEvents).toEqual([]);
      }
    }
  });

  test('the defaults are a small, spot-mixed, two-architecture tier without accelerators', () => {
    expect(DEFAULT_WEB_TIER).toEqual({
      enabled: true,
      minCapacity: 2,
      maxCapacity: 6,
      onDemandBaseCapacity: 1,
      spotPercent: 50,
      spotAllocationStrategy: 'price-capacity-optimized',
      architectures: ['arm64', 'x86_64'],
      targetCpuPercent: 50,
      requirements: { vcpus: { min: 2, max: 4 }, memoryGib: { min: 4, max: 16 }, instanceGenerations: ['current'], acceleratorCount: { max: 0 } },
    });
  });

  test('GIVEN environment compute defaults and a team override WHEN loaded THEN the team overrides the environment field by field', () => {
    const changes = {
      'compute.web': { maxCapacity: 10, spotPercent: 80, requirements: { vcpus: { min: 4, max: 8 }, cpuManufacturers: ['amd', 'amazon-web-services'] } },
      'teams.research.compute.web': { spotPercent: 0, architectures: ['x86_64'], requirements: { memoryGib: { min: 8, max: 32 } } },
    };
    expect(computeOf(changes, 'research').web).toEqual({
      ...DEFAULT_WEB_TIER,
      maxCapacity: 10,
      spotPercent: 0,
      architectures: ['x86_64'],
      requirements: {
        ...DEFAULT_WEB_TIER.requirements,
        vcpus: { min: 4, max: 8 },
        cpuManufacturers: ['amd', 'amazon-web-services'],
        memoryGib: { min: 8, max: 32 },
      },
    });
    expect(computeOf(changes, 'risk').web).toMatchObject({ maxCapacity: 10, spotPercent: 80, architectures: ['arm64', 'x86_64'] });
  });

  test('GIVEN a range in a layer WHEN merged THEN it replaces the default range whole', () => {
    expect(computeOf({ 'compute.web.requirements': { vcpus: { min: 1 } } }).web.requirements.vcpus).toEqual({ min: 1 });
  });

  test('GIVEN a team batch fleet WHEN loaded THEN its defaults are filled in', () => {
    expect(computeOf({ 'teams.research.compute.batch': { totalCapacity: 4 } }).batch).toEqual({
      type: 'maintain',
      totalCapacity: 4,
      onDemandCapacity: 0,
      capacityUnit: 'units',
      spotAllocationStrategy: 'price-capacity-optimized',
      architectures: ['arm64', 'x86_64'],
      requirements: DEFAULT_BATCH_REQUIREMENTS,
    });
    expect(computeOf({ 'teams.research.compute.batch': { totalCapacity: 4 } }, 'risk').batch).toBeUndefined();
  });

  test('GIVEN a disabled web tier WHEN loaded THEN it is disabled', () => {
    expect(computeOf({ 'teams.risk.compute.web.enabled': false }, 'risk').web.enabled).toBe(false);
  });
});

describe('compute settings: validation, one line per problem naming file, line and field', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'min capacity above max',
      { 'teams.research.compute.web': { minCapacity: 5, maxCapacity: 2 } },
      /^<org>\/dev\.yaml:\d+: teams\.research\.compute\.web\.maxCapacity: minCapacity \(5\) is greater than maxCapacity \(2\)/,
    ],
    [
      'min capacity above max, split over environment and team',
      { 'compute.web.minCapacity': 4, 'teams.research.compute.web.maxCapacity': 3 },
      /dev\.yaml:\d+: teams\.research\.compute\.web\.maxCapacity: minCapacity \(4\) is greater than maxCapacity \(3\)/,
    ],
    [
      'desired capacity above max',
      { 'compute.web': { desiredCapacity: 9 } },
      /dev\.yaml:\d+: compute\.web\.desiredCapacity: desiredCapacity \(9\) is outside minCapacity\.\.maxCapacity \(2\.\.6\)/,
    ],
    [
      'desired capacity below min',
      { 'compute.web': { minCapacity: 3, maxCapacity: 6, desiredCapacity: 2 } },
      /compute\.web\.desiredCapacity: desiredCapacity \(2\) is outside/,
    ],
    [
      'an On-Demand base above max',
      { 'teams.risk.compute.web': { onDemandBaseCapacity: 7 } },
      /teams\.risk\.compute\.web\.onDemandBaseCapacity: onDemandBaseCapacity \(7\) is greater than maxCapacity \(6\)/,
    ],
    [
      'a vCPU range upside down',
      { 'compute.web.requirements': { vcpus: { min: 8, max: 4 } } },
      /dev\.yaml:\d+: compute\.web\.requirements\.vcpus: min 8 is greater than max 4/,
    ],
    [
      'a memory range upside down',
      { 'teams.research.compute.web.requirements': { memoryGib: { min: 16, max: 8 } } },
      /teams\.research\.compute\.web\.requirements\.memoryGib: min 16 is greater than max 8/,
    ],
    [
      'a memory-per-vCPU range upside down',
      { 'compute.web.requirements': { memoryGibPerVcpu: { min: 8, max: 2 } } },
      /compute\.web\.requirements\.memoryGibPerVcpu: min 8 is greater than max 2/,
    ],
    [
      'memory that is no whole MiB',
      { 'compute.web.requirements': { memoryGib: { min: 0.3 } } },
      /compute\.web\.requirements\.memoryGib\.min: 0\.3 GiB is not a whole number of MiB/,
    ],
    [
      'allowed and excluded types across environment and team',
      { 'compute.web.requirements': { allowedInstanceTypes: ['m7g.*'] }, 'teams.research.compute.web.requirements': { excludedInstanceTypes: ['t4g.*'] } },
      /teams\.research\.compute\.web\.requirements\.excludedInstanceTypes: allowedInstanceTypes and excludedInstanceTypes are both set/,
    ],
    [
      'both spot price protections',
      { 'compute.web.requirements': { spotMaxPricePercentageOverLowestPrice: 50, maxSpotPriceAsPercentageOfOptimalOnDemandPrice: 60 } },
      /compute\.web\.requirements\.maxSpotPriceAsPercentageOfOptimalOnDemandPrice: spotMaxPricePercentageOverLowestPrice and maxSpotPriceAsPercentageOfOptimalOnDemandPrice are both set/,
    ],
    [
      'a batch On-Demand part above its total',
      { 'teams.research.compute.batch': { totalCapacity: 2, onDemandCapacity: 3 } },
      /teams\.research\.compute\.batch\.onDemandCapacity: onDemandCapacity \(3\) is greater than totalCapacity \(2\)/,
    ],
    [
      'a batch vCPU range upside down',
      { 'teams.research.compute.batch': { totalCapacity: 2, requirements: { vcpus: { min: 32, max: 16 } } } },
      /teams\.research\.compute\.batch\.requirements\.vcpus: min 32 is greater than max 16/,
    ],
    // Schema checks: the same one-line form.
    ['a spot share above 100', { 'compute.web.spotPercent': 120 }, /compute\.web\.spotPercent: 120 is out of range: expected <= 100/],
    [
      'an unknown architecture',
      { 'compute.web.architectures': ['i386'] },
      /compute\.web\.architectures\[0\]: 'i386' is not allowed: expected one of arm64, x86_64/,
    ],
    [
      'a prioritized spot strategy',
      { 'compute.web.spotAllocationStrategy': 'capacity-optimized-prioritized' },
      /compute\.web\.spotAllocationStrategy: 'capacity-optimized-prioritized' is not allowed/,
    ],
    ['an unknown accelerator name', { 'compute.web.requirements': { acceleratorNames: ['h200'] } }, /acceleratorNames\[0\]: 'h200' is not allowed/],
    ['a vCPU range without min', { 'compute.web.requirements': { vcpus: { max: 4 } } }, /compute\.web\.requirements\.vcpus: missing field 'min'/],
    [
      'an instance type glob with upper case',
      { 'compute.web.requirements': { excludedInstanceTypes: ['M5.*'] } },
      /excludedInstanceTypes\[0\]: 'M5\.\*' is not valid: expected an instance type or glob/,
    ],
    ['a batch fleet without total', { 'teams.research.compute.batch': { type: 'request' } }, /teams\.research\.compute\.batch: missing field 'totalCapacity'/],
    ['a batch fleet at environment level', { 'compute.batch': { totalCapacity: 2 } }, /compute\.batch: unknown field \(expected one of: web\)/],
    ['an unknown web field', { 'compute.web.spotShare': 50 }, /compute\.web\.spotShare: unknown field/],
  ])('GIVEN %s WHEN loaded THEN it is rejected', (_name, changes, message) => {
    expect(problemsOf(changes)).toContainEqual(expect.stringMatching(message));
  });

  test.each<[string, Record<string, unknown>]>([
    ['capacities in order', { 'teams.research.compute.web': { minCapacity: 2, maxCapacity: 2, desiredCapacity: 2, onDemandBaseCapacity: 2 } }],
    ['ranges in order', { 'compute.web.requirements': { vcpus: { min: 4, max: 4 }, memoryGib: { min: 0.5, max: 1.5 }, memoryGibPerVcpu: { min: 2, max: 4 } } }],
    ['only allowed types', { 'compute.web.requirements': { allowedInstanceTypes: ['m7g.*', 'c7g.*'] } }],
    ['one spot price protection', { 'compute.web.requirements': { maxSpotPriceAsPercentageOfOptimalOnDemandPrice: 60 } }],
    [
      'a batch fleet with an On-Demand part',
      { 'teams.research.compute.batch': { totalCapacity: 4, onDemandCapacity: 4, type: 'instant', capacityUnit: 'vcpu' } },
    ],
    [
      'every requirement field',
      {
        'compute.web.requirements': {
          vcpus: { min: 2, max: 8 },
          memoryGib: { min: 4, max: 32 },
          memoryGibPerVcpu: { min: 2, max: 8 },
          cpuManufacturers: ['intel', 'amd', 'amazon-web-services'],
          instanceGenerations: ['current'],
          excludedInstanceTypes: ['t2.*'],
          bareMetal: 'excluded',
          burstablePerformance: 'excluded',
          acceleratorCount: { max: 0 },
          localStorage: 'included',
          localStorageTypes: ['ssd'],
          totalLocalStorageGb: { min: 10 },
          baselineEbsBandwidthMbps: { min: 1000 },
          networkBandwidthGbps: { min: 0.5 },
          networkInterfaceCount: { min: 1 },
          requireHibernateSupport: false,
          onDemandMaxPricePercentageOverLowestPrice: 20,
          spotMaxPricePercentageOverLowestPrice: 100,
        },
      },
    ],
  ])('GIVEN %s WHEN loaded THEN it loads', (_name, changes) => {
    expect(problemsOf(changes)).toEqual([]);
  });

  test('GIVEN a problem in the environment defaults WHEN loaded THEN it is reported once, not once per team', () => {
    expect(problemsOf({ 'compute.web.requirements': { vcpus: { min: 8, max: 4 } } }).filter((p) => p.includes('vcpus'))).toHaveLength(1);
  });
});

describe('compute.plannedEvents (capacity reservations for a planned event)', () => {
  const event = {
    event: 'black-friday',
    endDate: '2026-12-01T00:00:00Z',
    region: 'eu-central-1',
    availabilityZones: ['eu-central-1a', 'eu-central-1b'],
    instanceTypes: ['m7g.large', 'm7i.large'],
    instancesPerPool: 2,
  };

  test('GIVEN an event in one of the team regions WHEN loaded THEN it is part of the team compute', () => {
    expect(computeOf({ 'teams.research.compute.plannedEvents': [event] }).plannedEvents).toEqual([event]);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a region the team does not deploy to',
      { ...event, region: 'us-west-2' },
      /plannedEvents\[0\]\.region: region 'us-west-2' is not a region of team 'research' \(expected one of us-east-1, eu-central-1\)/,
    ],
    [
      'a zone of another region',
      { ...event, availabilityZones: ['us-east-1a'] },
      /plannedEvents\[0\]\.availabilityZones\[0\]: zone 'us-east-1a' is not a zone of eu-central-1 \(expected e\.g\. eu-central-1a\)/,
    ],
    [
      'a date that is not RFC 3339 UTC',
      { ...event, endDate: '2026-12-01' },
      /plannedEvents\[0\]\.endDate: '2026-12-01' is not valid: expected an RFC 3339 UTC time such as 2026-12-01T00:00:00Z/,
    ],
    [
      'a glob instead of an instance type',
      { ...event, instanceTypes: ['m7*'] },
      /plannedEvents\[0\]\.instanceTypes\[0\]: 'm7\*' is not valid: expected an exact instance type such as m7i\.large/,
    ],
    ['no instances', { ...event, instancesPerPool: 0 }, /plannedEvents\[0\]\.instancesPerPool: 0 is out of range: expected >= 1/],
  ])('GIVEN %s WHEN loaded THEN it is rejected', (_what, bad, expected) => {
    expect(problemsOf({ 'teams.research.compute.plannedEvents': [bad] })).toContainEqual(expect.stringMatching(expected));
  });

  test('GIVEN the same event twice for a region WHEN loaded THEN it is rejected', () => {
    expect(problemsOf({ 'teams.research.compute.plannedEvents': [event, event] })).toContainEqual(
      expect.stringMatching(/plannedEvents\[1\]\.event: event 'black-friday' is declared twice for eu-central-1: merge the two entries/),
    );
  });
});
