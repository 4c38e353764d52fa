import type { Construct } from 'constructs';

/** An invalid construct configuration: names the construct path and what to do instead. */
export class ConstructError extends Error {
  constructor(scope: Construct, message: string) {
    super(`${scope.node.path}: ${message}`);
    this.name = 'ConstructError';
  }
}
