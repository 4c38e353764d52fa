import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing, type App } from 'cdktf';
import { loadOrganisation, type Organisation } from '../../lib/config';
import { accessMatrix, toolingMatrix, type AccessSpec, type ToolingSpec } from '../../lib/pipeline-spec';
import { AccessStack } from '../../stacks/access-stack';
import { ToolingStack } from '../../stacks/tooling-stack';

export const REPO = path.resolve(__dirname, '..', '..');
export const EXAMPLE_ORG = path.join(REPO, 'environments');

/**
 * EventBridge pattern matching, as the service documents it: every key of the pattern must be
 * present in the event; an array matches when any element matches (a string or number exactly,
 * `{prefix}` as a string prefix, `{"anything-but": [...]}` as exclusion); objects nest; an event
 * value that is an array matches when any of its elements matches.
 */
export function eventPatternMatches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (!(key in event)) return false;
    const actual = event[key];
    if (Array.isArray(expected)) {
      const values = Array.isArray(actual) ? actual : [actual];
      return values.some((value) => expected.some((rule) => ruleMatches(rule, value)));
    }
    if (expected !== null && typeof expected === 'object') {
      return actual !== null && typeof actual === 'object' && eventPatternMatches(expected as Record<string, unknown>, actual as Record<string, unknown>);
    }
    throw new Error(`pattern value of ${key} must be an array or an object`);
  });
}

function ruleMatches(rule: unknown, value: unknown): boolean {
  if (rule !== null && typeof rule === 'object') {
    const r = rule as Record<string, unknown>;
    if ('prefix' in r) return typeof value === 'string' && value.startsWith(String(r.prefix));
    if ('anything-but' in r) return !(r['anything-but'] as unknown[]).includes(value);
    throw new Error(`unsupported content filter ${JSON.stringify(rule)}`);
  }
  return rule === value;
}

/**
 * CodePipeline trigger glob matching (userguide "Working with glob patterns in syntax"): `*`
 * matches within one `/`-separated segment, `**` across segments, `?` one character, `\` escapes.
 */
export function codePipelineGlobMatches(glob: string, text: string): boolean {
  let regex = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\') regex += `\\${glob[++i]}`;
    else if (ch === '*' && glob[i + 1] === '*') {
      regex += '.*';
      i++;
    } else if (ch === '*') regex += '[^/]*';
    else if (ch === '?') regex += '[^/]';
    else regex += ch.replace(/[.+^${}()|[\]]/g, '\\$&');
  }
  return new RegExp(`^${regex}$`).test(text);
}

/** A CodeCommit tag event as EventBridge delivers it. */
export function codeCommitTagEvent(repositoryArn: string, tag: string, event = 'referenceCreated'): Record<string, unknown> {
  return {
    source: 'aws.codecommit',
    'detail-type': 'CodeCommit Repository State Change',
    resources: [repositoryArn],
    detail: {
      event,
      referenceType: 'tag',
      referenceName: tag,
      referenceFullName: `refs/tags/${tag}`,
      commitId: 'a'.repeat(40),
      repositoryName: repositoryArn.split(':').pop(),
    },
  };
}

export function exampleOrg(): Organisation {
  return loadOrganisation(EXAMPLE_ORG);
}

/** A copy of the example organisation with files replaced or edited, in a temp dir. */
export function orgWith(edit: (files: Record<string, string>) => void): Organisation {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-org-'));
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(EXAMPLE_ORG)) {
    if (name.endsWith('.yaml')) files[name] = fs.readFileSync(path.join(EXAMPLE_ORG, name), 'utf8');
  }
  edit(files);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return loadOrganisation(dir);
}

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function toolingSpec(org: Organisation, stack: string): ToolingSpec {
  const spec = toolingMatrix(org).find((s) => s.stack === stack);
  if (spec === undefined) throw new Error(`no tooling stack ${stack}`);
  return spec;
}

export function accessSpec(org: Organisation, stack: string): AccessSpec {
  const spec = accessMatrix(org).find((s) => s.stack === stack);
  if (spec === undefined) throw new Error(`no access stack ${stack}`);
  return spec;
}

export function synthTooling(org: Organisation, stack: string, localStatePath?: string): Json {
  const app = Testing.app({ stackTraces: false }) as App;
  return JSON.parse(Testing.synth(new ToolingStack(app, { org, spec: toolingSpec(org, stack), localStatePath }))) as Json;
}

export function synthAccess(org: Organisation, stack: string): Json {
  const app = Testing.app({ stackTraces: false }) as App;
  return JSON.parse(Testing.synth(new AccessStack(app, { org, spec: accessSpec(org, stack) }))) as Json;
}

/** The only resource of a type (fails when there are several). */
export function only(json: Json, type: string): Json {
  const all = Object.values(json.resource?.[type] ?? {}) as Json[];
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

export function resources(json: Json, type: string): Json[] {
  return Object.values(json.resource?.[type] ?? {}) as Json[];
}

/** A resource by the id given to its construct (`plan-role`, or the path prefix of nested ones). */
export function byId(json: Json, type: string, id: string): Json {
  const entries = Object.entries(json.resource?.[type] ?? {}) as [string, Json][];
  const found = entries.filter(([key]) => key === id || key.startsWith(`${id}_`));
  if (found.length !== 1) throw new Error(`expected one ${type} with id ${id}, found ${found.map(([k]) => k).join(', ') || 'none'}`);
  return found[0][1];
}

/** The IAM policy document of an inline role policy. */
export function rolePolicy(json: Json, id: string): { Statement: Json[] } {
  return JSON.parse(byId(json, 'aws_iam_role_policy', id).policy as string) as { Statement: Json[] };
}

/** Every Resource ARN of a policy's Allow statements for an action. */
export function allowedResources(policy: { Statement: Json[] }, action: string): string[] {
  return policy.Statement.filter((s) => s.Effect === 'Allow' && (s.Action as string[]).includes(action)).flatMap(
    (s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]) as string[],
  );
}
