import type { TerraformJson } from './terraform-json';

/**
 * A guardrail rule: a stable id, a severity, the problem in one line, the fix, and where one
 * exists the checkov check that would report the same thing later in the pipeline.
 * `error` fails synth (and `multiregion check`); `warning` is printed and synth goes on.
 */
export type Severity = 'error' | 'warning';

/** Rules are grouped in packs; a pack is a heading in `multiregion rules` and the docs. */
export type Pack = 'security' | 'reliability' | 'cost' | 'abs';

export interface RuleInfo {
  /** Stable id, e.g. MR-S3-2; never reused for another check. */
  readonly id: string;
  readonly pack: Pack;
  readonly severity: Severity;
  /** What is wrong, in one line, for any resource it applies to. */
  readonly problem: string;
  /** What to do instead. */
  readonly fix: string;
  /** checkov checks that report the same thing, so pipeline and synth findings line up. */
  readonly checkov?: readonly string[];
}

/** What a rule knows of the stack besides its Terraform JSON. */
export interface GuardrailContext {
  readonly stack: string;
  readonly kind: 'workload' | 'tooling' | 'access';
  /** The account the stack's provider may reach (allowed_account_ids). */
  readonly account: string;
  readonly region: string;
  readonly environment: string;
  /** The environment is marked `production: true` in its config. */
  readonly production: boolean;
}

/** One place a rule is broken: a Terraform address (or block) and what is wrong there. */
export interface Violation {
  /** `aws_s3_bucket.logs_1234`, `provider.aws`, `terraform.backend.s3`... */
  readonly address: string;
  readonly message: string;
  /**
   * Weaker than the rule's own severity: `warning` when whether the rule holds cannot be known at
   * synth (the setting sits only in a `dynamic` block whose for_each is known at plan time). Never
   * a silent pass, never a false error. @default the rule's severity
   */
  readonly severity?: Severity;
}

/** A rule evaluated on a stack's rendered Terraform JSON: a pure function, no construct access. */
export interface JsonRule extends RuleInfo {
  readonly check: (json: TerraformJson, context: GuardrailContext) => Violation[];
}

/**
 * A rule whose check lives in a construct, because only the construct's typed props know it
 * (e.g. an ABS requirement set without a vCPU maximum). The construct reports violations with
 * `Guardrails.report`; the engine treats them like any other finding.
 */
export type ReportedRule = RuleInfo;

export type Rule = JsonRule | ReportedRule;

export function isJsonRule(rule: Rule): rule is JsonRule {
  return typeof (rule as Partial<JsonRule>).check === 'function';
}
