import { UserError } from './errors';

/**
 * Top-level error handling of the commands: a user error is printed as its lines and exits 2;
 * anything else is a bug, printed with its stack.
 */
export function exitOnError(error: unknown, debug = process.env.MULTIREGION_DEBUG === '1'): never {
  if (error instanceof UserError) {
    for (const line of error.problems) process.stderr.write(`error: ${line}\n`);
    if (debug) process.stderr.write(`${error.stack ?? ''}\n`);
    process.exit(2);
  }
  process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
