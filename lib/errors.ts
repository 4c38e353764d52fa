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
