import { TerraformStack, Testing } from 'cdktf';
import type { IConstruct } from 'constructs';
import { metadataBelow, REPORT_METADATA, type ReportedViolation } from '../../../guardrails/suppressions';
import { AbsLaunchTemplate, type AbsLaunchTemplateProps } from '../../../modules/compute/abs-launch-template';
import { MachineImage } from '../../../modules/compute/machine-image';

/** The synthesized Terraform JSON of a stack, as plain data. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TerraformJson = Record<string, any>;

export interface Synthesized {
  readonly json: TerraformJson;
  /** Every warning annotation in the stack, in construct order. */
  readonly warnings: string[];
}

/** Builds constructs in a fresh stack, synthesizes it and collects its warnings. */
export function synth(build: (stack: TerraformStack) => void): Synthesized {
  const stack = new TerraformStack(Testing.app(), 'test');
  build(stack);
  const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
  return { json, warnings: warningsOf(stack) };
}

/** Warnings a construct and everything below it reported to the guardrails (messages only). */
export function warningsOf(scope: IConstruct): string[] {
  return reportsOf(scope).map((r) => r.message);
}

/** Guardrail reports (rule id and message) of a construct and everything below it. */
export function reportsOf(scope: IConstruct): ReportedViolation[] {
  return metadataBelow<ReportedViolation>(scope, REPORT_METADATA).map((m) => m.data);
}

/** The only resource of a type (fails the test when there are none or several). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function onlyResource(json: TerraformJson, type: string): Record<string, any> {
  const all = Object.values(json.resource?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0] as Record<string, unknown>;
}

/** All resources of a type, by their Terraform name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function resources(json: TerraformJson, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** A launch template with fixed AMI ids, x86_64 only unless images say otherwise. */
export function launchTemplate(scope: IConstruct, props: Partial<AbsLaunchTemplateProps> = {}, id = 'lt'): AbsLaunchTemplate {
  return new AbsLaunchTemplate(scope as TerraformStack, id, {
    name: 'web',
    images: { x86_64: MachineImage.fromId('ami-0x86') },
    ...props,
  });
}
