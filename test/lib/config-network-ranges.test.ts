import { loadOrganisation } from '../../lib/config';
import { allocateRange, overlappingRanges, parseCidr, rangeFor, rangesOverlap } from '../../lib/config/network-ranges';
import { AWS_REGIONS } from '../../lib/regions';
import { DEV, PROJECT, configProblems, withChanges, writeOrg } from '../support/org';

const rangesOf = (changes: Record<string, unknown>, team = 'research') =>
  loadOrganisation(writeOrg({ 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, changes) })).environments[0].teams.find((t) => t.name === team)!
    .networkRanges;
const problemsOf = (changes: Record<string, unknown>) => configProblems({ 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, changes) });

describe('allocating VPC ranges from a base range', () => {
  test('GIVEN a /12 base WHEN regions are allocated THEN each gets the /18 of its fixed slot', () => {
    expect(allocateRange('10.16.0.0/12', 'us-east-1')).toBe('10.16.0.0/18');
    expect(allocateRange('10.16.0.0/12', 'us-east-2')).toBe('10.16.64.0/18');
    const slot = Object.keys(AWS_REGIONS).indexOf('eu-central-1');
    expect(allocateRange('10.16.0.0/12', 'eu-central-1')).toBe(`10.${16 + Math.floor(slot / 4)}.${(slot % 4) * 64}.0/18`);
  });

  test('GIVEN every known region WHEN allocated from one base THEN no two ranges overlap and all stay inside the base', () => {
    const ranges = Object.keys(AWS_REGIONS).map((region) => allocateRange('10.0.0.0/10', region));
    for (const [i, a] of ranges.entries()) {
      expect(rangesOverlap(a, '10.0.0.0/10')).toBe(true);
      for (const b of ranges.slice(i + 1)) expect(rangesOverlap(a, b)).toBe(false);
    }
  });

  test.each([
    ['10.0.0.0/16', '10.0.255.0/24', true],
    ['10.0.0.0/16', '10.1.0.0/16', false],
    ['10.16.0.0/12', '10.31.0.0/16', true],
    ['10.16.0.0/12', '10.32.0.0/16', false],
  ])('GIVEN %s and %s WHEN compared THEN overlap is %s', (a, b, expected) => {
    expect(rangesOverlap(a, b)).toBe(expected);
  });

  test('GIVEN host bits WHEN parsed THEN it is not a block', () => {
    expect(parseCidr('10.16.0.1/12')).toBeUndefined();
    expect(parseCidr('10.16.0.0/12')).toEqual({ address: 0x0a100000, bits: 12 });
  });

  test('GIVEN a team cidrs entry, a team base and an environment base WHEN resolved THEN the explicit entry wins, then the team base', () => {
    const layers = [
      { at: ['teams', 'a', 'network'], raw: { baseRange: '10.32.0.0/12', cidrs: { 'us-east-1': '172.16.0.0/16' } } },
      { at: ['network'], raw: { baseRange: '10.16.0.0/12', cidr: '10.9.0.0/16' } },
    ];
    expect(rangeFor('a', 'us-east-1', layers)).toMatchObject({ cidr: '172.16.0.0/16', origin: 'cidrs', at: ['teams', 'a', 'network', 'cidrs', 'us-east-1'] });
    expect(rangeFor('a', 'us-east-2', layers)).toMatchObject({ cidr: '10.32.64.0/18', origin: 'baseRange', at: ['teams', 'a', 'network', 'baseRange'] });
    expect(rangeFor('a', 'us-east-2', [layers[1]])).toMatchObject({ cidr: '10.16.64.0/18', origin: 'baseRange' });
    expect(rangeFor('a', 'us-east-2', [{ at: ['network'], raw: { cidr: '10.9.0.0/16' } }])).toMatchObject({ cidr: '10.9.0.0/16', origin: 'cidr' });
  });

  test('GIVEN one shared cidr WHEN checked THEN the isolated VPCs are not reported as overlapping', () => {
    const shared = ['us-east-1', 'eu-central-1'].map((region) => rangeFor('a', region, [{ at: ['network'], raw: { cidr: '10.0.0.0/16' } }]));
    expect(overlappingRanges(shared)).toEqual([]);
  });
});

describe('network ranges in the config', () => {
  test('GIVEN a base range per team WHEN loaded THEN every region of each team has its own VPC range', () => {
    const changes = { 'teams.research.network': { baseRange: '10.16.0.0/12' }, 'teams.risk.network': { baseRange: '10.32.0.0/12' } };
    expect(rangesOf(changes)).toEqual({ 'us-east-1': '10.16.0.0/18', 'eu-central-1': allocateRange('10.16.0.0/12', 'eu-central-1') });
    expect(rangesOf(changes, 'risk')).toEqual({ 'us-east-1': '10.32.0.0/18' });
  });

  test('GIVEN nothing configured WHEN loaded THEN every region keeps the default range', () => {
    expect(rangesOf({})).toEqual({ 'us-east-1': '10.0.0.0/16', 'eu-central-1': '10.0.0.0/16' });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'one base range shared by two teams',
      { network: { baseRange: '10.16.0.0/12' } },
      /^<org>\/dev\.yaml:\d+: network\.baseRange: 10\.16\.0\.0\/18 of team risk in us-east-1 \(network\.baseRange\) overlaps 10\.16\.0\.0\/18 of team research in us-east-1 \(network\.baseRange\) at <org>\/dev\.yaml:\d+: give each region of each team its own range/,
    ],
    [
      "an explicit range inside another team's base",
      { 'teams.research.network': { baseRange: '10.16.0.0/12' }, 'teams.risk.network': { cidrs: { 'us-east-1': '10.16.32.0/20' } } },
      /^<org>\/dev\.yaml:\d+: teams\.risk\.network\.cidrs\.us-east-1: 10\.16\.32\.0\/20 of team risk in us-east-1 \(teams\.risk\.network\.cidrs\.us-east-1\) overlaps 10\.16\.0\.0\/18 of team research in us-east-1 \(teams\.research\.network\.baseRange\) at <org>\/dev\.yaml:\d+/,
    ],
    [
      'a base range with host bits',
      { 'teams.research.network': { baseRange: '10.16.0.1/12' } },
      /teams\.research\.network\.baseRange: '10\.16\.0\.1\/12' is not a network address/,
    ],
    [
      'a base range too small to split',
      { 'teams.research.network': { baseRange: '10.16.0.0/20' } },
      /teams\.research\.network\.baseRange: '10\.16\.0\.0\/20' is not valid/,
    ],
    [
      'an explicit range for a region the team lacks',
      { 'teams.risk.network': { cidrs: { 'eu-central-1': '10.40.0.0/16' } } },
      /teams\.risk\.network\.cidrs\.eu-central-1: region 'eu-central-1' is not a region of team 'risk' \(expected one of us-east-1\)/,
    ],
  ])('GIVEN %s WHEN loaded THEN it is rejected naming both places', (_what, changes, expected) => {
    expect(problemsOf(changes)).toContainEqual(expect.stringMatching(expected));
  });

  test('GIVEN an environment range for a region it lacks WHEN loaded THEN it is reported once, not per team', () => {
    const problems = problemsOf({ 'network.cidrs': { 'ap-southeast-1': '10.50.0.0/16' } });
    expect(problems).toEqual([
      expect.stringMatching(
        /^<org>\/dev\.yaml:\d+: network\.cidrs\.ap-southeast-1: region 'ap-southeast-1' is not a region of environment 'dev' \(expected one of us-east-1, eu-central-1\)$/,
      ),
    ]);
  });
});
