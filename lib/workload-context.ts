import type { ComputeSettings, Organisation } from './config';
import { findEnvironment, findTeam } from './config';
import { boundedName } from './name-rules';
import { workloadInstanceProfileName, workloadRoleName } from './shared-names';
import { regionShortCode, type Partition } from './regions';
import type { StackSpec } from './stack-spec';

/**
 * Everything a workload may depend on, and nothing more: where it deploys, for whom, how the
 * organisation names and tags things. Plain data, the same for every part of one stack.
 */
export interface WorkloadContext {
  readonly project: string;
  readonly environment: string;
  /** The environment is marked `production: true`: turn on production safeguards. */
  readonly production: boolean;
  readonly team: string;
  /** `global` for the team's global stack, else `regional`. */
  readonly scope: 'global' | 'regional';
  /** The region the stack's provider targets (the global region for the global stack). */
  readonly region: string;
  /** Where global stacks deploy from. */
  readonly globalRegion: string;
  /** The team's workload account. */
  readonly account: string;
  readonly partition: Partition;
  /** Every region of the team, in the environment's order (retired regions excluded). */
  readonly teamRegions: readonly string[];
  /** The tags every resource carries through the provider's default_tags, without Version. */
  readonly coreTags: Readonly<Record<string, string>>;
  /** The team's compute settings (environment defaults merged): the ABS vocabulary of compute.web, compute.batch, compute.plannedEvents. */
  readonly compute: ComputeSettings;
  /** The team's instance role and profile, created by its global stack (found by name). */
  readonly identity: { readonly roleName: string; readonly instanceProfileName: string };
  /** `<project>-<team>-<env>-<parts>`, at most `max` characters (hashed when longer). */
  name(parts: string | readonly string[], max?: number): string;
  /** Like `name` with the region's short code (use1, euc1) for regional resources named account-wide (IAM, S3). */
  regionalName(parts: string | readonly string[], max?: number): string;
}

/** The context of one stack: `tags` are the provider's default tags (see stacks/base-stack.ts). */
export function workloadContextFor(org: Organisation, spec: StackSpec, tags: Readonly<Record<string, string>>): WorkloadContext {
  const environment = findEnvironment(org, spec.environment);
  const team = environment === undefined ? undefined : findTeam(environment, spec.team);
  if (environment === undefined || team === undefined)
    throw new Error(`no team ${spec.team} in ${spec.environment} (the spec was not made from this organisation)`);
  const project = org.project.project;
  const base = [project, spec.team, spec.environment];
  const list = (parts: string | readonly string[]): readonly string[] => (typeof parts === 'string' ? [parts] : parts);
  const coreTags = Object.fromEntries(Object.entries(tags).filter(([key]) => key !== 'Version'));
  return {
    project,
    environment: spec.environment,
    production: environment.production,
    team: spec.team,
    scope: spec.scope,
    region: spec.region,
    globalRegion: org.project.globalRegion,
    account: spec.account,
    partition: spec.partition,
    teamRegions: team.regions,
    coreTags,
    compute: team.compute,
    identity: {
      roleName: workloadRoleName(project, spec.environment, spec.team),
      instanceProfileName: workloadInstanceProfileName(project, spec.environment, spec.team),
    },
    name: (parts, max = 64) => boundedName([...base, ...list(parts)], max),
    regionalName: (parts, max = 64) => boundedName([...base, regionShortCode(spec.region), ...list(parts)], max),
  };
}
