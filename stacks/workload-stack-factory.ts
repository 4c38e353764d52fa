import * as os from 'node:os';
import { App } from 'cdktf';
import type { Construct } from 'constructs';
import type { Organisation } from '../lib/config';
import { stackId, type StackSpec } from '../lib/stack-spec';
import { GLOBAL_SCOPE } from '../lib/tag';
import type { WorkloadStack } from './base-stack';
import { GlobalStack } from './global-stack';
import { RegionalStack } from './regional-stack';

/**
 * Builds the workload stack of a spec: regional or global. The one place that maps scope to
 * class. A regional stack depends on its team's global stack when that stack is in the same app
 * (built first: the matrix lists it first), so `cdktf deploy '<team>-<env>-*'` deploys the
 * global stack before the regions.
 */
export function createWorkloadStack(scope: Construct, org: Organisation, spec: StackSpec, version?: string): WorkloadStack {
  const props = { org, spec, version };
  if (spec.scope === 'global') return new GlobalStack(scope, props);
  const stack = new RegionalStack(scope, props);
  const global = scope.node.tryFindChild(stackId(spec.team, spec.environment, GLOBAL_SCOPE));
  if (global instanceof GlobalStack) stack.addDependency(global);
  return stack;
}

/**
 * Synthesizes one workload stack in memory and returns its Terraform JSON, construct paths
 * included (for previews and checks; nothing is written).
 */
export function synthesizeWorkloadStack(org: Organisation, spec: StackSpec): Record<string, unknown> {
  const app = new App({ stackTraces: false, outdir: os.tmpdir(), skipValidation: true });
  return JSON.parse(JSON.stringify(createWorkloadStack(app, org, spec).toTerraform())) as Record<string, unknown>;
}
