import { UserError } from '../lib/errors';
import { Construct } from 'constructs';
import type { WorkloadContext } from '../lib/workload-context';
import type { RegionalNetwork } from '../modules/network/regional-network';

/**
 * The workload API. A workload is a folder `workloads/<name>/` with a settings schema and a
 * regional part, a global part or both, registered in workloads/registry.ts. The framework
 * builds the parts a team's config lists into that team's stacks (docs/workloads.md).
 */

/** Typed access to the outputs of the team's global stack, from a regional part. */
export interface GlobalOutputs<O extends string> {
  /** The output's value, read from the global stack's state (a terraform_remote_state). */
  get(name: O): string;
}

/** What every part receives. */
export interface WorkloadPartProps<S> {
  readonly context: WorkloadContext;
  /** The team's settings of this workload: validated by its settings.schema.json, defaults filled in. */
  readonly settings: S;
}

/** What a regional part receives on top: the global outputs it declared, and shared regional resources. */
export interface RegionalPartProps<S, O extends string> extends WorkloadPartProps<S> {
  /** Outputs of this workload's global part, read from the team's global stack state. */
  readonly global: GlobalOutputs<O>;
  /** The team's VPC in this region, created on first use and shared by the workloads of the stack. */
  readonly network: () => RegionalNetwork;
}

/** What a global part receives on top: the team's instance role, to grant access to what it creates. */
export interface GlobalPartProps<S> extends WorkloadPartProps<S> {
  /** The team's instance role (created by the global stack). */
  readonly workloadRole: { readonly name: string; readonly arn: string };
}

/** A regional part: a construct built once in every (active) region of the team. */
export type RegionalPart<S, O extends string> = new (scope: Construct, id: string, props: RegionalPartProps<S, O>) => Construct;

/** A global part: a construct built once in the team's global stack; `outputs` become stack outputs. */
export type GlobalPart<S, O extends string> = new (
  scope: Construct,
  id: string,
  props: GlobalPartProps<S>,
) => Construct & { readonly outputs: Readonly<Record<O, string>> };

export interface WorkloadDefinition<S, O extends string = never> {
  /** The folder name, as teams list it in config. */
  readonly name: string;
  /** Outputs the global part publishes for the regional parts. @default - none */
  readonly globalOutputs?: readonly O[];
  readonly regional?: RegionalPart<S, O>;
  readonly global?: GlobalPart<S, O>;
}

/** Declares a workload; the output names type-check the global part's outputs and the regional part's reads. */
export function defineWorkload<S, O extends string = never>(definition: WorkloadDefinition<S, O>): WorkloadDefinition<S, O> {
  // Caught where the workload is declared, not at plan time in every region that reads the outputs.
  if ((definition.globalOutputs ?? []).length > 0 && definition.global === undefined) {
    throw new UserError(
      `workload ${definition.name} declares global outputs (${(definition.globalOutputs ?? []).join(', ')}) but has no global part to set them: add a global part or drop globalOutputs`,
    );
  }
  return definition;
}

/** The name of a global output in the global stack: `<workload>__<output>`, snake case. */
export function globalOutputName(workload: string, output: string): string {
  return `${workload.replace(/-/g, '_')}__${output}`;
}

/** Placeholder type for registries: settings differ per workload. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyWorkloadDefinition = WorkloadDefinition<any, string>;
