import { TagError } from './errors';
import { NAME_PATTERN } from './name-rules';

/**
 * The release tag grammar: `<env>_<scope>/<team>/<version>`.
 *
 * Tags reach shell commands in CI, so this grammar is the security boundary: only lower-case
 * names, a region or `global`, and a version made of digits, dots and a restricted prerelease.
 * Everything else is rejected here, before any file is written or any command runs.
 */
export interface ReleaseTag {
  readonly environment: string;
  /** `global`, or a region name. */
  readonly scope: string;
  readonly team: string;
  readonly version: string;
}

export const GLOBAL_SCOPE = 'global';
export const MAX_TAG_LENGTH = 128;

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;
const NUMBER = '(0|[1-9][0-9]*)';
const VERSION_PATTERN = new RegExp(`^${NUMBER}\\.${NUMBER}(\\.${NUMBER})?(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$`);
const ALLOWED_CHARS = /^[A-Za-z0-9._/-]$/;

const EXPECTED = `expected <env>_<region|global>/<team>/<version>, e.g. dev_us-east-1/research/1.0`;

function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  if (ch === '\n' || ch === '\r') return 'a line break';
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `'${ch}'`;
}

/** Shows a hostile tag safely inside an error message (no control characters, bounded length). */
export function quoteTag(raw: string): string {
  const printable = raw.replace(/[^\x20-\x7e]/g, '?');
  return `'${printable.length > 80 ? `${printable.slice(0, 77)}...` : printable}'`;
}

/** Checks a version string: MAJOR.MINOR or MAJOR.MINOR.PATCH, optional -prerelease. */
export function versionProblem(version: string): string | undefined {
  if (version === '') return 'the version is empty (expected MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. 1.0 or 2.3.1-rc.1)';
  if (!VERSION_PATTERN.test(version)) {
    return `the version '${version}' is not valid (expected MAJOR.MINOR or MAJOR.MINOR.PATCH without leading zeros, optionally -prerelease of letters, digits, '.' and '-', e.g. 1.0 or 2.3.1-rc.1)`;
  }
  return undefined;
}

/** Checks an environment or team name. */
export function nameProblem(kind: 'environment' | 'team', name: string): string | undefined {
  if (name === '') return `the ${kind} is empty (expected lower-case letters, digits and hyphens, starting with a letter)`;
  if (!NAME_PATTERN.test(name)) {
    return `the ${kind} '${name}' is not valid (expected lower-case letters, digits and hyphens, starting with a letter)`;
  }
  return undefined;
}

/** Checks a scope: `global` or a region-shaped name (whether the region is configured is checked later). */
export function scopeProblem(scope: string): string | undefined {
  if (scope === '') return `the scope is empty (expected 'global' or a region such as us-east-1)`;
  if (scope !== GLOBAL_SCOPE && !REGION_PATTERN.test(scope)) {
    return `the scope '${scope}' is not valid (expected 'global' or a region such as us-east-1)`;
  }
  return undefined;
}

/**
 * Parses a release tag by grammar alone. Throws a TagError naming the part that is wrong.
 * Accepts `refs/tags/<tag>` as CodeCommit and git events spell it.
 */
/**
 * The environment a release tag names, read from its first part only (`dev` of
 * `dev_us-east-1/research/1.0`), to load that environment's config before the whole tag is
 * checked against it; undefined when the text does not start like a tag.
 */
export function environmentOfTag(input: string | undefined): string | undefined {
  return /^([a-z][a-z0-9-]*)_/.exec(input ?? '')?.[1];
}

export function parseReleaseTag(input: string): ReleaseTag {
  const raw = input.startsWith('refs/tags/') ? input.slice('refs/tags/'.length) : input;
  const fail = (why: string): never => {
    throw new TagError(`invalid release tag ${quoteTag(input)}: ${why}`);
  };
  if (raw === '') fail(`the tag is empty (${EXPECTED})`);
  if (raw.length > MAX_TAG_LENGTH) fail(`the tag is longer than ${MAX_TAG_LENGTH} characters`);
  for (const ch of raw) {
    if (!ALLOWED_CHARS.test(ch)) fail(`it contains ${describeChar(ch)}, which a release tag never has (${EXPECTED})`);
  }
  if (raw.includes('..')) fail(`it contains '..' (${EXPECTED})`);
  const segments = raw.split('/');
  if (segments.length !== 3) {
    fail(`it has ${segments.length} '/'-separated part${segments.length === 1 ? '' : 's'}, expected 3 (${EXPECTED})`);
  }
  const [target, team, version] = segments;
  const underscore = target.indexOf('_');
  if (underscore < 0) fail(`the first part '${target}' has no '_' between environment and scope (${EXPECTED})`);
  if (target.indexOf('_', underscore + 1) >= 0) fail(`the first part '${target}' has more than one '_' (${EXPECTED})`);
  if (team.includes('_') || version.includes('_')) fail(`'_' may only separate environment and scope (${EXPECTED})`);
  const environment = target.slice(0, underscore);
  const scope = target.slice(underscore + 1);
  const problem = nameProblem('environment', environment) ?? scopeProblem(scope) ?? nameProblem('team', team) ?? versionProblem(version);
  if (problem !== undefined) fail(problem);
  return { environment, scope, team, version };
}

/** Formats a tag from its parts, validating each part with the same grammar as the parser. */
export function formatReleaseTag(tag: ReleaseTag): string {
  const text = `${tag.environment}_${tag.scope}/${tag.team}/${tag.version}`;
  const parsed = parseReleaseTag(text);
  if (parsed.environment !== tag.environment || parsed.scope !== tag.scope || parsed.team !== tag.team || parsed.version !== tag.version) {
    throw new TagError(`invalid release tag ${quoteTag(text)}: its parts do not round-trip`);
  }
  return text;
}

/** Returns the parsed tag, or undefined when the text does not follow the grammar. */
export function tryParseReleaseTag(input: string): ReleaseTag | undefined {
  try {
    return parseReleaseTag(input);
  } catch (error) {
    if (error instanceof TagError) return undefined;
    throw error;
  }
}

/** Orders versions as semver does: numbers numerically, a prerelease before its release. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string): { nums: number[]; pre: string[] } => {
    const dash = v.indexOf('-');
    const core = dash < 0 ? v : v.slice(0, dash);
    const pre = dash < 0 ? [] : v.slice(dash + 1).split('.');
    const nums = core.split('.').map(Number);
    while (nums.length < 3) nums.push(0);
    return { nums, pre };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < 3; i++) {
    if (x.nums[i] !== y.nums[i]) return x.nums[i] - y.nums[i];
  }
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    if (i >= x.pre.length) return -1;
    if (i >= y.pre.length) return 1;
    const p = x.pre[i];
    const q = y.pre[i];
    const pn = /^[0-9]+$/.test(p);
    const qn = /^[0-9]+$/.test(q);
    if (pn && qn && Number(p) !== Number(q)) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  // 1.0 and 1.0.0 are the same release; keep the order stable by text.
  return a === b ? 0 : a < b ? -1 : 1;
}
