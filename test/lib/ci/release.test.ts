import { resolveRelease, parseManifest } from '../../../lib/ci/release';
import { exampleOrg } from '../../pipeline/helpers';

const org = exampleOrg();
const COMMIT = 'c0ffee'.padEnd(40, '0');
const OTHER = 'bad'.padEnd(40, '1');
const dev = { environment: 'dev' };

describe('resolveRelease', () => {
  test('GIVEN a dev tag on the dev pipeline THEN it exports the stack, target and both roles', () => {
    const v = resolveRelease(org, dev, { tag: 'refs/tags/dev_eu-central-1/risk/1.2', commit: COMMIT, resolvedCommit: COMMIT }, 'InfraBuildRole-ReadOnly');
    expect(v).toEqual({
      TAG: 'dev_eu-central-1/risk/1.2',
      ENVIRONMENT: 'dev',
      SCOPE: 'eu-central-1',
      TEAM: 'risk',
      VERSION: '1.2',
      STACK: 'risk-dev-eu-central-1',
      STACK_DIR: 'cdktf.out/stacks/risk-dev-eu-central-1',
      TARGET_REGION: 'eu-central-1',
      TARGET_ACCOUNT: '444455556666',
      COMMIT,
      DEPLOY_ROLE_ARN: 'arn:aws:iam::444455556666:role/InfraBuildRole',
      PLAN_ROLE_ARN: 'arn:aws:iam::444455556666:role/InfraBuildRole-ReadOnly',
    });
  });

  test.each([
    [undefined, /no release tag: this execution was not started by pushing a release tag/],
    ['', /no release tag/],
    ['prod_us-east-1/research/1.0', /is for environment 'prod', this is the 'dev' pipeline/],
    ['development_us-east-1/research/1.0', /is for environment 'development', this is the 'dev' pipeline/],
    ['dev_us-east-1/research/1.0;rm', /contains ';'/],
    ['dev_ap-southeast-1/risk/1.0', /region 'ap-southeast-1' is not enabled for team 'risk'/],
    ['dev_us-east-1/nobody/1.0', /unknown team 'nobody'/],
  ])('GIVEN tag %s THEN it fails closed', (tag, message) => {
    expect(() => resolveRelease(org, dev, { tag, commit: COMMIT }, 'ro')).toThrow(message);
  });

  test('GIVEN a regional pipeline THEN a tag of another scope is refused', () => {
    expect(() => resolveRelease(org, { environment: 'dev', scopes: ['eu-central-1'] }, { tag: 'dev_global/research/1.0', commit: COMMIT }, 'ro')).toThrow(
      /targets 'global', this pipeline deploys eu-central-1/,
    );
    expect(resolveRelease(org, { environment: 'dev', scopes: ['global'] }, { tag: 'dev_global/research/1.0', commit: COMMIT }, 'ro').STACK).toBe(
      'research-dev-global',
    );
  });

  test('GIVEN the checkout differs from the tagged commit (tag moved) THEN it refuses', () => {
    expect(() => resolveRelease(org, dev, { tag: 'dev_global/research/1.0', commit: COMMIT, resolvedCommit: OTHER }, 'ro')).toThrow(
      /name different commits .* was the tag moved/,
    );
  });

  test('GIVEN a manifest of another tag THEN it refuses the mismatched source; the same tag passes', () => {
    const manifest = { tag: 'dev_global/research/0.9', commit: COMMIT, createdAt: '2026-01-01T00:00:00.000Z' };
    expect(() => resolveRelease(org, dev, { tag: 'dev_global/research/1.0', commit: COMMIT, manifest }, 'ro')).toThrow(
      /source artifact was made for 'dev_global\/research\/0.9'/,
    );
    expect(resolveRelease(org, dev, { tag: 'dev_global/research/0.9', commit: COMMIT, manifest }, 'ro').COMMIT).toBe(COMMIT);
  });

  test('GIVEN no commit at all, or a short one THEN it refuses', () => {
    expect(() => resolveRelease(org, dev, { tag: 'dev_global/research/1.0' }, 'ro')).toThrow(/no commit id/);
    expect(() => resolveRelease(org, dev, { tag: 'dev_global/research/1.0', commit: 'abc123' }, 'ro')).toThrow(/not a full commit id/);
  });
});

describe('parseManifest', () => {
  test('reads a manifest and rejects anything else', () => {
    expect(parseManifest('{"tag":"t","commit":"c","createdAt":"x"}', 'release.json')).toEqual({ tag: 't', commit: 'c', createdAt: 'x' });
    expect(() => parseManifest('nope', 'release.json')).toThrow(/release.json: not JSON/);
    expect(() => parseManifest('{"tag":1}', 'release.json')).toThrow(/expected string fields/);
  });
});
