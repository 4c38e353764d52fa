import * as os from 'node:os';
import { App } from 'cdktf';
import type { GuardrailReport } from '../guardrails/engine';
import type { Organisation } from '../lib/config';
import type { AccessSpec, ToolingSpec } from '../lib/pipeline-spec';
import type { StackSpec } from '../lib/stack-spec';
import { AccessStack } from './access-stack';
import { ToolingStack } from './tooling-stack';
import { createWorkloadStack } from './workload-stack-factory';

/** The stacks `multiregion check` evaluates. */
export interface CheckSelection {
  readonly workload: readonly StackSpec[];
  readonly tooling: readonly ToolingSpec[];
  readonly access: readonly AccessSpec[];
  /** The release version when checking a tag. */
  readonly version?: string;
}

export interface StackReport extends GuardrailReport {
  readonly stack: string;
}

/**
 * Builds the selected stacks in memory (nothing is written) and evaluates their guardrails, as
 * `cdktf synth` would: the same constructs, the same rules, the same suppressions.
 */
export function checkStacks(org: Organisation, selection: CheckSelection): StackReport[] {
  const app = new App({ stackTraces: false, outdir: os.tmpdir(), skipValidation: true });
  const stacks = [
    ...selection.workload.map((spec) => createWorkloadStack(app, org, spec, selection.version)),
    ...selection.tooling.map((spec) => new ToolingStack(app, { org, spec })),
    ...selection.access.map((spec) => new AccessStack(app, { org, spec })),
  ];
  return stacks.map((stack) => ({ stack: stack.node.id, ...stack.guardrails.report() }));
}
