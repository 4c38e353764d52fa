import type { TerraformStack } from 'cdktf';
import { PlannedEventCapacity, type PlannedEventCapacityProps } from '../../../modules/compute/planned-event-capacity';
import { resources, synth } from './helpers';

const FUTURE = '2099-05-31T00:00:00Z';
const BASE: PlannedEventCapacityProps = {
  event: 'black-friday',
  endDate: FUTURE,
  instanceTypes: ['r6i.2xlarge', 'r6i.4xlarge'],
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  instancesPerPool: 2,
};

function reserve(props: Partial<PlannedEventCapacityProps> = {}) {
  let construct: PlannedEventCapacity | undefined;
  const result = synth((stack: TerraformStack) => {
    construct = new PlannedEventCapacity(stack, 'event', { ...BASE, ...props });
  });
  return { ...result, reservations: Object.values(resources(result.json, 'aws_ec2_capacity_reservation')), construct: construct! };
}

describe('PlannedEventCapacity', () => {
  test('GIVEN types, zones and an end date WHEN synthesized THEN one open, self-expiring reservation per type and zone', () => {
    const { reservations, construct, warnings } = reserve();
    expect(reservations).toHaveLength(6);
    expect(reservations[0]).toEqual({
      instance_type: 'r6i.2xlarge',
      availability_zone: 'us-east-1a',
      instance_count: 2,
      instance_platform: 'Linux/UNIX',
      instance_match_criteria: 'open',
      end_date_type: 'limited',
      end_date: FUTURE,
      tags: { Name: 'black-friday-r6i.2xlarge-us-east-1a', Event: 'black-friday' },
    });
    expect(reservations.map((r) => `${r.instance_type}@${r.availability_zone}`)).toEqual([
      'r6i.2xlarge@us-east-1a',
      'r6i.2xlarge@us-east-1b',
      'r6i.2xlarge@us-east-1c',
      'r6i.4xlarge@us-east-1a',
      'r6i.4xlarge@us-east-1b',
      'r6i.4xlarge@us-east-1c',
    ]);
    expect(construct.reservationIds).toHaveLength(6);
    expect(construct.reservedInstances).toBe(12);
    expect(warnings).toEqual([]);
  });

  test('GIVEN a platform and tags WHEN synthesized THEN the reservations carry them', () => {
    const { reservations } = reserve({ platform: 'Windows', tags: { Team: 'risk' } });
    expect(reservations[0]).toMatchObject({ instance_platform: 'Windows', tags: { Team: 'risk', Event: 'black-friday' } });
  });

  test.each([
    ['an end date without time zone', { endDate: '2099-05-31T00:00:00' }, /endDate '2099-05-31T00:00:00' is not an RFC 3339 UTC time/],
    ['a date only', { endDate: '2099-05-31' }, /is not an RFC 3339 UTC time/],
    ['an instance type glob', { instanceTypes: ['r6i.*'] }, /instanceTypes: 'r6i\.\*' is not an exact instance type/],
    ['a region instead of a zone', { availabilityZones: ['us-east-1'] }, /availabilityZones: 'us-east-1' is not an availability zone/],
    ['a zone twice', { availabilityZones: ['us-east-1a', 'us-east-1a'] }, /lists 'us-east-1a' twice/],
    ['no instance types', { instanceTypes: [] }, /instanceTypes is empty/],
    ['no instances', { instancesPerPool: 0 }, /instancesPerPool is 0: expected a whole number from 1 up/],
  ])('GIVEN %s WHEN constructed THEN a ConstructError says what is expected', (_name, props, message) => {
    expect(() => reserve(props)).toThrow(message);
  });

  test('GIVEN an end date that has passed WHEN synthesized THEN it warns to remove the reservations', () => {
    expect(reserve({ endDate: '2020-01-01T00:00:00Z' }).warnings).toEqual([expect.stringMatching(/endDate 2020-01-01T00:00:00Z has passed/)]);
  });

  test("GIVEN 'targeted' reservations WHEN synthesized THEN it warns that the groups here do not target them; 'open' does not", () => {
    expect(reserve({ matchCriteria: 'targeted' }).warnings).toEqual([expect.stringMatching(/matchCriteria is 'targeted'/)]);
    expect(reserve({ matchCriteria: 'open' }).warnings).toEqual([]);
  });
});
