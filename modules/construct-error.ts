import type { Construct } from 'constructs';
import { UserError } from '../lib/errors';

/**
 * An invalid construct configuration: names the construct path and what to do instead. The user
 * caused it (through config or code), so it prints as one line and exits 2, like bad config.
 */
export class ConstructError extends UserError {
  constructor(scope: Construct, message: string) {
    super(`${scope.node.path}: ${message}`);
    this.name = 'ConstructError';
  }
}
