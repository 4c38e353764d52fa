import { loadOrganisation } from '../../lib/config';
import { planRelease } from '../../lib/pipeline-release';
import { stackMatrix, stackSpecForTag } from '../../lib/stack-spec';
import { parseReleaseTag } from '../../lib/tag';
import { devOrg, resources, synthTag } from '../support/synth';
import { DEV, PROJECT, configProblems, withChanges, writeOrg } from '../support/org';

const RETIRED = { regions: ['us-east-1'], retiredRegions: ['eu-central-1'] };
const problemsOf = (changes: Record<string, unknown>) => configProblems({ 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, changes) });

describe('retired regions', () => {
  test('GIVEN a retired region WHEN the matrix is built THEN every team keeps a stack there, marked retired, after its active regions', () => {
    const specs = stackMatrix(devOrg(RETIRED)).filter((s) => s.team === 'research');
    expect(specs.map((s) => [s.stack, s.retired])).toEqual([
      ['research-dev-global', false],
      ['research-dev-us-east-1', false],
      ['research-dev-eu-central-1', true],
    ]);
  });

  test('GIVEN a team with its own (empty) list WHEN the matrix is built THEN it has no retired stack', () => {
    const specs = stackMatrix(devOrg({ ...RETIRED, 'teams.risk.retiredRegions': [] })).filter((s) => s.team === 'risk');
    expect(specs.map((s) => s.stack)).toEqual(['risk-dev-global', 'risk-dev-us-east-1']);
  });

  test('GIVEN a retired region WHEN its stack is synthesized THEN it has the same backend and provider and no resources', () => {
    const active = synthTag(devOrg(), 'dev_eu-central-1/research/1.0');
    const retired = synthTag(devOrg(RETIRED), 'dev_eu-central-1/research/1.0');
    expect(retired.terraform.backend).toEqual(active.terraform.backend);
    expect(retired.provider).toEqual(active.provider);
    expect(retired.resource).toBeUndefined();
    expect(retired.data).toBeUndefined();
    expect(resources(active, 'aws_vpc')).toHaveLength(1);
  });

  test('GIVEN a tag of a retired region WHEN resolved THEN it selects the retired stack', () => {
    expect(stackSpecForTag(devOrg(RETIRED), parseReleaseTag('dev_eu-central-1/research/1.0'))).toMatchObject({
      stack: 'research-dev-eu-central-1',
      retired: true,
    });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a region both active and retired',
      { retiredRegions: ['eu-central-1'] },
      /^<org>\/dev\.yaml:\d+: retiredRegions\[0\]: region 'eu-central-1' is both active and retired for environment 'dev': remove it from regions to retire it$/,
    ],
    ['an unknown retired region', { retiredRegions: ['eu-centrall-1'] }, /retiredRegions\[0\]: unknown AWS region 'eu-centrall-1'/],
    [
      'a team region both active and retired',
      { 'teams.risk.retiredRegions': ['us-east-1'] },
      /teams\.risk\.retiredRegions\[0\]: region 'us-east-1' is both active and retired for team 'risk'/,
    ],
  ])('GIVEN %s WHEN loaded THEN it is rejected', (_what, changes, expected) => {
    expect(problemsOf(changes)).toContainEqual(expect.stringMatching(expected));
  });

  test('GIVEN a retired region WHEN loaded THEN it is valid and keeps its network range', () => {
    const org = loadOrganisation(
      writeOrg({ 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { ...RETIRED, 'teams.research.network': { baseRange: '10.16.0.0/12' } }) }),
    );
    const research = org.environments[0].teams.find((t) => t.name === 'research')!;
    expect(research.retiredRegions).toEqual(['eu-central-1']);
    expect(Object.keys(research.networkRanges)).toEqual(['us-east-1', 'eu-central-1']);
  });
});

describe('releasing a retired region', () => {
  const org = devOrg(RETIRED);
  const request = { environment: 'dev', team: 'research', version: '2.0', regions: ['us-east-1', 'eu-central-1'], global: false };

  test('GIVEN no confirmation WHEN planned THEN it is refused naming the stack it would empty', () => {
    expect(() => planRelease(org, request, [])).toThrow(
      /^region\(s\) eu-central-1 retired for team 'research' in 'dev': the release destroys every resource of research-dev-eu-central-1; pass --confirm-retired to release it$/,
    );
  });

  test('GIVEN --confirm-retired WHEN planned THEN the retired region comes after the active ones', () => {
    expect(planRelease(org, { ...request, confirmRetired: true }, []).map((p) => [p.tag, p.spec.retired])).toEqual([
      ['dev_us-east-1/research/2.0', false],
      ['dev_eu-central-1/research/2.0', true],
    ]);
  });

  test('GIVEN --regions all WHEN planned THEN retired regions are not part of it', () => {
    expect(planRelease(org, { ...request, regions: 'all' }, []).map((p) => p.tag)).toEqual(['dev_us-east-1/research/2.0']);
  });
});
