import type { AcceptedCheck } from '../pipeline-config';

/**
 * The checkov config file of an environment: its accepted checks are skipped (each one carries a
 * reason in the environment file), every other failed check fails the stage. Never soft-fail.
 */
export function checkovConfig(accepted: readonly AcceptedCheck[], framework: 'terraform_json' | 'terraform_plan'): string {
  const lines = [
    '# Written by multiregion ci checkov-config from the environment file; do not edit.',
    'compact: true',
    'quiet: true',
    'soft-fail: false',
    'download-external-modules: false',
    'framework:',
    `  - ${framework}`,
  ];
  if (accepted.length > 0) {
    lines.push('skip-check:');
    for (const check of accepted) lines.push(`  - ${check.id}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The log lines that say which checks are accepted and why. */
export function acceptedChecksReport(environment: string, accepted: readonly AcceptedCheck[]): string {
  if (accepted.length === 0) return `${environment}: no accepted checkov checks: every finding fails the stage\n`;
  return `${accepted.map((c) => `${environment}: accepted ${c.id}: ${c.reason}`).join('\n')}\n`;
}
