import { loadOrganisation } from '../../lib/config';
import { LineCounter, parseDocument } from 'yaml';
import { mergeSettings, workloadsFrom } from '../../lib/config/workload-settings';
import { DEV, PROJECT, configProblems, withChanges, writeOrg } from '../support/org';

function teamOf(changes: Record<string, unknown>, team = 'research') {
  const org = loadOrganisation(writeOrg({ 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, changes) }));
  return org.environments[0].teams.find((t) => t.name === team)!;
}

function problemsOf(changes: Record<string, unknown>): string[] {
  return configProblems({ 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, changes) });
}

const TABLE = { name: 'orders', partitionKey: { name: 'id' } };

describe('teams.<team>.workloads and settings.<workload>', () => {
  test('GIVEN no team list WHEN loaded THEN the team has the environment default workloads', () => {
    expect(teamOf({}).workloads.map((w) => w.name)).toEqual(['web-service']);
  });

  test('GIVEN a team list WHEN loaded THEN it replaces the environment default, in its order', () => {
    const team = teamOf({ 'teams.research.workloads': ['global-table', 'web-service'], 'teams.research.settings': { 'global-table': TABLE } });
    expect(team.workloads.map((w) => w.name)).toEqual(['global-table', 'web-service']);
  });

  test('GIVEN no workloads anywhere WHEN loaded THEN the team has none (a team being onboarded)', () => {
    expect(teamOf({ workloads: undefined, settings: undefined }).workloads).toEqual([]);
  });

  test('GIVEN environment and team settings WHEN loaded THEN the team overrides field by field and schema defaults fill the rest', () => {
    const team = teamOf({
      'settings.web-service': { plainHttp: true, accessLogs: { retentionDays: 30 } },
      'teams.research.settings': { 'web-service': { accessLogs: { enabled: false } } },
    });
    expect(team.workloads[0].settings).toEqual({ plainHttp: true, accessLogs: { enabled: false, retentionDays: 30 } });
    const risk = teamOf({ 'settings.web-service': { plainHttp: true, accessLogs: { retentionDays: 30 } } }, 'risk');
    expect(risk.workloads[0].settings).toEqual({ plainHttp: true, accessLogs: { enabled: true, retentionDays: 30 } });
  });

  test('GIVEN settings merged WHEN a list is set by the team THEN it replaces the environment list whole', () => {
    expect(mergeSettings({ a: [1, 2], b: { c: 1 } }, { a: [3], b: { d: 2 } })).toEqual({ a: [3], b: { c: 1, d: 2 } });
  });

  test.each<[string, Record<string, unknown>]>([
    [
      'HTTPS with an existing certificate for every region where it runs',
      {
        'settings.web-service': {
          https: {
            certificateArns: {
              'us-east-1': 'arn:aws:acm:us-east-1:555555555555:certificate/abc-123',
              'eu-central-1': 'arn:aws:acm:eu-central-1:555555555555:certificate/abc-123',
            },
          },
        },
      },
    ],
    ['HTTPS with a DNS-validated certificate', { 'settings.web-service': { https: { domainName: 'app.example.com', hostedZoneId: 'Z123ABC' } } }],
    ['plain HTTP chosen explicitly', {}],
    ['a data workload with its required settings', { 'teams.research.workloads': ['global-table'], 'teams.research.settings': { 'global-table': TABLE } }],
    ["a regional part limited to some of the team's regions", { 'teams.research.workloadRegions': { 'web-service': ['eu-central-1'] } }],
  ])('GIVEN %s WHEN loaded THEN it loads', (_what, changes) => {
    expect(problemsOf(changes)).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'an unknown workload',
      { 'teams.research.workloads': ['web-servise'] },
      /^<org>\/dev\.yaml:\d+: teams\.research\.workloads\[0\]: 'web-servise' is not allowed: expected one of batch-fleet, global-table, web-service/,
    ],
    ['a workload listed twice', { 'teams.research.workloads': ['web-service', 'web-service'] }, /teams\.research\.workloads: duplicate entry 'web-service'/],
    [
      'team settings of a workload the team does not use',
      { 'teams.research.settings': { 'global-table': TABLE } },
      /^<org>\/dev\.yaml:\d+: teams\.research\.settings\.global-table: settings of workload 'global-table', which team 'research' does not use \(its workloads: web-service\)/,
    ],
    [
      'environment settings of a workload no team uses',
      { 'settings.global-table': TABLE },
      /^<org>\/dev\.yaml:\d+: settings\.global-table: settings of workload 'global-table', which no team of this environment uses/,
    ],
    [
      'settings of an unknown workload',
      { 'settings.nope': {} },
      /^<org>\/dev\.yaml:\d+: settings\.nope: unknown field \(expected one of: batch-fleet, global-table, web-service\)/,
    ],
    [
      'neither HTTPS nor plain HTTP',
      { 'settings.web-service': {} },
      /^<org>\/dev\.yaml:\d+: settings\.web-service: choose https \(a certificate\) or plainHttp: true/,
    ],
    [
      'both HTTPS and plain HTTP',
      { 'settings.web-service': { plainHttp: true, https: { domainName: 'app.example.com', hostedZoneId: 'Z123' } } },
      /settings\.web-service: choose https \(a certificate\) or plainHttp: true; serving without TLS must be explicit, and not both/,
    ],
    ['plain HTTP set to false', { 'settings.web-service': { plainHttp: false } }, /settings\.web-service\.plainHttp: 'false' is not allowed: expected true/],
    [
      'a domain without its zone',
      { 'settings.web-service': { https: { domainName: 'app.example.com' } } },
      /settings\.web-service\.https: 'domainName' needs 'hostedZoneId' too/,
    ],
    [
      'HTTPS without a certificate',
      { 'settings.web-service': { https: { sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' } } },
      /settings\.web-service\.https: https needs a certificate: set certificateArns, or domainName and hostedZoneId/,
    ],
    [
      'an old TLS policy',
      { 'settings.web-service': { https: { domainName: 'a.example.com', hostedZoneId: 'Z1', sslPolicy: 'ELBSecurityPolicy-2016-08' } } },
      /settings\.web-service\.https\.sslPolicy: 'ELBSecurityPolicy-2016-08' is not allowed: expected one of ELBSecurityPolicy-TLS13-1-2-2021-06/,
    ],
    [
      'certificates that miss a region where the team runs web-service',
      { 'settings.web-service': { https: { certificateArns: { 'us-east-1': 'arn:aws:acm:us-east-1:555555555555:certificate/abc-123' } } } },
      /^<org>\/dev\.yaml:\d+: settings\.web-service\.https\.certificateArns: no entry for eu-central-1, where team 'research' runs web-service: give every one of its regions an entry$/,
    ],
    [
      'a certificate for a region outside the environment',
      {
        'settings.web-service': {
          https: {
            certificateArns: {
              'us-east-1': 'arn:aws:acm:us-east-1:555555555555:certificate/a',
              'eu-central-1': 'arn:aws:acm:eu-central-1:555555555555:certificate/a',
              'eu-west-1': 'arn:aws:acm:eu-west-1:555555555555:certificate/a',
            },
          },
        },
      },
      /settings\.web-service\.https\.certificateArns\.eu-west-1: 'eu-west-1' is not a region of this environment \(expected some of us-east-1, eu-central-1\)/,
    ],
    [
      'a certificate ARN that is not one',
      { 'settings.web-service': { https: { certificateArns: { 'us-east-1': 'arn:aws:iam::1:role/x' } } } },
      /settings\.web-service\.https\.certificateArns\.us-east-1: 'arn:aws:iam::1:role\/x' is not valid/,
    ],
    [
      'a missing required setting',
      { 'teams.research.workloads': ['global-table'], 'teams.research.settings': { 'global-table': { name: 'orders' } } },
      /^<org>\/dev\.yaml:\d+: teams\.research\.settings\.global-table: missing field 'partitionKey'/,
    ],
    [
      'a required setting with no settings at all',
      { 'teams.research.workloads': ['global-table'] },
      /^<org>\/dev\.yaml:\d+: teams\.research\.workloads\[0\]: missing field 'name'/,
    ],
    [
      'an unknown setting',
      { 'settings.web-service': { plainHttp: true, acessLogs: {} } },
      /settings\.web-service\.acessLogs: unknown field \(expected one of: https, plainHttp, accessLogs, deletionProtection\)/,
    ],
    [
      'compute.batch on a team without batch-fleet',
      { 'teams.research.compute': { batch: { totalCapacity: 2 } } },
      /teams\.research\.compute\.batch: compute\.batch is read by the workload batch-fleet, which team 'research' does not use/,
    ],
    [
      'regions of a workload the team does not use',
      { 'teams.research.workloadRegions': { 'batch-fleet': ['us-east-1'] } },
      /^<org>\/dev\.yaml:\d+: teams\.research\.workloadRegions\.batch-fleet: regions of workload 'batch-fleet', which team 'research' does not use/,
    ],
    [
      'a region outside the team',
      { 'teams.risk.workloadRegions': { 'web-service': ['eu-central-1'] } },
      /^<org>\/dev\.yaml:\d+: teams\.risk\.workloadRegions\.web-service\[0\]: region 'eu-central-1' is not a region of team 'risk' \(expected some of us-east-1\)/,
    ],
    [
      'a planned event where batch-fleet does not run',
      {
        'teams.research.workloads': ['batch-fleet'],
        'teams.research.workloadRegions': { 'batch-fleet': ['us-east-1'] },
        'teams.research.compute': {
          plannedEvents: [
            {
              event: 'sale',
              endDate: '2030-01-01T00:00:00Z',
              region: 'eu-central-1',
              availabilityZones: ['eu-central-1a'],
              instanceTypes: ['m7g.large'],
              instancesPerPool: 1,
            },
          ],
        },
      },
      /teams\.research\.compute\.plannedEvents\[0\]\.region: region 'eu-central-1' is not one of workloadRegions\.batch-fleet \(us-east-1\)/,
    ],
    [
      'batch-fleet with nothing to run',
      { 'teams.research.workloads': ['batch-fleet'] },
      /teams\.research: the workload batch-fleet has nothing to run: set teams\.research\.compute\.batch/,
    ],
  ])('GIVEN %s WHEN loaded THEN it is rejected', (_what, changes, expected) => {
    const problems = problemsOf(changes);
    expect(problems).toContainEqual(expect.stringMatching(expected));
    for (const p of problems) expect(p).not.toContain('\n');
  });

  test('GIVEN web-service limited to one region WHEN certificates are checked THEN only that region needs one', () => {
    const certificate = { 'eu-central-1': 'arn:aws:acm:eu-central-1:555555555555:certificate/abc' };
    const changes = {
      'settings.web-service': { https: { certificateArns: certificate } },
      'teams.research.workloadRegions': { 'web-service': ['eu-central-1'] },
    };
    expect(problemsOf({ ...changes, 'teams.risk.workloads': ['batch-fleet'], 'teams.risk.compute': { batch: { totalCapacity: 1 } } })).toEqual([]);
    // risk runs web-service in us-east-1, which has no certificate.
    expect(problemsOf(changes)).toEqual([expect.stringMatching(/certificateArns: no entry for us-east-1, where team 'risk' runs web-service/)]);
  });

  test('GIVEN workloadRegions WHEN loaded THEN the regional part runs only there, in the team order', () => {
    expect(teamOf({ 'teams.research.workloadRegions': { 'web-service': ['eu-central-1'] } }).workloads[0].regions).toEqual(['eu-central-1']);
    expect(teamOf({}).workloads[0].regions).toEqual(['us-east-1', 'eu-central-1']);
  });

  test('GIVEN a global-only workload with regions WHEN loaded THEN it is rejected: it has no regional part', () => {
    const catalog = {
      'web-service': { regional: true, global: false, regionMaps: [], validate: Object.assign(() => true, { errors: null }) },
      'only-global': { regional: false, global: true, regionMaps: [], validate: Object.assign(() => true, { errors: null }) },
    };
    const problems: string[] = [];
    const parsed = { file: 'dev.yaml', data: {}, doc: parseDocument('teams: {}'), lines: new LineCounter() };
    workloadsFrom(
      parsed,
      {},
      'research',
      { workloads: ['only-global'], workloadRegions: { 'only-global': ['us-east-1'] } },
      ['us-east-1'],
      ['us-east-1'],
      (p) => problems.push(p),
      catalog as never,
    );
    expect(problems).toEqual([
      "dev.yaml: teams.research.workloadRegions.only-global: workload 'only-global' has no regional part, so it runs in no region: remove the entry (its global part deploys from the global region)",
    ]);
  });

  test('GIVEN a bad value in the team layer WHEN loaded THEN the line is the team setting, not the environment default', () => {
    const yaml = [
      'regions: [us-east-1]',
      'workloads: [web-service]',
      'settings:',
      '  web-service:',
      '    plainHttp: true',
      '    accessLogs: { retentionDays: 30 }',
      'teams:',
      '  research:',
      '    account: "555555555555"',
      '    settings:',
      '      web-service:',
      '        accessLogs: { retentionDays: 0 }',
      '',
    ].join('\n');
    expect(configProblems({ 'project.yaml': PROJECT, 'dev.yaml': yaml })).toEqual([
      '<org>/dev.yaml:12: teams.research.settings.web-service.accessLogs.retentionDays: 0 is out of range: expected >= 1',
    ]);
  });

  test('GIVEN environment settings that fail only once merged WHEN loaded THEN each team reports its one problem, and nothing calls them unused', () => {
    expect(problemsOf({ 'settings.web-service': {} })).toEqual([expect.stringMatching(/^<org>\/dev\.yaml:\d+: settings\.web-service: choose https/)]);
    // Nor the compute sections of a workload whose settings failed.
    expect(problemsOf({ 'settings.web-service': {}, 'teams.research.compute': { web: { minCapacity: 1 } } })).toHaveLength(1);
  });

  test('GIVEN a bad environment default used by two teams WHEN loaded THEN it is reported once, at the environment line', () => {
    const problems = problemsOf({ 'settings.web-service': { plainHttp: true, accessLogs: { retentionDays: 0 } } });
    expect(problems).toEqual([expect.stringMatching(/^<org>\/dev\.yaml:\d+: settings\.web-service\.accessLogs\.retentionDays: 0 is out of range/)]);
  });
});
