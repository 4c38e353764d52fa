import type { EnvironmentPipelineSettings, ProjectPipelineSettings } from '../pipeline-config';
import type { ComputeSettings } from './compute';
import type { WorkloadUse } from './workload-settings';

export type BackendLayout = 'central' | 'regional';
export type LockingMode = 'lockfile' | 'dynamodb' | 'both';
export type NatGateways = 'per-az' | 'single';

export interface NetworkSettings {
  readonly cidr: string;
  readonly maxAzs: number;
  readonly natGateways: NatGateways;
}

export interface ProjectConfig {
  readonly project: string;
  readonly backend: {
    readonly prefix: string;
    readonly layout: BackendLayout;
    /** Region of the central-layout buckets; undefined only for the regional layout. */
    readonly region: string | undefined;
    readonly locking: LockingMode;
  };
  readonly tooling: { readonly account: string; readonly region: string };
  readonly globalRegion: string;
  readonly deployRoleName: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Stacks that left the config with nothing deployed, confirmed (see orphanedStackProblems). */
  readonly removedStacks: readonly string[];
  /** Release pipelines (tooling and access stacks); undefined when project.yaml has no `pipeline`. */
  readonly pipeline?: ProjectPipelineSettings;
}

/** A guardrail suppression written in config (environment or team level). */
export interface ConfiguredSuppression {
  /** A rule id; guardrails/config-suppressions.ts checks it names a rule. */
  readonly rule: string;
  readonly reason: string;
  /** Only this stack; every stack of the scope when absent. */
  readonly stack?: string;
  /** `<file>:<line>` of the entry, for messages and the synthesized metadata. */
  readonly source: string;
  /** The entry's field path, e.g. `teams.risk.guardrails.suppress[0]`. */
  readonly field: string;
}

export interface GuardrailSettings {
  readonly suppress: readonly ConfiguredSuppression[];
  /** Config may suppress error-level rules (default: not in production environments). */
  readonly allowErrorSuppressions: boolean;
}

export interface TeamConfig {
  readonly name: string;
  readonly account: string;
  /** The team's regions, in the environment's order. */
  readonly regions: readonly string[];
  /** Regions being retired: their stacks synthesize with backend and provider, and no resources. */
  readonly retiredRegions: readonly string[];
  readonly network: NetworkSettings;
  /** The VPC range of each region of the team (retired ones included), non-overlapping where planned. */
  readonly networkRanges: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** The team's regional web tier and optional batch fleet, environment defaults merged in. */
  readonly compute: ComputeSettings;
  /** The team's workloads in the order listed, settings validated and defaults filled in. */
  readonly workloads: readonly WorkloadUse[];
  /** The team's own guardrail suppressions (the environment's apply too). */
  readonly guardrailSuppressions: readonly ConfiguredSuppression[];
}

export interface EnvironmentConfig {
  readonly name: string;
  readonly file: string;
  readonly regions: readonly string[];
  /** Regions being retired (every team's, unless a team lists its own). */
  readonly retiredRegions: readonly string[];
  /** Marked production: workloads turn on their production safeguards. */
  readonly production: boolean;
  /** Teams sorted by name. */
  readonly teams: readonly TeamConfig[];
  readonly tags: Readonly<Record<string, string>>;
  /** The environment's pipeline settings, defaults resolved (see lib/pipeline-config.ts). */
  readonly pipeline?: EnvironmentPipelineSettings;
  readonly guardrails: GuardrailSettings;
}

export interface Organisation {
  readonly dir: string;
  readonly project: ProjectConfig;
  /** Environments sorted by name. */
  readonly environments: readonly EnvironmentConfig[];
}

export const DEFAULT_NETWORK: NetworkSettings = { cidr: '10.0.0.0/16', maxAzs: 3, natGateways: 'per-az' };

export const DEFAULT_ENVIRONMENTS_DIR = 'environments';

/** The organisation directory from `ENVIRONMENTS_DIR`, relative to the working directory. */
export function environmentsDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.ENVIRONMENTS_DIR;
  return dir !== undefined && dir !== '' ? dir : DEFAULT_ENVIRONMENTS_DIR;
}

export function findEnvironment(org: Organisation, name: string): EnvironmentConfig | undefined {
  return org.environments.find((e) => e.name === name);
}

export function findTeam(environment: EnvironmentConfig, name: string): TeamConfig | undefined {
  return environment.teams.find((t) => t.name === name);
}
