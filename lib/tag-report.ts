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
