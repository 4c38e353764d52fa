import { awsManagedPolicyArn, iamRoleArn } from './arn';
import { keyAliasName, stateKeyArn } from './state-key';
import type { EnvironmentConfig, Organisation, ProjectConfig } from './config';
import { ConfigError } from './errors';
import { boundedName } from './name-rules';
import { DEFAULT_ENVIRONMENT_PIPELINE, type EnvironmentPipelineSettings, type ProjectPipelineSettings } from './pipeline-config';
import { partitionOf, regionShortCode, type Partition } from './regions';
import { stackMatrix, type StackSpec, type StateBackend } from './stack-spec';
import { GLOBAL_SCOPE } from './tag';

/** The state resources one tooling stack creates and its pipeline roles may use. */
export interface StateStore {
  readonly bucket: string;
  readonly region: string;
  /** DynamoDB lock table, or null when locking is S3-native only. */
  readonly lockTable: string | null;
  readonly useLockfile: boolean;
  /** The state key's alias ARN: every backend names it as kms_key_id. */
  readonly kmsKeyId: string;
  /** State keys of the workload stacks this tooling stack deploys (its own key excluded). */
  readonly stackKeys: readonly string[];
  /**
   * States in other stores that the stacks here read, never write: in the regional layout, the
   * global state of each team (in the global region's bucket), read by regional stacks through
   * `terraform_remote_state`. Empty in the central layout, where those keys are in stackKeys.
   */
  readonly remoteStates: readonly StateBackend[];
  /** Roles of other tooling stacks of the environment that read global states kept here (regional layout). */
  readonly remoteReaders: readonly string[];
}

/** A workload account the pipeline of an environment deploys to. */
export interface TargetAccount {
  readonly team: string;
  readonly account: string;
}

/** Everything one tooling stack needs: one environment (and, for the regional layout, one region). */
export interface ToolingSpec {
  /** `tooling-<env>` (central layout) or `tooling-<env>-<region>` (regional layout). */
  readonly stack: string;
  readonly environment: string;
  /** Where the pipeline, builds and artifacts live. */
  readonly region: string;
  /** Where the repository and its events live (tooling.region). */
  readonly repositoryRegion: string;
  readonly account: string;
  readonly partition: Partition;
  /** Base of resource names: `<project>-<env>` or `<project>-<env>-<short>`. */
  readonly name: string;
  /** Tag scopes this pipeline deploys: `global` and/or regions. */
  readonly scopes: readonly string[];
  /** The workload stacks this pipeline deploys. */
  readonly stacks: readonly StackSpec[];
  /** Prefixes of tag names (without refs/tags/) that start this pipeline. Each ends in `_` or `/`. */
  readonly tagPrefixes: readonly string[];
  /** CodePipeline git-tag trigger include globs (at most 8). */
  readonly tagGlobs: readonly string[];
  readonly state: StateStore;
  /** The teams and accounts of the environment that this pipeline deploys to. */
  readonly targets: readonly TargetAccount[];
  /** The tooling stack's own state: in the bucket it creates (after bootstrap). */
  readonly backend: StateBackend;
  readonly settings: EnvironmentPipelineSettings;
  readonly pipeline: ProjectPipelineSettings;
  /** The role the apply stage assumes in each workload account. */
  readonly deployRoleName: string;
  readonly names: ToolingNames;
}

export interface ToolingNames {
  readonly pipeline: string;
  readonly artifactsBucket: string;
  readonly sourceBucket: string;
  readonly sourceKey: string;
  readonly topic: string;
  /** The release ledger (DynamoDB): every released version and its commit. */
  readonly ledgerTable: string;
  readonly pipelineRole: string;
  /** One role per stage: each can do only what its stage needs. */
  readonly releaseRole: string;
  readonly validateRole: string;
  readonly scanRole: string;
  readonly planRole: string;
  readonly reviewRole: string;
  readonly healthRole: string;
  readonly applyRole: string;
  readonly driftRole: string;
  readonly triggerRole: string;
  readonly eventsRole: string;
  readonly project: (stage: string) => string;
  readonly keyAlias: (purpose: string) => string;
}

/** The stack of a workload account that creates the roles the pipelines assume there. */
export interface AccessSpec {
  /** `access-<env>-<team>`. */
  readonly stack: string;
  readonly environment: string;
  readonly team: string;
  readonly account: string;
  /** IAM is global; the provider runs from the global region. */
  readonly region: string;
  readonly partition: Partition;
  readonly bootstrapRoleArn: string;
  readonly deployRoleName: string;
  readonly planRoleName: string;
  /** Apply roles of the environment's tooling stacks: the only principals the deploy role trusts. */
  readonly applyRoleArns: readonly string[];
  /** Plan and drift roles of the environment's tooling stacks: the only principals the view-only role trusts. */
  readonly planRoleArns: readonly string[];
  /** The workload account's own roles the deploy role's permissions boundary protects (deploy, plan, bootstrap). */
  readonly protectedRoleArns: readonly string[];
  readonly administrators: readonly string[];
  readonly deployPolicyArns: readonly string[];
  readonly backend: StateBackend;
}

export const MAX_TRIGGER_GLOBS = 8;
export const TOOLING_PREFIX = 'tooling';
export const ACCESS_PREFIX = 'access';

function projectPipeline(org: Organisation): ProjectPipelineSettings {
  const pipeline = org.project.pipeline;
  if (pipeline === undefined) {
    throw new ConfigError([
      `${org.dir}/project.yaml: pipeline: missing: the tooling and access stacks need the pipeline section (see the README, "Pipelines")`,
    ]);
  }
  return pipeline;
}

function lockingOf(project: ProjectConfig): { useLockfile: boolean; withTable: boolean } {
  const { locking } = project.backend;
  return { useLockfile: locking === 'lockfile' || locking === 'both', withTable: locking === 'dynamodb' || locking === 'both' };
}

function namesFor(project: ProjectConfig, base: string, account: string): ToolingNames {
  const role = (what: string): string => boundedName([base, what], 64);
  return {
    pipeline: boundedName([base, 'release'], 100),
    artifactsBucket: boundedName([base, 'artifacts', account], 63),
    sourceBucket: boundedName([base, 'source', account], 63),
    sourceKey: 'release/source.zip',
    topic: boundedName([base, 'pipeline'], 256),
    ledgerTable: boundedName([base, 'releases'], 255),
    pipelineRole: role('pipeline'),
    releaseRole: role('release'),
    validateRole: role('validate'),
    scanRole: role('scan'),
    planRole: role('plan'),
    reviewRole: role('review'),
    healthRole: role('health'),
    applyRole: role('apply'),
    driftRole: role('drift'),
    triggerRole: role('trigger'),
    eventsRole: role('events'),
    project: (stage) => boundedName([base, stage], 255),
    keyAlias: (purpose) => keyAliasName(project.project, base.slice(project.project.length + 1), purpose),
  };
}

/** `<env>_` anchors the environment: `dev_` never matches `development_x` or `dev-x_`. */
export function tagPrefixesFor(environment: string, scopes: readonly string[] | 'all'): string[] {
  if (scopes === 'all') return [`${environment}_`];
  return scopes.map((scope) => `${environment}_${scope}/`);
}

/**
 * Include globs of the CodePipeline git-tag trigger. CodePipeline's `*` stops at `/`, so a
 * release tag `<env>_<scope>/<team>/<version>` needs one `*` per segment.
 */
export function tagGlobsFor(environment: string, scopes: readonly string[] | 'all'): string[] {
  if (scopes === 'all') return [`${environment}_*/*/*`];
  return scopes.map((scope) => `${environment}_${scope}/*/*`);
}

/**
 * The regions of an environment that have stacks: its active regions, then the regions being
 * retired (whose stacks still need a pipeline to release their destruction; docs/regions.md).
 */
function regionsWithStacks(environment: EnvironmentConfig): string[] {
  const retired = [...environment.retiredRegions, ...environment.teams.flatMap((t) => t.retiredRegions)];
  return [...environment.regions, ...retired.filter((r, i) => !environment.regions.includes(r) && retired.indexOf(r) === i)];
}

function toolingSpec(org: Organisation, environment: EnvironmentConfig, region: string | undefined, all: readonly StackSpec[]): ToolingSpec {
  const pipeline = projectPipeline(org);
  const { project } = org;
  const { useLockfile, withTable } = lockingOf(project);
  const account = project.tooling.account;
  const envStacks = all.filter((s) => s.environment === environment.name);
  let stacks: StackSpec[];
  let scopes: string[] | 'all';
  let base: string;
  let state: Omit<StateStore, 'stackKeys' | 'kmsKeyId' | 'remoteStates' | 'remoteReaders'>;
  let stack: string;
  let pipelineRegion: string;
  if (region === undefined) {
    const backendRegion = project.backend.region;
    if (backendRegion === undefined) throw new Error('central layout without backend.region (config validation should have caught this)');
    stack = `${TOOLING_PREFIX}-${environment.name}`;
    base = `${project.project}-${environment.name}`;
    pipelineRegion = project.tooling.region;
    stacks = envStacks;
    scopes = 'all';
    state = {
      bucket: `${project.backend.prefix}-${environment.name}`,
      region: backendRegion,
      lockTable: withTable ? `${project.backend.prefix}-lock-${environment.name}` : null,
      useLockfile,
    };
  } else {
    const short = regionShortCode(region);
    stack = `${TOOLING_PREFIX}-${environment.name}-${region}`;
    base = `${project.project}-${environment.name}-${short}`;
    pipelineRegion = region;
    const servesGlobal = region === project.globalRegion;
    stacks = envStacks.filter((s) => (s.scope === 'global' ? servesGlobal : s.region === region));
    scopes = [...(servesGlobal ? [GLOBAL_SCOPE] : []), ...(regionsWithStacks(environment).includes(region) ? [region] : [])];
    state = {
      bucket: `${project.backend.prefix}-${short}-${environment.name}`,
      region,
      lockTable: withTable ? `${project.backend.prefix}-${short}-lock-${environment.name}` : null,
      useLockfile,
    };
  }
  const kmsKeyId = stateKeyArn(partitionOf(state.region), state.region, account, project.project, base.slice(project.project.length + 1));
  const scopeList = scopes === 'all' ? [GLOBAL_SCOPE, ...regionsWithStacks(environment)] : scopes;
  const teams = new Set(stacks.map((s) => s.team));
  const backend: StateBackend = {
    bucket: state.bucket,
    key: `${TOOLING_PREFIX}/${environment.name}/terraform.tfstate`,
    region: state.region,
    dynamodbTable: state.lockTable,
    useLockfile,
    kmsKeyId,
  };
  return {
    stack,
    environment: environment.name,
    region: pipelineRegion,
    repositoryRegion: project.tooling.region,
    account,
    partition: partitionOf(pipelineRegion),
    name: base,
    scopes: scopeList,
    stacks,
    tagPrefixes: tagPrefixesFor(environment.name, scopes),
    tagGlobs: tagGlobsFor(environment.name, scopes),
    state: {
      ...state,
      kmsKeyId,
      stackKeys: stacks.map((s) => s.backend.key),
      remoteStates: envStacks.filter((s) => s.scope === 'global' && teams.has(s.team) && s.backend.bucket !== state.bucket).map((s) => s.backend),
      remoteReaders: [],
    },
    targets: environment.teams.filter((t) => teams.has(t.name)).map((t) => ({ team: t.name, account: t.account })),
    backend,
    settings: environment.pipeline ?? DEFAULT_ENVIRONMENT_PIPELINE,
    pipeline,
    deployRoleName: project.deployRoleName,
    names: namesFor(project, base, account),
  };
}

/**
 * The tooling stacks: one per environment (central layout), or one per environment and region
 * (regional layout: each region's pipeline deploys that region's tags from that region, the
 * global region's pipeline also the global tags). Empty when project.yaml has no pipeline.
 */
export function toolingMatrix(org: Organisation): ToolingSpec[] {
  if (org.project.pipeline === undefined) return [];
  const all = stackMatrix(org);
  const specs: ToolingSpec[] = [];
  for (const environment of org.environments) {
    if (org.project.backend.layout === 'central') {
      specs.push(toolingSpec(org, environment, undefined, all));
      continue;
    }
    const regions = regionsWithStacks(environment);
    if (!regions.includes(org.project.globalRegion)) regions.push(org.project.globalRegion);
    const regional = regions.map((region) => toolingSpec(org, environment, region, all));
    // The global region's store lets the other regions' state roles read its global states.
    specs.push(
      ...regional.map((spec) => ({
        ...spec,
        state: {
          ...spec.state,
          remoteReaders: regional.filter((o) => o.state.remoteStates.some((r) => r.bucket === spec.state.bucket)).flatMap(stateRoleArns),
        },
      })),
    );
  }
  return specs;
}

/** The roles of a tooling stack that read state: plan, apply and (with a schedule) drift. */
export function stateRoleArns(spec: ToolingSpec): string[] {
  return [spec.names.planRole, spec.names.applyRole, ...(spec.settings.driftSchedule !== undefined ? [spec.names.driftRole] : [])].map((name) =>
    roleArn(spec, name),
  );
}

/** The access stacks: one per (environment, team), in the team's workload account. */
export function accessMatrix(org: Organisation): AccessSpec[] {
  if (org.project.pipeline === undefined) return [];
  const pipeline = projectPipeline(org);
  const tooling = toolingMatrix(org);
  const { project } = org;
  const region = project.globalRegion;
  const partition = partitionOf(region);
  const specs: AccessSpec[] = [];
  for (const environment of org.environments) {
    const envTooling = tooling.filter((t) => t.environment === environment.name);
    const homeTooling = envTooling.find((t) => t.scopes.includes(GLOBAL_SCOPE)) ?? envTooling[0];
    for (const team of environment.teams) {
      const serving = envTooling.filter((t) => t.targets.some((target) => target.team === team.name));
      specs.push({
        stack: `${ACCESS_PREFIX}-${environment.name}-${team.name}`,
        environment: environment.name,
        team: team.name,
        account: team.account,
        region,
        partition,
        bootstrapRoleArn: iamRoleArn(partition, team.account, pipeline.bootstrapRoleName),
        deployRoleName: project.deployRoleName,
        planRoleName: pipeline.planRoleName,
        applyRoleArns: serving.map((t) => roleArn(t, t.names.applyRole)),
        planRoleArns: serving.flatMap((t) => [
          roleArn(t, t.names.planRole),
          ...(t.settings.driftSchedule !== undefined ? [roleArn(t, t.names.driftRole)] : []),
        ]),
        protectedRoleArns: [project.deployRoleName, pipeline.planRoleName, pipeline.bootstrapRoleName].map((name) => iamRoleArn(partition, team.account, name)),
        administrators: pipeline.administrators,
        deployPolicyArns: pipeline.deployPolicyArns ?? [awsManagedPolicyArn(partition, 'AdministratorAccess')],
        backend: {
          bucket: homeTooling.state.bucket,
          key: `${ACCESS_PREFIX}/${environment.name}-${team.name}/terraform.tfstate`,
          region: homeTooling.state.region,
          dynamodbTable: homeTooling.state.lockTable,
          useLockfile: homeTooling.state.useLockfile,
          kmsKeyId: homeTooling.state.kmsKeyId,
        },
      });
    }
  }
  return specs;
}

export function roleArn(spec: Pick<ToolingSpec, 'partition' | 'account'>, name: string): string {
  return iamRoleArn(spec.partition, spec.account, name);
}

/**
 * Invariants of the tooling and access stacks: names AWS accepts, no shared state key with a
 * workload stack, at most 8 trigger globs. One problem per line.
 */
export function pipelineMatrixProblems(org: Organisation): string[] {
  const problems: string[] = [];
  const keys = new Map<string, string>();
  for (const spec of stackMatrix(org)) keys.set(`${spec.backend.bucket}/${spec.backend.key}`, spec.stack);
  const own = [
    ...toolingMatrix(org).map((t) => ({ stack: t.stack, backend: t.backend })),
    ...accessMatrix(org).map((a) => ({ stack: a.stack, backend: a.backend })),
  ];
  for (const { stack, backend } of own) {
    const id = `${backend.bucket}/${backend.key}`;
    const other = keys.get(id);
    if (other !== undefined) problems.push(`${org.dir}: stacks '${other}' and '${stack}' would share the state file s3://${id}`);
    keys.set(id, stack);
  }
  const ids = new Set(stackMatrix(org).map((spec) => spec.stack));
  for (const { stack } of own) {
    if (ids.has(stack)) problems.push(`${org.dir}: stack id '${stack}' is produced twice: rename a team or environment`);
    ids.add(stack);
  }
  for (const tooling of toolingMatrix(org)) {
    if (tooling.tagGlobs.length > MAX_TRIGGER_GLOBS) {
      problems.push(`${org.dir}: ${tooling.stack} needs ${tooling.tagGlobs.length} tag patterns, a CodePipeline trigger takes ${MAX_TRIGGER_GLOBS}`);
    }
    for (const bucket of [tooling.names.artifactsBucket, tooling.names.sourceBucket, tooling.state.bucket]) {
      if (bucket.length > 63)
        problems.push(`${org.dir}: bucket name '${bucket}' of ${tooling.stack} is longer than 63 characters: shorten project or backend.prefix`);
    }
  }
  return problems;
}
