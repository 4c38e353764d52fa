/**
 * An error the user caused (bad tag, bad config, bad flag). The CLI and synth print its lines
 * without a stack trace and exit with code 2.
 */
export class UserError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : [...problems];
    super(list.join('\n'));
    this.name = 'UserError';
    this.problems = list;
  }
}

/** The organisation config is invalid; one problem per line, each naming file, field and expectation. */
export class ConfigError extends UserError {
  constructor(problems: readonly string[]) {
    super(problems);
    this.name = 'ConfigError';
  }
}

/** A release tag is malformed or names something the config does not have. */
export class TagError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'TagError';
  }
}

/** Levenshtein distance between two names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate a typo most likely meant, for a "did you mean" in an error: the nearest by edit
 * distance, if it is within a third of its length (at least one edit), else undefined.
 */
export function closestMatch(given: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(name, given);
    if (distance <= Math.max(1, Math.floor(name.length / 3)) && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
