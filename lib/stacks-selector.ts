import { UserError } from './errors';
import { matchesStackGlob } from './stack-glob';
import type { AccessSpec, ToolingSpec } from './pipeline-spec';
import type { StackSpec } from './stack-spec';

/** Kinds of stacks a `STACKS` selector can name. */
export const STACK_KINDS = ['workload', 'tooling', 'access'] as const;
export type StackKind = (typeof STACK_KINDS)[number];

export interface StackSelector {
  /** Whether a stack of this kind and id is synthesized. */
  readonly includes: (kind: StackKind, stack: string) => boolean;
  /** Whether any stack of the kind may be synthesized (lets synth skip loading whole modules). */
  readonly wantsKind: (kind: StackKind) => boolean;
}

/**
 * Parses `STACKS`: a comma-separated list of kinds (`workload`, `tooling`, `access`), stack ids
 * and stack-id globs matched as `cdktf deploy <patterns...>` matches them, e.g. `STACKS=tooling`,
 * `STACKS=tooling-dev,access-dev-research` or `STACKS='research-dev-*'`. Unset selects
 * everything. An item that names nothing (a glob matching no stack included) is an error, never
 * an empty synth.
 */
export function parseStackSelector(
  value: string | undefined,
  known: { workload: readonly StackSpec[]; tooling: readonly ToolingSpec[]; access: readonly AccessSpec[] },
): StackSelector {
  if (value === undefined || value.trim() === '') return { includes: () => true, wantsKind: () => true };
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const ids: Record<StackKind, Set<string>> = {
    workload: new Set(known.workload.map((s) => s.stack)),
    tooling: new Set(known.tooling.map((s) => s.stack)),
    access: new Set(known.access.map((s) => s.stack)),
  };
  const kinds = new Set<StackKind>();
  const stacks = new Set<string>();
  const unknown: string[] = [];
  const all = STACK_KINDS.flatMap((kind) => [...ids[kind]]);
  for (const item of items) {
    const matched = /[*?[\]{}]/.test(item) ? all.filter((id) => matchesStackGlob(id, item)) : [];
    if ((STACK_KINDS as readonly string[]).includes(item)) kinds.add(item as StackKind);
    else if (STACK_KINDS.some((kind) => ids[kind].has(item))) stacks.add(item);
    else if (matched.length > 0) for (const stack of matched) stacks.add(stack);
    else unknown.push(item);
  }
  if (unknown.length > 0) {
    // Examples from this organisation's own stacks, never the example organisation's.
    const [workload] = known.workload;
    const examples = [
      ...STACK_KINDS.map((kind) => [...ids[kind]][0]).filter((id) => id !== undefined),
      ...(workload !== undefined ? [`'${workload.team}-${workload.environment}-*'`] : []),
    ];
    throw new UserError(
      `STACKS=${value}: ${unknown.map((u) => `'${u}'`).join(', ')} is neither a stack kind (${STACK_KINDS.join(', ')}) nor a stack id or a glob matching one${examples.length > 0 ? ` (e.g. ${examples.join(', ')}; see multiregion matrix)` : ' (this organisation has no stacks; see multiregion matrix)'}`,
    );
  }
  return {
    includes: (kind, stack) => kinds.has(kind) || stacks.has(stack),
    wantsKind: (kind) => kinds.has(kind) || [...stacks].some((s) => ids[kind].has(s)),
  };
}
