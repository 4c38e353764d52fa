import * as os from 'node:os';
import { App } from 'cdktf';
import type { Construct } from 'constructs';
import type { Organisation } from '../lib/config';
import type { StackSpec } from '../lib/stack-spec';
import type { WorkloadStack } from './base-stack';
import { GlobalStack } from './global-stack';
import { RegionalStack } from './regional-stack';

/** Builds the workload stack of a spec: regional or global. The one place that maps scope to class. */
export function createWorkloadStack(scope: Construct, org: Organisation, spec: StackSpec, version?: string): WorkloadStack {
  const props = { org, spec, version };
  return spec.scope === 'global' ? new GlobalStack(scope, props) : new RegionalStack(scope, props);
}

/**
 * Synthesizes one workload stack in memory and returns its Terraform JSON, construct paths
 * included (for previews and checks; nothing is written).
 */
export function synthesizeWorkloadStack(org: Organisation, spec: StackSpec): Record<string, unknown> {
  const app = new App({ stackTraces: false, outdir: os.tmpdir(), skipValidation: true });
  return JSON.parse(JSON.stringify(createWorkloadStack(app, org, spec).toTerraform())) as Record<string, unknown>;
}
