import type { Command } from 'commander';
import { loadOrganisation, type Organisation } from '../lib/config';
import { assertMatrix } from '../lib/stack-spec';

/** The organisation directory from the global `--environments` flag. */
export function environmentsDir(command: Command): string {
  return (command.optsWithGlobals() as { environments: string }).environments;
}

/** Loads and fully validates the organisation named by the global flag. */
export function organisationFor(command: Command): Organisation {
  const org = loadOrganisation(environmentsDir(command));
  assertMatrix(org);
  return org;
}
