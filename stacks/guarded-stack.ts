import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { formatFinding, type ConfigSuppression } from '../guardrails/engine';
import type { GuardrailContext } from '../guardrails/rule';
import { GuardrailError, StackGuardrails } from '../guardrails/stack-guardrails';
import type { TerraformJson } from '../guardrails/terraform-json';
import { findEnvironment, type Organisation } from '../lib/config';
import { configSuppressionsFor } from '../guardrails/config-suppressions';

/**
 * A stack with guardrails: every workload, tooling and access stack extends it, so its rules run
 * on the finished tree when the stack renders (aspects added to the App never run, and rules run
 * in constructors would see half a tree).
 */
export abstract class GuardedStack extends TerraformStack {
  readonly guardrails: StackGuardrails;

  constructor(scope: Construct, id: string, context: GuardrailContext, configSuppressions: readonly ConfigSuppression[] = []) {
    super(scope, id);
    this.guardrails = new StackGuardrails(this, context, configSuppressions);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  public toTerraform(): any {
    return this.guardrails.render(() => super.toTerraform() as TerraformJson);
  }
}

/** Whether an environment is marked `production: true` in its config. */
function isProduction(org: Organisation, environment: string): boolean {
  return findEnvironment(org, environment)?.production === true;
}

/**
 * The guardrail context and config suppressions of one stack of the organisation, derived the
 * same way for every kind: `super(scope, spec.stack, ...guardrailsFor(org, 'tooling', spec))`.
 * `team` is set for workload and access stacks, whose team-level suppressions apply.
 */
export function guardrailsFor(
  org: Organisation,
  kind: GuardrailContext['kind'],
  spec: { readonly stack: string; readonly account: string; readonly region: string; readonly environment: string; readonly team?: string },
): [GuardrailContext, ConfigSuppression[]] {
  const { stack, account, region, environment } = spec;
  return [
    { stack, kind, account, region, environment, production: isProduction(org, environment) },
    configSuppressionsFor(org, environment, kind === 'tooling' ? undefined : spec.team),
  ];
}

/**
 * Every error-level finding of every guarded stack under `root`, all at once, before anything is
 * written (synth renders each stack once: the rules' render is the one written).
 */
export function assertGuardrails(root: Construct): void {
  const errors = root.node
    .findAll()
    .filter((c): c is GuardedStack => c instanceof GuardedStack)
    .flatMap((stack) => stack.guardrails.report().findings.filter((f) => f.severity === 'error'));
  if (errors.length > 0) throw new GuardrailError(errors.map(formatFinding));
}
