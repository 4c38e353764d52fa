import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { loadOrganisation } from '../../lib/config';
import { DEV, EXAMPLE_ENVIRONMENTS, PROJECT, configProblems, withChanges, writeOrg } from '../support/org';

const problemsOf = configProblems;

describe('loadOrganisation', () => {
  test('GIVEN the example organisation WHEN loaded THEN it has the seed article environments, teams and regions', () => {
    const org = loadOrganisation(EXAMPLE_ENVIRONMENTS);
    expect(org.environments.map((e) => e.name)).toEqual(['dev', 'prod', 'qa', 'staging']);
    for (const environment of org.environments) {
      // qa is retiring ap-southeast-1 (docs/regions.md).
      expect([...environment.regions, ...environment.retiredRegions]).toEqual(['us-east-1', 'eu-central-1', 'ap-southeast-1']);
      expect(environment.teams.map((t) => t.name)).toEqual(['research', 'risk']);
      for (const team of environment.teams) expect(team.account).toMatch(/^[0-9]{12}$/);
    }
    expect(org.project).toMatchObject({ project: 'awsome-infra', globalRegion: 'us-east-1', deployRoleName: 'InfraBuildRole' });
    expect(org.project.backend).toEqual({ prefix: 'org-awesome-tf-state', layout: 'central', region: 'us-east-1', locking: 'lockfile' });
  });

  test('GIVEN a team without regions WHEN loaded THEN it gets every region of its environment, in order', () => {
    const org = loadOrganisation(writeOrg());
    const dev = org.environments[0];
    expect(dev.teams.find((t) => t.name === 'research')?.regions).toEqual(['us-east-1', 'eu-central-1']);
    expect(dev.teams.find((t) => t.name === 'risk')?.regions).toEqual(['us-east-1']);
  });

  test('GIVEN optional fields left out WHEN loaded THEN the documented defaults apply', () => {
    const project = withChanges(PROJECT, { 'backend.layout': undefined, 'backend.locking': undefined });
    const org = loadOrganisation(writeOrg({ 'project.yaml': project, 'dev.yaml': DEV }));
    expect(org.project.backend.layout).toBe('central');
    expect(org.project.backend.locking).toBe('lockfile');
    expect(org.environments[0].teams[0].network).toEqual({ cidr: '10.0.0.0/16', maxAzs: 3, natGateways: 'per-az' });
  });

  test('GIVEN network settings on environment and team WHEN loaded THEN the team overrides the environment', () => {
    const dev = withChanges(DEV, { network: { natGateways: 'single', maxAzs: 2 }, 'teams.risk.network': { cidr: '10.1.0.0/16' } });
    const org = loadOrganisation(writeOrg({ 'project.yaml': PROJECT, 'dev.yaml': dev }));
    const risk = org.environments[0].teams.find((t) => t.name === 'risk');
    expect(risk?.network).toEqual({ cidr: '10.1.0.0/16', maxAzs: 2, natGateways: 'single' });
  });
});

describe('loading one environment', () => {
  test('GIVEN a broken qa.yaml WHEN dev is loaded alone THEN it loads; WHEN everything is loaded THEN qa.yaml is named', () => {
    const dir = writeOrg({ 'project.yaml': PROJECT, 'dev.yaml': DEV, 'qa.yaml': 'regions: [us-east-1\n' });
    expect(loadOrganisation(dir, { environment: 'dev' }).environments.map((e) => e.name)).toEqual(['dev']);
    expect(() => loadOrganisation(dir)).toThrow(/qa\.yaml:\d+: invalid YAML/);
  });

  test('GIVEN an environment with no file THEN every file is read, so the unknown environment is reported with the known ones', () => {
    const dir = writeOrg({ 'project.yaml': PROJECT, 'dev.yaml': DEV, 'qa.yaml': DEV });
    expect(loadOrganisation(dir, { environment: 'staging' }).environments.map((e) => e.name)).toEqual(['dev', 'qa']);
  });
});

describe('validation fails closed, one line per problem naming file, line, field and expectation', () => {
  test.each<[string, Record<string, string | object>, RegExp]>([
    [
      'a missing field',
      { 'project.yaml': withChanges(PROJECT, { deployRoleName: undefined }), 'dev.yaml': DEV },
      /^<org>\/project\.yaml:1: \(top level\): missing field 'deployRoleName'(: add it \(.+\))?$/,
    ],
    [
      "a team's missing account, with what to write",
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { 'teams.risk.account': undefined }) },
      /^<org>\/dev\.yaml:\d+: teams\.risk: missing field 'account': add it \(The team's workload account, where its stacks deploy: a 12-digit AWS account id in quotes, e\.g\. account: "123456789012"\)$/,
    ],
    [
      'an unknown field',
      { 'project.yaml': { ...PROJECT, regoin: 'x' }, 'dev.yaml': DEV },
      /^<org>\/project\.yaml:\d+: regoin: unknown field \(expected one of: project, backend, tooling, globalRegion, deployRoleName, tags[,)]/,
    ],
    [
      'an unknown nested field',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { 'teams.risk.acount': '1' }) },
      /dev\.yaml:\d+: teams\.risk\.acount: unknown field \(expected one of: account, regions, network, tags[,)]/,
    ],
    [
      'an unquoted account id',
      { 'project.yaml': PROJECT, 'dev.yaml': 'regions: [us-east-1]\nteams:\n  risk:\n    account: 012345678901\n' },
      /^<org>\/dev\.yaml:4: teams\.risk\.account: account id 012345678901 is a number to YAML \(an unquoted number drops leading zeros\): quote it as a 12-digit string, "012345678901"$/,
    ],
    [
      'a short account id',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { 'teams.risk.account': '12345' }) },
      /teams\.risk\.account: '12345' is not valid: expected a quoted 12-digit account id/,
    ],
    [
      'an unknown region',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { regions: ['us-east-1', 'eu-centrall-1'] }) },
      /dev\.yaml:\d+: regions\[1\]: unknown AWS region 'eu-centrall-1' \(did you mean eu-central-1\? expected a real region such as us-east-1\)$/,
    ],
    [
      'an unknown region with network ranges allocated from a base range',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { regions: ['us-east-1', 'eu-centrall-1'], 'network.baseRange': '10.16.0.0/12' }) },
      /dev\.yaml:\d+: regions\[1\]: unknown AWS region 'eu-centrall-1'/,
    ],
    [
      'a region-shaped typo',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { regions: ['us-east1'] }) },
      /regions\[0\]: 'us-east1' is not valid: expected an AWS region name such as us-east-1/,
    ],
    [
      'an unknown global region',
      { 'project.yaml': withChanges(PROJECT, { globalRegion: 'us-north-9' }), 'dev.yaml': DEV },
      /project\.yaml:\d+: globalRegion: unknown AWS region 'us-north-9' \(did you mean eu-north-1\? expected a real region such as us-east-1\)$/,
    ],
    [
      'a team region outside the environment',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { 'teams.risk.regions': ['ap-southeast-1'] }) },
      /teams\.risk\.regions\[0\]: region 'ap-southeast-1' is not enabled for environment 'dev' \(expected one of us-east-1, eu-central-1\)/,
    ],
    [
      'an environment name with upper case',
      { 'project.yaml': PROJECT, 'Dev.yaml': DEV },
      /<org>\/Dev\.yaml: environment name 'Dev' \(the file name\) is not valid/,
    ],
    ['an environment name with an underscore', { 'project.yaml': PROJECT, 'dev_1.yaml': DEV }, /environment name 'dev_1' \(the file name\) is not valid/],
    [
      'a team name with an underscore',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { 'teams.data_eng': { account: '123456789012' } }) },
      /teams: name 'data_eng' is not valid: expected lower-case letters, digits and hyphens/,
    ],
    [
      'a team named like the tooling stacks',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { 'teams.tooling': { account: '123456789012' } }) },
      /teams\.tooling: team name 'tooling' collides with the reserved stack prefix 'tooling-'/,
    ],
    [
      'a team named like the access stacks',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { 'teams.access-x': { account: '123456789012' } }) },
      /teams\.access-x: team name 'access-x' collides with the reserved stack prefix 'access-'/,
    ],
    [
      'duplicate regions',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { regions: ['us-east-1', 'eu-central-1', 'us-east-1'] }) },
      /regions: duplicate entry 'us-east-1' \(items 0 and 2\): list each once/,
    ],
    [
      'duplicate team regions',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { 'teams.risk.regions': ['us-east-1', 'us-east-1'] }) },
      /teams\.risk\.regions: duplicate entry 'us-east-1'/,
    ],
    [
      'an unknown enum value',
      { 'project.yaml': withChanges(PROJECT, { 'backend.locking': 'redis' }), 'dev.yaml': DEV },
      /backend\.locking: 'redis' is not allowed: expected one of lockfile, dynamodb, both/,
    ],
    [
      'a central layout without region',
      { 'project.yaml': withChanges(PROJECT, { 'backend.region': undefined }), 'dev.yaml': DEV },
      /backend: missing field 'region': the central layout keeps every bucket in one region/,
    ],
    [
      'a team in the tooling account',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { 'teams.risk.account': '111122223333' }) },
      /teams\.risk\.account: account 111122223333 is the tooling account/,
    ],
    ['invalid YAML', { 'project.yaml': PROJECT, 'dev.yaml': 'regions: [us-east-1\nteams: {}\n' }, /^<org>\/dev\.yaml:\d+: invalid YAML: /],
    [
      'a duplicate YAML key',
      { 'project.yaml': PROJECT, 'dev.yaml': 'regions: [us-east-1]\nregions: [eu-west-1]\nteams:\n  a:\n    account: "123456789012"\n' },
      /dev\.yaml:2: invalid YAML: Map keys must be unique/,
    ],
    ['a wrong type', { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { regions: 'us-east-1' }) }, /regions: expected an array, got string "us-east-1"/],
    ['an empty teams map', { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { teams: {} }) }, /teams: expected at least 1 entry/],
    [
      'a CIDR with host bits',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { network: { cidr: '10.0.0.1/16' } }) },
      /network\.cidr: '10\.0\.0\.1\/16' has host bits set/,
    ],
    [
      'too many zones',
      { 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, { network: { maxAzs: 9 } }) },
      /network\.maxAzs: 9 is out of range: expected <= 6/,
    ],
    ['no project.yaml', { 'dev.yaml': DEV }, /^<org>\/project\.yaml: missing/],
    ['no environment', { 'project.yaml': PROJECT }, /^<org>: no environments/],
    [
      'the same environment twice',
      { 'project.yaml': PROJECT, 'dev.yaml': DEV, 'dev.yml': DEV },
      /dev\.yml: environment 'dev' is also defined by <org>\/dev\.yaml/,
    ],
    ['an environment named project-like reserved word', { 'project.yaml': PROJECT, 'global.yaml': DEV }, /global\.yaml: 'global' is reserved/],
  ])('GIVEN %s WHEN loaded THEN it is rejected', (_what, files, expected) => {
    const problems = problemsOf(files);
    expect(problems).toContainEqual(expect.stringMatching(expected));
    for (const p of problems) expect(p).not.toContain('\n');
  });

  test('GIVEN several problems in several files WHEN loaded THEN every one is reported', () => {
    const problems = problemsOf({
      'project.yaml': withChanges(PROJECT, { 'tooling.account': 1111 }),
      'dev.yaml': withChanges(DEV, { regions: ['us-east-1', 'mars-1'], 'teams.risk.account': 'x' }),
    });
    expect(problems).toHaveLength(3);
  });

  test('GIVEN a directory that does not exist WHEN loaded THEN the error names it and the setting', () => {
    expect(() => loadOrganisation('/nonexistent/org')).toThrow(/^\/nonexistent\/org: no such organisation directory .*ENVIRONMENTS_DIR/);
  });
});

describe('the JSON Schemas shipped for editors', () => {
  const schemaDir = path.join(EXAMPLE_ENVIRONMENTS, 'schema');

  test.each(['project.schema.json', 'environment.schema.json'])('GIVEN %s WHEN compiled strictly THEN it is a valid schema', (file) => {
    const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8')) as object;
    // strictRequired off: a workload's oneOf/anyOf may require fields its branches do not redeclare.
    expect(() => new Ajv({ strict: true, strictRequired: false }).compile(schema)).not.toThrow();
  });

  test('GIVEN the example files WHEN read THEN each points editors at its schema', () => {
    for (const file of fs.readdirSync(EXAMPLE_ENVIRONMENTS).filter((f) => f.endsWith('.yaml'))) {
      const first = fs.readFileSync(path.join(EXAMPLE_ENVIRONMENTS, file), 'utf8').split('\n')[0];
      const schema = file === 'project.yaml' ? 'project' : 'environment';
      expect(first).toBe(`# yaml-language-server: $schema=./schema/${schema}.schema.json`);
    }
  });
});
