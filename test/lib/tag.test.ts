import fc from 'fast-check';
import { TagError } from '../../lib/errors';
import { compareVersions, environmentOfTag, formatReleaseTag, parseReleaseTag, tryParseReleaseTag } from '../../lib/tag';

describe('parseReleaseTag', () => {
  test.each([
    ['dev_us-east-1/research/1.0', { environment: 'dev', scope: 'us-east-1', team: 'research', version: '1.0' }],
    ['dev_global/research/1.0', { environment: 'dev', scope: 'global', team: 'research', version: '1.0' }],
    ['prod_ap-southeast-1/risk/2.3.1', { environment: 'prod', scope: 'ap-southeast-1', team: 'risk', version: '2.3.1' }],
    ['qa-2_us-gov-west-1/data-eng/10.20.30-rc.1', { environment: 'qa-2', scope: 'us-gov-west-1', team: 'data-eng', version: '10.20.30-rc.1' }],
    ['refs/tags/dev_eu-central-1/risk/1.0', { environment: 'dev', scope: 'eu-central-1', team: 'risk', version: '1.0' }],
    ['staging_eu-central-1/risk/0.1-Beta-2', { environment: 'staging', scope: 'eu-central-1', team: 'risk', version: '0.1-Beta-2' }],
  ])('GIVEN %s WHEN parsed THEN its parts are returned', (tag, expected) => {
    expect(parseReleaseTag(tag)).toEqual(expected);
  });

  test.each([
    ['', 'the tag is empty'],
    ['dev_us-east-1/research/1.0;rm -rf /', "it contains ';'"],
    ['dev_us-east-1/research/$(id)', "it contains '$'"],
    ['dev_us-east-1/research/`id`', "it contains '`'"],
    ['dev_us-east-1/research/1.0 ', 'it contains a space'],
    ['dev_us-east-1/research/1.0\n', 'it contains a line break'],
    ['dev_us-east-1/research/1.0|cat', "it contains '|'"],
    ['dev_us-east-1/research/1.0&&x', "it contains '&'"],
    ['dev_us-east-1/../1.0', "it contains '..'"],
    ['dev_us-east-1/research/1.0-rc..1', "it contains '..'"],
    ['dev_us-east-1//1.0', 'the team is empty'],
    ['_us-east-1/research/1.0', 'the environment is empty'],
    ['dev_/research/1.0', 'the scope is empty'],
    ['dev_us-east-1/research/', 'the version is empty'],
    ['Dev_us-east-1/research/1.0', "the environment 'Dev' is not valid"],
    ['dev_US-EAST-1/research/1.0', "the scope 'US-EAST-1' is not valid"],
    ['dev_us-east-1/Research/1.0', "the team 'Research' is not valid"],
    ['dev_us-east-1/research/1.0/extra', "it has 4 '/'-separated parts, expected 3"],
    ['dev_us-east-1/research', "it has 2 '/'-separated parts, expected 3"],
    ['dev-us-east-1/research/1.0', "has no '_' between environment and scope"],
    ['dev_us_east-1/research/1.0', "has more than one '_'"],
    ['dev_us-east-1/re_search/1.0', "'_' may only separate environment and scope"],
    ['dev_useast1/research/1.0', "the scope 'useast1' is not valid"],
    ['dev_us-east-1/research/1', "the version '1' is not valid"],
    ['dev_us-east-1/research/1.0.0.0', "the version '1.0.0.0' is not valid"],
    ['dev_us-east-1/research/01.0', "the version '01.0' is not valid"],
    ['dev_us-east-1/research/v1.0', "the version 'v1.0' is not valid"],
    ['dev_us-east-1/research/1.0-', "the version '1.0-' is not valid"],
    ['dev_us-east-1/research/1.0+build', "it contains '+'"],
    ['1dev_us-east-1/research/1.0', "the environment '1dev' is not valid"],
    [`dev_us-east-1/research/1.0-${'a'.repeat(130)}`, 'longer than 128 characters'],
  ])('GIVEN the malformed tag %j WHEN parsed THEN it is rejected naming the part (%s)', (tag, fragment) => {
    expect(() => parseReleaseTag(tag)).toThrow(TagError);
    expect(() => parseReleaseTag(tag)).toThrow(fragment);
  });

  test('GIVEN a tag with control characters WHEN rejected THEN the message shows them escaped on one line', () => {
    const error = (() => {
      try {
        parseReleaseTag('dev_us-east-1/research/1.0\u001b[31m');
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a TagError');
    })();
    expect([...error.message].some((ch) => ch.charCodeAt(0) < 0x20)).toBe(false);
    expect(error.message).toContain('control character U+001B');
  });
});

describe('properties of the grammar (the security boundary)', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
  const region = fc.constantFrom('us-east-1', 'eu-central-1', 'ap-southeast-1', 'us-gov-west-1', 'global');
  const num = fc.nat({ max: 999 }).map(String);
  const version = fc
    .tuple(num, num, fc.option(num), fc.option(fc.stringMatching(/^[0-9A-Za-z-]{1,6}(\.[0-9A-Za-z-]{1,6}){0,2}$/)))
    .map(([a, b, c, pre]) => `${a}.${b}${c === null ? '' : `.${c}`}${pre === null ? '' : `-${pre}`}`);

  test('GIVEN any tag built from valid parts WHEN parsed and formatted THEN it round-trips', () => {
    fc.assert(
      fc.property(name, region, name, version, (environment, scope, team, v) => {
        const text = `${environment}_${scope}/${team}/${v}`;
        const parsed = parseReleaseTag(text);
        expect(parsed).toEqual({ environment, scope, team, version: v });
        expect(formatReleaseTag(parsed)).toBe(text);
      }),
    );
  });

  test('GIVEN any string WHEN it parses as a tag THEN it holds no shell metacharacter, whitespace or ..', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const parsed = tryParseReleaseTag(text);
        if (parsed !== undefined) {
          const body = text.replace(/^refs\/tags\//, '');
          expect(body).toMatch(/^[A-Za-z0-9._/-]+$/);
          expect(body).not.toContain('..');
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('GIVEN a valid tag WHEN any character is replaced by a shell metacharacter THEN it is rejected', () => {
    fc.assert(
      fc.property(name, name, fc.constantFrom(...'$`;|&<>(){}[]*?!~#\'"\\ \t\n'.split('')), fc.nat(), (environment, team, meta, at) => {
        const text = `${environment}_us-east-1/${team}/1.0`;
        const i = at % text.length;
        expect(tryParseReleaseTag(text.slice(0, i) + meta + text.slice(i + 1))).toBeUndefined();
      }),
    );
  });
});

describe('formatReleaseTag', () => {
  test('GIVEN valid parts WHEN formatted THEN the tag is returned', () => {
    expect(formatReleaseTag({ environment: 'dev', scope: 'global', team: 'risk', version: '1.2' })).toBe('dev_global/risk/1.2');
  });
  test('GIVEN a part with a separator in it WHEN formatted THEN it is rejected', () => {
    expect(() => formatReleaseTag({ environment: 'dev', scope: 'us-east-1', team: 'risk/x', version: '1.0' })).toThrow(TagError);
    expect(() => formatReleaseTag({ environment: 'dev_x', scope: 'us-east-1', team: 'risk', version: '1.0' })).toThrow(TagError);
  });
});

describe('compareVersions', () => {
  test('GIVEN versions WHEN sorted THEN they follow semver precedence', () => {
    const sorted = ['1.10', '1.0-rc.1', '1.9', '1.0', '2.0.0-alpha', '1.0-rc.10', '1.0-rc.2', '1.0-beta', '1.9.1', '2.0'].sort(compareVersions);
    expect(sorted).toEqual(['1.0-beta', '1.0-rc.1', '1.0-rc.2', '1.0-rc.10', '1.0', '1.9', '1.9.1', '1.10', '2.0.0-alpha', '2.0']);
  });
});

describe('environmentOfTag', () => {
  test.each([
    ['dev_us-east-1/research/1.0', 'dev'],
    ['prod-eu_global/risk/2.1.3', 'prod-eu'],
    ['HEAD', undefined],
    ['Dev_us-east-1/research/1.0', undefined],
    [undefined, undefined],
  ])('GIVEN %s THEN the environment is %s', (tag, environment) => {
    expect(environmentOfTag(tag)).toBe(environment);
  });
});
