import { AWS_REGIONS, partitionOf, regionShortCode } from '../../lib/regions';

describe('regionShortCode', () => {
  test.each([
    ['us-east-1', 'use1'],
    ['eu-central-1', 'euc1'],
    ['ap-southeast-1', 'apse1'],
    ['ap-northeast-2', 'apne2'],
    ['us-west-2', 'usw2'],
    ['us-gov-west-1', 'usgw1'],
    ['cn-northwest-1', 'cnnw1'],
    ['il-central-1', 'ilc1'],
  ])('GIVEN %s WHEN shortened THEN it is %s', (region, short) => {
    expect(regionShortCode(region)).toBe(short);
  });

  test('GIVEN every known region WHEN shortened THEN no two share a code (bucket names stay distinct)', () => {
    const codes = Object.keys(AWS_REGIONS).map(regionShortCode);
    expect(new Set(codes).size).toBe(codes.length);
  });

  test.each(['useast1', 'us-up-1', 'us-east-x'])('GIVEN the malformed region %s WHEN shortened THEN it throws', (region) => {
    expect(() => regionShortCode(region)).toThrow(/cannot derive a short code/);
  });
});

describe('partitionOf', () => {
  test.each([
    ['us-east-1', 'aws'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
  ])('GIVEN %s WHEN asked THEN the partition is %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
  test('GIVEN an unknown region WHEN asked THEN it throws', () => {
    expect(() => partitionOf('xx-east-1')).toThrow(/unknown AWS region/);
  });
});
