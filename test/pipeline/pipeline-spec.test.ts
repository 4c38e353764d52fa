import { accessMatrix, pipelineMatrixProblems, tagGlobsFor, tagPrefixesFor, toolingMatrix } from '../../lib/pipeline-spec';
import { parseStackSelector } from '../../lib/stacks-selector';
import { stackMatrix } from '../../lib/stack-spec';
import { codePipelineGlobMatches, exampleOrg, orgWith } from './helpers';

const org = exampleOrg();

describe('toolingMatrix', () => {
  test('central layout: one tooling stack per environment, in the tooling account and region', () => {
    const specs = toolingMatrix(org);
    expect(specs.map((s) => s.stack)).toEqual(['tooling-dev', 'tooling-prod', 'tooling-qa', 'tooling-staging']);
    const dev = specs[0];
    expect(dev).toMatchObject({ region: 'us-east-1', account: '111122223333', tagPrefixes: ['dev_'], tagGlobs: ['dev_*/*/*'] });
    expect(dev.stacks.every((s) => s.environment === 'dev')).toBe(true);
    expect(dev.targets).toEqual([
      { team: 'research', account: '555555555555' },
      { team: 'risk', account: '444455556666' },
    ]);
  });

  test('regional layout: one per environment and region; the global region also serves global tags', () => {
    const regional = orgWith((f) => (f['project.yaml'] = f['project.yaml'].replace('layout: central', 'layout: regional')));
    const dev = toolingMatrix(regional).filter((s) => s.environment === 'dev');
    expect(dev.map((s) => [s.stack, s.scopes])).toEqual([
      ['tooling-dev-us-east-1', ['global', 'us-east-1']],
      ['tooling-dev-eu-central-1', ['eu-central-1']],
      ['tooling-dev-ap-southeast-1', ['ap-southeast-1']],
    ]);
    const apse1 = dev[2];
    expect(apse1.targets).toEqual([{ team: 'research', account: '555555555555' }]);
    expect(apse1.backend).toMatchObject({ bucket: 'org-awesome-tf-state-apse1-dev', key: 'tooling/dev/terraform.tfstate', region: 'ap-southeast-1' });
  });

  test('regional layout with a retired region: its pipeline stays, so the retirement can be released', () => {
    const retiring = orgWith((f) => {
      f['project.yaml'] = f['project.yaml'].replace('layout: central', 'layout: regional');
      f['dev.yaml'] = f['dev.yaml'].replace(
        'regions: [us-east-1, eu-central-1, ap-southeast-1]',
        'regions: [us-east-1, eu-central-1]\nretiredRegions: [ap-southeast-1]',
      );
    });
    const apse1 = toolingMatrix(retiring).find((s) => s.stack === 'tooling-dev-ap-southeast-1')!;
    expect(apse1.scopes).toEqual(['ap-southeast-1']);
    expect(apse1.stacks.map((s) => [s.stack, s.retired])).toEqual([
      ['research-dev-ap-southeast-1', true],
      ['risk-dev-ap-southeast-1', true],
    ]);
  });

  test('no pipeline section: no tooling and no access stacks', () => {
    const bare = orgWith((f) => (f['project.yaml'] = f['project.yaml'].slice(0, f['project.yaml'].indexOf('pipeline:'))));
    expect(toolingMatrix(bare)).toEqual([]);
    expect(accessMatrix(bare)).toEqual([]);
  });

  test('tooling and access stacks never share a state key with a workload stack or each other', () => {
    expect(pipelineMatrixProblems(org)).toEqual([]);
    const keys = [...stackMatrix(org).map((s) => s.backend), ...toolingMatrix(org).map((s) => s.backend), ...accessMatrix(org).map((s) => s.backend)].map(
      (b) => `${b.bucket}/${b.key}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('tag filters', () => {
  test.each([
    ['dev', 'dev_us-east-1/research/1.0', true],
    ['dev', 'development_us-east-1/research/1.0', false],
    ['dev', 'dev-x_us-east-1/research/1.0', false],
    ['dev-x', 'dev-x_us-east-1/research/1.0', true],
  ])('environment %s: prefix and glob agree on %s (%s)', (env, tag, expected) => {
    expect(tagPrefixesFor(env, 'all').some((p) => tag.startsWith(p))).toBe(expected);
    expect(tagGlobsFor(env, 'all').some((g) => codePipelineGlobMatches(g, tag))).toBe(expected);
  });
});

describe('parseStackSelector', () => {
  const known = { workload: stackMatrix(org), tooling: toolingMatrix(org), access: accessMatrix(org) };
  test('unset selects everything; kinds and ids select their stacks', () => {
    expect(parseStackSelector(undefined, known).includes('workload', 'research-dev-global')).toBe(true);
    const tooling = parseStackSelector('tooling', known);
    expect(tooling.includes('tooling', 'tooling-prod')).toBe(true);
    expect(tooling.includes('workload', 'research-dev-global')).toBe(false);
    expect(tooling.wantsKind('access')).toBe(false);
    const one = parseStackSelector('tooling-dev,access-dev-risk', known);
    expect(one.includes('tooling', 'tooling-dev')).toBe(true);
    expect(one.includes('tooling', 'tooling-qa')).toBe(false);
    expect(one.wantsKind('access')).toBe(true);
    expect(one.wantsKind('workload')).toBe(false);
  });
  test('an item that names nothing fails instead of synthesizing nothing', () => {
    expect(() => parseStackSelector('tooling-dve', known)).toThrow(
      /STACKS=tooling-dve: 'tooling-dve' is neither a stack kind \(workload, tooling, access\) nor a stack id or a glob matching one \(e.g. research-dev-/,
    );
    expect(() => parseStackSelector('nobody-*', known)).toThrow(/'nobody-\*' is neither a stack kind/);
  });
  test("the examples of an unknown item come from the organisation's own stacks", () => {
    const [first] = known.workload;
    const other = {
      workload: [{ ...first, stack: 'payments-live-eu-west-1', team: 'payments', environment: 'live' }],
      tooling: [],
      access: [],
    };
    expect(() => parseStackSelector('nobody', other)).toThrow(
      "STACKS=nobody: 'nobody' is neither a stack kind (workload, tooling, access) nor a stack id or a glob matching one (e.g. payments-live-eu-west-1, 'payments-live-*'; see multiregion matrix)",
    );
    expect(() => parseStackSelector('nobody', { workload: [], tooling: [], access: [] })).toThrow(
      /matching one \(this organisation has no stacks; see multiregion matrix\)$/,
    );
  });
  test('a glob selects the stack ids it matches, of every kind, as cdktf deploy matches them', () => {
    const dev = parseStackSelector('research-dev-*,*-prod', known);
    expect(dev.includes('workload', 'research-dev-global')).toBe(true);
    expect(dev.includes('workload', 'research-dev-us-east-1')).toBe(true);
    expect(dev.includes('workload', 'risk-dev-global')).toBe(false);
    expect(dev.includes('tooling', 'tooling-prod')).toBe(true);
    expect(dev.includes('tooling', 'tooling-dev')).toBe(false);
    expect(dev.wantsKind('access')).toBe(false);
  });
});
