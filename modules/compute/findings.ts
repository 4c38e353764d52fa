import { Annotations } from 'cdktf';
import type { Construct } from 'constructs';
import { ConstructError } from '../construct-error';

/**
 * The result of one synth-time check: an `error` stops synth with a ConstructError, a
 * `warning` becomes an annotation (legal but risky) and synth goes on.
 */
export interface Finding {
  readonly level: 'error' | 'warning';
  readonly message: string;
}

export function errorFinding(message: string): Finding {
  return { level: 'error', message };
}

export function warningFinding(message: string): Finding {
  return { level: 'warning', message };
}

/**
 * Applies the findings of a construct's checks: throws one ConstructError naming every error
 * (one line each), otherwise adds each warning to the construct. Warnings of a configuration
 * that is refused anyway would only be noise, so they wait until the errors are fixed.
 */
export function reportFindings(scope: Construct, findings: readonly Finding[]): void {
  const errors = findings.filter((f) => f.level === 'error').map((f) => f.message);
  if (errors.length > 0) throw new ConstructError(scope, errors.join(`\n${scope.node.path}: `));
  for (const finding of findings) Annotations.of(scope).addWarning(finding.message);
}
