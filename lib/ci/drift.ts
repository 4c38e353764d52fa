import { UserError } from '../errors';
import { scopeName, type StackSpec } from '../stack-spec';
import { formatReleaseTag, tryParseReleaseTag } from '../tag';
import type { PipelineContext } from './release';

/** One applied release, as the trusted drift selection lists it (`<stack> <tag> <commit>`). */
export interface AppliedRelease {
  readonly stack: string;
  readonly tag: string;
  readonly commit: string;
}

export interface DriftTarget {
  readonly stack: StackSpec;
  /** The release last applied through the pipeline, or undefined when none was. */
  readonly release: AppliedRelease | undefined;
}

export type DriftStatus = 'in-sync' | 'drifted' | 'error' | 'never-released' | 'refused';

export interface DriftResult {
  readonly stack: string;
  readonly tag: string | undefined;
  readonly status: DriftStatus;
  readonly detail?: string;
}

/**
 * Reads the release list written by the trusted part of buildspecs/drift.yml: one
 * `<stack> <tag> <commit>` per line, from the release ledger's applied releases whose commit is
 * on the release branch. Anything that does not parse is refused, never guessed at.
 */
export function parseAppliedReleases(text: string, file: string): AppliedRelease[] {
  const releases: AppliedRelease[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const [stack, tag, commit, ...rest] = line.trim().split(/\s+/);
    const parsed = tag === undefined ? undefined : tryParseReleaseTag(tag);
    if (rest.length > 0 || commit === undefined || !/^[0-9a-f]{40}$/.test(commit) || parsed === undefined || formatReleaseTag(parsed) !== tag) {
      throw new UserError(`${file}:${i + 1}: expected '<stack> <release tag> <40-hex commit>', got '${line.slice(0, 120)}'`);
    }
    if (`${parsed.team}-${parsed.environment}-${parsed.scope}` !== stack) throw new UserError(`${file}:${i + 1}: tag ${tag} is not a release of ${stack}`);
    releases.push({ stack, tag, commit });
  });
  return releases;
}

/**
 * The applied releases the trusted selection refused (their commit is not on the release branch),
 * one `<stack> <tag> <commit>` line each: reported, never planned, never parsed further.
 */
export function refusedDriftResults(text: string): DriftResult[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [stack, tag] = line.split(' ');
      return { stack: stack ?? '?', tag, status: 'refused', detail: 'its commit is not on the release branch: not planned' };
    });
}

/** The stacks a pipeline deploys: those of its environment, narrowed to its scopes when it has them. */
export function pipelineStacks(stacks: readonly StackSpec[], context: PipelineContext): StackSpec[] {
  return stacks.filter((spec) => spec.environment === context.environment && (context.scopes === undefined || context.scopes.includes(scopeName(spec))));
}

/**
 * What the drift run plans: for each stack, the release last applied through the pipeline (a
 * plan of the branch tip would report unreleased changes as drift, and a tag that was pushed but
 * never applied proves nothing about what is deployed).
 */
export function driftTargets(stacks: readonly StackSpec[], applied: readonly AppliedRelease[]): DriftTarget[] {
  return stacks.map((stack) => ({ stack, release: applied.find((r) => r.stack === stack.stack) }));
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
  const errors = results.filter((r) => r.status === 'error' || r.status === 'refused');
  const lines = results.map(
    (r) => `${r.status.padEnd(14)} ${r.stack}${r.tag !== undefined ? ` (${r.tag})` : ''}${r.detail !== undefined ? `: ${r.detail}` : ''}`,
  );
  const subject = `[${environment}] drift: ${drifted.length} drifted, ${errors.length} failed, ${results.length} stacks`;
  return { attention: drifted.length + errors.length > 0, subject: subject.slice(0, 99), text: `${subject}\n\n${lines.join('\n')}\n` };
}
