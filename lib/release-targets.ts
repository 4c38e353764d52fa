import { iamRoleArn } from './arn';
import { backendConfigFile } from './ci/backend-config';
import { applySessionPolicy } from './apply-session-policy';
import type { ToolingSpec } from './pipeline-spec';
import { scopeName, type StateBackend } from './stack-spec';

/**
 * What a trusted pipeline step needs to know about one stack, decided when the tooling stack is
 * deployed rather than by the code being released: the account and region, the roles, and the
 * exact `-backend-config` text. The trusted buildspecs look a stack up in this table (embedded
 * as the RELEASE_TARGETS variable of their CodeBuild project) and refuse any stack that is not
 * in it. Threat: a tagged commit choosing the account, the role or another stack's state.
 */
export interface ReleaseTarget {
  /** The team and scope a tag must name to reach this stack (joined ids can alias). */
  readonly team: string;
  readonly scope: string;
  readonly account: string;
  readonly region: string;
  readonly deployRole: string;
  readonly planRole: string;
  readonly backendConfig: string;
  /** The apply role narrowed to this stack (see lib/apply-session-policy.ts), compact JSON. */
  readonly sessionPolicy: string;
}

export function releaseTargets(spec: ToolingSpec): Record<string, ReleaseTarget> {
  const targets: Record<string, ReleaseTarget> = {};
  // Each team's global state: regional stacks read it (terraform_remote_state).
  const globalStates = new Map<string, StateBackend>([
    ...spec.stacks.filter((s) => s.scope === 'global').map((s) => [s.team, s.backend] as const),
    ...spec.state.remoteStates.map((b) => [b.key.split('/')[0], b] as const),
  ]);
  for (const stack of [...spec.stacks].sort((a, b) => a.stack.localeCompare(b.stack))) {
    targets[stack.stack] = {
      team: stack.team,
      scope: scopeName(stack),
      account: stack.account,
      region: stack.region,
      deployRole: stack.roleArn,
      planRole: iamRoleArn(stack.partition, stack.account, spec.pipeline.planRoleName),
      backendConfig: backendConfigFile(stack.backend),
      sessionPolicy: JSON.stringify(applySessionPolicy(spec, stack, globalStates.get(stack.team))),
    };
  }
  return targets;
}
