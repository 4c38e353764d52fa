import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { findEnvironment, findTeam, type Organisation, type TeamConfig } from '../lib/config';
import { deploySessionName } from '../lib/shared-names';
import { scopeName, type StackSpec } from '../lib/stack-spec';
import { workloadContextFor, type WorkloadContext } from '../lib/workload-context';
import { prepareWithoutCrossStackResolve } from './engine-internals';
import { GuardedStack, guardrailsFor } from './guarded-stack';
import { configureStateBackend } from './stack-backend';

export interface WorkloadStackProps {
  /** The validated organisation. */
  readonly org: Organisation;
  /** The (team, environment, scope) this stack deploys. */
  readonly spec: StackSpec;
  /** The release version when synthesized from a tag; becomes the Version default tag. @default - no Version tag */
  readonly version?: string;
}

/** The tags every resource of a stack carries (through the provider's default_tags). */
export function defaultTagsFor(props: WorkloadStackProps): Record<string, string> {
  const { org, spec, version } = props;
  const environment = findEnvironment(org, spec.environment);
  const team = environment === undefined ? undefined : findTeam(environment, spec.team);
  const core: Record<string, string> = {
    Project: org.project.project,
    Environment: spec.environment,
    Team: spec.team,
    Scope: scopeName(spec),
    Stack: spec.stack,
    ManagedBy: 'multiregion',
  };
  if (version !== undefined) core.Version = version;
  // Organisation tags may add to the core tags, never replace them.
  return { ...org.project.tags, ...(team?.tags ?? environment?.tags ?? {}), ...core };
}

/**
 * A workload stack: one (team, environment, scope), one state file, one provider that can only
 * reach the team's account.
 */
export class WorkloadStack extends GuardedStack {
  readonly spec: StackSpec;
  readonly org: Organisation;
  /** The team's config in this stack's environment. */
  protected readonly team: TeamConfig;
  /** What this stack's workload parts are given (names, tags, account, ...), derived once. */
  protected readonly context: WorkloadContext;

  /**
   * cdktf's preparing resolve walks every element only to find cross-stack references. Workload
   * stacks never reference each other's constructs (one stack, one state file): they share
   * names, and a regional stack reads its global stack's outputs through a
   * terraform_remote_state data source of its own (stacks/stack-backend.ts, remoteStateOf),
   * which is an ordinary element of the reading stack. So the resolve is skipped; it was a
   * third of the synth time of a large matrix. The dependency on the global stack is declared
   * with addDependency (stacks/workload-stack-factory.ts). A test checks that no synthesized
   * workload stack references an element it does not define.
   */
  public prepareStack(): void {
    prepareWithoutCrossStackResolve(this);
  }

  constructor(scope: Construct, props: WorkloadStackProps) {
    const { spec, org } = props;
    super(scope, spec.stack, ...guardrailsFor(org, 'workload', spec));
    this.spec = spec;
    this.org = org;
    const environment = findEnvironment(org, spec.environment);
    const team = environment === undefined ? undefined : findTeam(environment, spec.team);
    if (team === undefined) throw new Error(`no team ${spec.team} in ${spec.environment} (the spec was not made from this organisation)`);
    this.team = team;
    const tags = defaultTagsFor(props);
    // The parts see the tags without Version (workloadContextFor drops it): names and tags of a
    // resource must not change from one release to the next.
    this.context = workloadContextFor(org, spec, tags);
    configureStateBackend(this, spec.backend);

    new AwsProvider(this, 'aws', {
      region: spec.region,
      allowedAccountIds: [spec.account],
      assumeRole: [{ roleArn: spec.roleArn, sessionName: deploySessionName(spec.environment, spec.team) }],
      defaultTags: [{ tags }],
    });
  }
}
