import type { IConstruct } from 'constructs';
import { UserError } from '../lib/errors';
import { ruleById } from './packs';

/** Node metadata types under which constructs record guardrail reports and suppressions. */
export const REPORT_METADATA = 'multiregion/guardrail-report';
export const SUPPRESS_METADATA = 'multiregion/guardrail-suppress';

export interface ReportedViolation {
  readonly rule: string;
  readonly message: string;
}

export interface ConstructSuppression {
  readonly rule: string;
  readonly reason: string;
}

/** A misuse of the guardrails API in code (unknown rule id, empty reason): names the construct. */
export class GuardrailUsageError extends UserError {
  constructor(scope: IConstruct, message: string) {
    super(`${scope.node.path}: ${message}`);
    this.name = 'GuardrailUsageError';
  }
}

/**
 * The guardrails API for construct authors. Suppressions are explicit, local and explained:
 * `Guardrails.suppress(bucket, 'MR-S3-2', 'ALB access logs only accept SSE-S3')` silences that
 * rule for the construct and everything below it, and the suppression with its reason is
 * recorded in the synthesized stack's metadata.
 */
export class Guardrails {
  static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    if (ruleById(ruleId) === undefined)
      throw new GuardrailUsageError(scope, `cannot suppress unknown guardrail rule '${ruleId}' (npx multiregion rules lists them)`);
    if (reason.trim() === '') throw new GuardrailUsageError(scope, `suppressing ${ruleId} needs a reason: say why the rule does not apply here`);
    scope.node.addMetadata(SUPPRESS_METADATA, { rule: ruleId, reason: reason.trim() } satisfies ConstructSuppression, { stackTrace: false });
  }

  /**
   * Records a violation of a rule whose check only the construct can make (its typed props know
   * what the rendered JSON no longer says). The engine turns it into a finding at synth.
   */
  static report(scope: IConstruct, ruleId: string, message: string): void {
    if (ruleById(ruleId) === undefined) throw new GuardrailUsageError(scope, `reported unknown guardrail rule '${ruleId}'`);
    scope.node.addMetadata(REPORT_METADATA, { rule: ruleId, message } satisfies ReportedViolation, { stackTrace: false });
  }
}

/** Metadata entries of one type on every construct below (and including) `root`. */
export function metadataBelow<T>(root: IConstruct, type: string): { path: string; data: T }[] {
  return root.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === type).map((m) => ({ path: c.node.path, data: m.data as T })));
}
