import type { Organisation } from './config';
import { stackMatrix, stackSpecForTag } from './stack-spec';
import { compareVersions, formatReleaseTag, parseReleaseTag, tryParseReleaseTag, type ReleaseTag } from './tag';

/** What `tag explain` and `tag list` report about release tags (pure: the CLI reads git and prints). */

/** What a tag deploys, in the shape `tag explain --json` prints. */
export interface TagExplanation {
  tag: string;
  environment: string;
  scope: 'regional' | 'global';
  region: string;
  team: string;
  version: string;
  stack: string;
  account: string;
  roleArn: string;
  backend: { bucket: string; key: string; region: string; dynamodbTable: string | null; useLockfile: boolean; kmsKeyId: string };
}

export function explainTag(org: Organisation, tag: string): TagExplanation {
  const parsed = parseReleaseTag(tag);
  const spec = stackSpecForTag(org, parsed);
  return {
    tag: formatReleaseTag(parsed),
    environment: spec.environment,
    scope: spec.scope,
    region: spec.region,
    team: spec.team,
    version: parsed.version,
    stack: spec.stack,
    account: spec.account,
    roleArn: spec.roleArn,
    backend: { ...spec.backend },
  };
}

/** A stack's release tags, as `tag list` groups them. */
export interface ListedStack {
  stack: string;
  environment: string;
  scope: 'regional' | 'global';
  region: string;
  team: string;
  /** Whether the organisation config still has this stack. */
  configured: boolean;
  latest: string;
  latestTag: string;
  versions: string[];
}

export function listReleaseTags(org: Organisation, tagNames: readonly string[]): { stacks: ListedStack[]; ignored: string[] } {
  const known = new Map(stackMatrix(org).map((s) => [s.stack, s]));
  const byStack = new Map<string, { parsed: ReleaseTag; versions: string[] }>();
  const ignored: string[] = [];
  for (const name of tagNames) {
    const parsed = tryParseReleaseTag(name);
    if (parsed === undefined) {
      ignored.push(name);
      continue;
    }
    const id = `${parsed.team}-${parsed.environment}-${parsed.scope}`;
    const entry = byStack.get(id) ?? { parsed, versions: [] };
    entry.versions.push(parsed.version);
    byStack.set(id, entry);
  }
  const stacks = [...byStack.entries()]
    .map(([id, { parsed, versions }]) => {
      versions.sort(compareVersions);
      const latest = versions[versions.length - 1];
      const spec = known.get(id);
      return {
        stack: id,
        environment: parsed.environment,
        scope: parsed.scope === 'global' ? ('global' as const) : ('regional' as const),
        region: spec?.region ?? (parsed.scope === 'global' ? org.project.globalRegion : parsed.scope),
        team: parsed.team,
        configured: spec !== undefined,
        latest,
        latestTag: `${parsed.environment}_${parsed.scope}/${parsed.team}/${latest}`,
        versions,
      };
    })
    .sort((a, b) => a.stack.localeCompare(b.stack));
  return { stacks, ignored: ignored.sort() };
}

/**
 * A stack with release tags that left the matrix without being retired: its resources and state
 * are orphaned (nothing will ever destroy them). One problem per such stack, with the two ways
 * out; and one per `removedStacks` entry that is still in the matrix.
 */
export function orphanedStackProblems(org: Organisation, tagNames: readonly string[]): string[] {
  const { stacks } = listReleaseTags(org, tagNames);
  const removed = new Set(org.project.removedStacks);
  const known = new Set(stackMatrix(org).map((s) => s.stack));
  const orphans = stacks
    .filter((s) => !s.configured && !removed.has(s.stack))
    .map(
      (s) =>
        `${s.stack}: has release tags up to ${s.latestTag} but is no longer in the config: retire its region (retiredRegions in ${s.environment}.yaml, see docs/regions.md) so that a release destroys its resources, or, if nothing of it is deployed, confirm with removedStacks: [${s.stack}] in project.yaml`,
    );
  const stale = [...removed]
    .filter((stack) => known.has(stack))
    .map((stack) => `project.yaml: removedStacks lists ${stack}, which is in the config: take it out of removedStacks`);
  return [...orphans, ...stale];
}
