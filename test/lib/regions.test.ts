import { closestMatch } from '../../lib/errors';
import { AWS_REGIONS, partitionOf, regionShortCode, unknownRegionProblem } from '../../lib/regions';

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

describe('unknown regions', () => {
  test.each([
    ['eu-centrl-1', 'eu-central-1'],
    ['us-est-1', 'us-east-1'],
    ['ap-southeast-11', 'ap-southeast-1'],
  ])('GIVEN the typo %s THEN the problem suggests %s', (typo, meant) => {
    expect(unknownRegionProblem(typo)).toBe(`unknown AWS region '${typo}' (did you mean ${meant}? expected a real region such as us-east-1)`);
  });

  test('GIVEN a name far from every region THEN no suggestion is made', () => {
    expect(unknownRegionProblem('mars-north-9')).toBe("unknown AWS region 'mars-north-9' (expected a real region such as us-east-1)");
  });

  test('GIVEN several candidates within reach THEN the nearest wins, not the first', () => {
    expect(closestMatch('us-west-2', ['us-east-2', 'us-west-2'])).toBe('us-west-2');
    expect(closestMatch('tg', ['tag', 'matrix'])).toBe('tag');
    expect(closestMatch('zzzzzz', ['tag', 'matrix'])).toBeUndefined();
  });
});
