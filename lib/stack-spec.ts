import { iamRoleArn } from './arn';
import { stateKeyArn } from './state-key';
import type { EnvironmentConfig, Organisation, TeamConfig } from './config';
import { findEnvironment, findTeam } from './config';
import { ConfigError, TagError } from './errors';
import { partitionOf, regionShortCode, type Partition } from './regions';
import { GLOBAL_SCOPE, quoteTag, type ReleaseTag } from './tag';

export type Scope = 'regional' | 'global';

/** Where one stack keeps its state: one bucket, one key, one lock. */
export interface StateBackend {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  readonly dynamodbTable: string | null;
  readonly useLockfile: boolean;
  /** ARN of the environment's state key (an alias ARN): terraform encrypts state and lock files with it. */
  readonly kmsKeyId: string;
}

/** Everything that identifies one deployable stack: one (team, environment, scope). */
export interface StackSpec {
  readonly stack: string;
  readonly environment: string;
  readonly team: string;
  readonly scope: Scope;
  /** The region the provider targets: the stack's region, or globalRegion for global stacks. */
  readonly region: string;
  readonly account: string;
  readonly partition: Partition;
  readonly roleArn: string;
  readonly backend: StateBackend;
  /** A retired region's stack: backend and provider only, so that applying it destroys what is left. */
  readonly retired: boolean;
}

/** The scope as tags, stack ids and state keys spell it: `global`, or the stack's region. */
export function scopeName(spec: { readonly scope: Scope; readonly region: string }): string {
  return spec.scope === 'global' ? GLOBAL_SCOPE : spec.region;
}

export function stackId(team: string, environment: string, scopeName: string): string {
  return `${team}-${environment}-${scopeName}`;
}

/**
 * The state backend of a stack, per the layout table: central keeps every stack of an
 * environment in one bucket with the scope in the key; regional keeps a bucket per region (the
 * global stack in the global region's bucket) with the scope implied by the bucket.
 */
export function stateBackendFor(org: Organisation, environment: string, team: string, scope: Scope, region: string): StateBackend {
  const { prefix, layout, locking } = org.project.backend;
  const useLockfile = locking === 'lockfile' || locking === 'both';
  const withDynamo = locking === 'dynamodb' || locking === 'both';
  if (layout === 'central') {
    const backendRegion = org.project.backend.region;
    if (backendRegion === undefined) throw new Error('central layout without backend.region (config validation should have caught this)');
    return {
      kmsKeyId: stateKeyArn(partitionOf(backendRegion), backendRegion, org.project.tooling.account, org.project.project, environment),
      bucket: `${prefix}-${environment}`,
      key: `${team}/${environment}-${scopeName({ scope, region })}/terraform.tfstate`,
      region: backendRegion,
      dynamodbTable: withDynamo ? `${prefix}-lock-${environment}` : null,
      useLockfile,
    };
  }
  const short = regionShortCode(region);
  return {
    kmsKeyId: stateKeyArn(partitionOf(region), region, org.project.tooling.account, org.project.project, `${environment}-${short}`),
    bucket: `${prefix}-${short}-${environment}`,
    key: scope === 'global' ? `${team}/${environment}-global/terraform.tfstate` : `${team}/${environment}/terraform.tfstate`,
    region,
    dynamodbTable: withDynamo ? `${prefix}-${short}-lock-${environment}` : null,
    useLockfile,
  };
}

function specFor(org: Organisation, environment: EnvironmentConfig, team: TeamConfig, scope: Scope, regionName: string, retired = false): StackSpec {
  const region = scope === 'global' ? org.project.globalRegion : regionName;
  const partition = partitionOf(region);
  return {
    stack: stackId(team.name, environment.name, scopeName({ scope, region })),
    environment: environment.name,
    team: team.name,
    scope,
    region,
    account: team.account,
    partition,
    roleArn: iamRoleArn(partition, team.account, org.project.deployRoleName),
    backend: stateBackendFor(org, environment.name, team.name, scope, region),
    retired,
  };
}

/**
 * Every stack of the organisation, in a stable order: by environment, team, then the global
 * stack followed by the team's regions in the environment's order, then its retired regions.
 */
export function stackMatrix(org: Organisation): StackSpec[] {
  const specs: StackSpec[] = [];
  for (const environment of org.environments) {
    for (const team of environment.teams) {
      specs.push(specFor(org, environment, team, 'global', org.project.globalRegion));
      for (const region of team.regions) specs.push(specFor(org, environment, team, 'regional', region));
      for (const region of team.retiredRegions) specs.push(specFor(org, environment, team, 'regional', region, true));
    }
  }
  return specs;
}

/**
 * Cross-file invariants of the matrix: one stack id, one state key per stack, and names that
 * AWS accepts. Returns one problem per line.
 */
export function matrixProblems(org: Organisation): string[] {
  const problems: string[] = [];
  const ids = new Map<string, StackSpec>();
  const keys = new Map<string, StackSpec>();
  for (const spec of stackMatrix(org)) {
    const sameId = ids.get(spec.stack);
    if (sameId !== undefined) {
      problems.push(
        `${org.dir}: stack id '${spec.stack}' is produced by team '${sameId.team}' of '${sameId.environment}' and team '${spec.team}' of '${spec.environment}': rename one team or environment`,
      );
    }
    ids.set(spec.stack, spec);
    const stateKey = `${spec.backend.region}/${spec.backend.bucket}/${spec.backend.key}`;
    const sameKey = keys.get(stateKey);
    if (sameKey !== undefined) {
      problems.push(`${org.dir}: stacks '${sameKey.stack}' and '${spec.stack}' would share the state file s3://${spec.backend.bucket}/${spec.backend.key}`);
    }
    keys.set(stateKey, spec);
    if (spec.backend.bucket.length > 63) {
      problems.push(
        `${org.dir}: state bucket name '${spec.backend.bucket}' is ${spec.backend.bucket.length} characters, S3 allows 63: shorten backend.prefix or the environment name`,
      );
    }
  }
  problems.push(...organisationProblems(org));
  return [...new Set(problems)];
}

/**
 * Rules across environments that keep each environment's blast radius its own:
 * - no environment name is another's name plus `-...` (`dev` and `dev-x`): names of IAM
 *   resources and stack ids are `<...>-<env>-...`, so a `dev-*` pattern would reach `dev-x`;
 * - no workload account serves two (environment, team) pairs: each environment's deploy and
 *   plan roles live in the account, and one environment's pipeline must never reach another's.
 */
function organisationProblems(org: Organisation): string[] {
  const problems: string[] = [];
  for (const a of org.environments) {
    for (const b of org.environments) {
      if (b.name.startsWith(`${a.name}-`)) {
        problems.push(
          `${b.file}: environment '${b.name}' starts with environment '${a.name}' and a hyphen: name patterns of '${a.name}' (IAM resources, stack globs) would also match it; rename one`,
        );
      }
    }
  }
  const owners = new Map<string, string>();
  for (const environment of org.environments) {
    for (const team of environment.teams) {
      const owner = `team '${team.name}' of '${environment.name}'`;
      const previous = owners.get(team.account);
      if (previous !== undefined) {
        problems.push(
          `${environment.file}: teams.${team.name}.account: account ${team.account} is already the workload account of ${previous}: give each environment and team its own account (their deploy roles would collide)`,
        );
      } else owners.set(team.account, owner);
    }
  }
  return problems;
}

/** Throws a ConfigError when the matrix breaks an invariant. */
export function assertMatrix(org: Organisation): void {
  const problems = matrixProblems(org);
  if (problems.length > 0) throw new ConfigError(problems);
}

/**
 * Resolves a parsed tag against the organisation. Fails closed: an environment, region or team
 * the config does not name is an error, never a default.
 */
export function stackSpecForTag(org: Organisation, tag: ReleaseTag): StackSpec {
  const text = `${tag.environment}_${tag.scope}/${tag.team}/${tag.version}`;
  const fail = (why: string): never => {
    throw new TagError(`release tag ${quoteTag(text)}: ${why}`);
  };
  const environment = findEnvironment(org, tag.environment);
  if (environment === undefined) {
    return fail(`unknown environment '${tag.environment}' (expected one of ${org.environments.map((e) => e.name).join(', ')})`);
  }
  const team = findTeam(environment, tag.team);
  if (team === undefined) {
    return fail(`unknown team '${tag.team}' in environment '${environment.name}' (expected one of ${environment.teams.map((t) => t.name).join(', ')})`);
  }
  if (tag.scope === GLOBAL_SCOPE) return specFor(org, environment, team, 'global', org.project.globalRegion);
  if (team.retiredRegions.includes(tag.scope)) return specFor(org, environment, team, 'regional', tag.scope, true);
  if (!environment.regions.includes(tag.scope)) {
    return fail(`region '${tag.scope}' is not enabled for environment '${environment.name}' (expected global or one of ${environment.regions.join(', ')})`);
  }
  if (!team.regions.includes(tag.scope)) {
    return fail(`region '${tag.scope}' is not enabled for team '${team.name}' in '${environment.name}' (expected global or one of ${team.regions.join(', ')})`);
  }
  return specFor(org, environment, team, 'regional', tag.scope);
}

/** The stack spec for a stack id, or a TagError-like user error listing close matches. */
export function stackSpecById(org: Organisation, id: string): StackSpec | undefined {
  return stackMatrix(org).find((s) => s.stack === id);
}
