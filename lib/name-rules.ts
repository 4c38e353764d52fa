import { createHash } from 'node:crypto';

/** Environment and team names: lower case, start with a letter, no underscores (the tag uses `_`). */
export const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

/** Stack id prefixes taken by the tooling stacks; a team may not be named so that its stacks collide. */
export const RESERVED_STACK_PREFIXES = ['tooling', 'access'] as const;

/** Environment file names that are not environments. */
export const RESERVED_ENVIRONMENT_NAMES = ['project', 'global'] as const;

/**
 * A deterministic name of at most `max` characters: the parts joined with `-`, or, when that is too
 * long, a truncation plus a short hash of the full name so two long names never collide.
 */
export function boundedName(parts: readonly string[], max: number): string {
  const full = parts.join('-');
  if (full.length <= max) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 6);
  const head = full.slice(0, max - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}
