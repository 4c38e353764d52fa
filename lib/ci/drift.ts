import type { StackSpec } from '../stack-spec';
import { compareVersions, formatReleaseTag, tryParseReleaseTag } from '../tag';

export interface DriftTarget {
  readonly stack: StackSpec;
  /** The latest release tag of the stack, or undefined when it was never released. */
  readonly tag: string | undefined;
}

export type DriftStatus = 'in-sync' | 'drifted' | 'error' | 'never-released';

export interface DriftResult {
  readonly stack: string;
  readonly tag: string | undefined;
  readonly status: DriftStatus;
  readonly detail?: string;
}

/**
 * What the drift run plans: for each stack, its latest release tag, since that is what was last
 * deployed through the pipeline (a plan of the branch tip would report unreleased changes as drift).
 */
export function driftTargets(stacks: readonly StackSpec[], tagNames: readonly string[]): DriftTarget[] {
  const latest = new Map<string, { tag: string; version: string }>();
  for (const name of tagNames) {
    const parsed = tryParseReleaseTag(name);
    if (parsed === undefined) continue;
    const id = `${parsed.team}-${parsed.environment}-${parsed.scope}`;
    const current = latest.get(id);
    if (current === undefined || compareVersions(parsed.version, current.version) > 0) latest.set(id, { tag: formatReleaseTag(parsed), version: parsed.version });
  }
  return stacks.map((stack) => ({ stack, tag: latest.get(stack.stack)?.tag }));
}

/** Terraform's `plan -detailed-exitcode`: 0 no changes, 2 changes, anything else an error. */
export function driftStatusFromExitCode(code: number | null): DriftStatus {
  if (code === 0) return 'in-sync';
  if (code === 2) return 'drifted';
  return 'error';
}

/** The text published to the environment's topic, and whether there is anything to publish. */
export function driftReport(environment: string, results: readonly DriftResult[]): { attention: boolean; subject: string; text: string } {
  const drifted = results.filter((r) => r.status === 'drifted');
  const errors = results.filter((r) => r.status === 'error');
  const lines = results.map((r) => `${r.status.padEnd(14)} ${r.stack}${r.tag !== undefined ? ` (${r.tag})` : ''}${r.detail !== undefined ? `: ${r.detail}` : ''}`);
  const subject = `[${environment}] drift: ${drifted.length} drifted, ${errors.length} failed, ${results.length} stacks`;
  return { attention: drifted.length + errors.length > 0, subject: subject.slice(0, 99), text: `${subject}\n\n${lines.join('\n')}\n` };
}
