import type { Organisation } from './config';
import { findEnvironment, findTeam } from './config';
import { UserError } from './errors';
import { stackSpecForTag, type StackSpec } from './stack-spec';
import { formatReleaseTag, GLOBAL_SCOPE, nameProblem, parseReleaseTag, versionProblem } from './tag';

export interface ReleaseRequest {
  readonly environment: string;
  readonly team: string;
  readonly version: string;
  /** Regions to release: a list, `all` (the team's regions), or none. */
  readonly regions: readonly string[] | 'all' | undefined;
  readonly global: boolean;
  /** Release retired regions too: their apply destroys every resource of the stack. @default false */
  readonly confirmRetired?: boolean;
}

export interface PlannedTag {
  readonly tag: string;
  readonly spec: StackSpec;
}

/**
 * The tags of one release, global first (regional stacks may depend on global resources such as
 * the instance profile), then the regions in the environment's order. Every tag is validated
 * before any is returned; a tag that already exists is an error for the whole release.
 */
export function planRelease(org: Organisation, request: ReleaseRequest, existingTags: readonly string[]): PlannedTag[] {
  const problems: string[] = [];
  for (const problem of [nameProblem('environment', request.environment), nameProblem('team', request.team), versionProblem(request.version)]) {
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length > 0) throw new UserError(problems);
  const environment = findEnvironment(org, request.environment);
  if (environment === undefined)
    throw new UserError(`unknown environment '${request.environment}' (expected one of ${org.environments.map((e) => e.name).join(', ')})`);
  const team = findTeam(environment, request.team);
  if (team === undefined)
    throw new UserError(`unknown team '${request.team}' in '${environment.name}' (expected one of ${environment.teams.map((t) => t.name).join(', ')})`);
  if (!request.global && (request.regions === undefined || (request.regions !== 'all' && request.regions.length === 0))) {
    throw new UserError('nothing to release: pass --global and/or --regions <list>|all');
  }
  const regions = request.regions === 'all' ? [...team.regions] : [...(request.regions ?? [])];
  const unknown = regions.filter((r) => !team.regions.includes(r) && !team.retiredRegions.includes(r));
  if (unknown.length > 0) {
    throw new UserError(
      `region(s) ${unknown.join(', ')} not enabled for team '${team.name}' in '${environment.name}' (expected some of ${team.regions.join(', ')}, or all)`,
    );
  }
  const retired = regions.filter((r) => team.retiredRegions.includes(r));
  if (retired.length > 0 && request.confirmRetired !== true) {
    throw new UserError(
      `region(s) ${retired.join(', ')} retired for team '${team.name}' in '${environment.name}': the release destroys every resource of ${retired.map((r) => `${team.name}-${environment.name}-${r}`).join(', ')}; pass --confirm-retired to release it`,
    );
  }
  const duplicates = regions.filter((r, i) => regions.indexOf(r) !== i);
  if (duplicates.length > 0) throw new UserError(`--regions lists ${[...new Set(duplicates)].join(', ')} more than once`);
  const ordered = [...environment.regions, ...team.retiredRegions].filter((r) => regions.includes(r));
  const scopes = [...(request.global ? [GLOBAL_SCOPE] : []), ...ordered];
  const planned = scopes.map((scope) => {
    const parsed = parseReleaseTag(`${environment.name}_${scope}/${team.name}/${request.version}`);
    return { tag: formatReleaseTag(parsed), spec: stackSpecForTag(org, parsed) };
  });
  const taken = planned.filter((p) => existingTags.includes(p.tag)).map((p) => p.tag);
  if (taken.length > 0) throw new UserError(`tag(s) already exist: ${taken.join(', ')}; release a new version instead of moving tags`);
  return planned;
}
