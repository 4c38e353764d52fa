import type { Construct } from 'constructs';
import { Guardrails } from '../../guardrails/suppressions';
import { ConstructError } from '../construct-error';

/**
 * The result of one synth-time check: an `error` stops synth with a ConstructError (a setting AWS
 * would refuse); a `warning` is legal but risky and is reported to the guardrails under its rule
 * id, where it can be listed, looked up and suppressed with a reason.
 */
export type Finding = { readonly level: 'error'; readonly message: string } | { readonly level: 'warning'; readonly rule: string; readonly message: string };

export function errorFinding(message: string): Finding {
  return { level: 'error', message };
}

/** A risky setting, as a violation of a guardrail rule (guardrails/rules/abs/reported.ts). */
export function warningFinding(rule: string, message: string): Finding {
  return { level: 'warning', rule, message };
}

/**
 * Applies the findings of a construct's checks: throws one ConstructError naming every error
 * (one line each), otherwise reports each warning to the guardrails. Warnings of a configuration
 * that is refused anyway would only be noise, so they wait until the errors are fixed.
 */
export function reportFindings(scope: Construct, findings: readonly Finding[]): void {
  const errors = findings.filter((f) => f.level === 'error').map((f) => f.message);
  if (errors.length > 0) throw new ConstructError(scope, errors.join(`\n${scope.node.path}: `));
  for (const finding of findings) if (finding.level === 'warning') Guardrails.report(scope, finding.rule, finding.message);
}
