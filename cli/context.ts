import type { Command } from 'commander';
import { loadOrganisation, type Organisation } from '../lib/config';
import { ConfigError } from '../lib/errors';
import { guardrailConfigProblems } from '../guardrails/config-suppressions';
import { pipelineMatrixProblems } from '../lib/pipeline-spec';
import { assertMatrix } from '../lib/stack-spec';

/** The organisation directory from the global `--environments` flag. */
export function environmentsDir(command: Command): string {
  return (command.optsWithGlobals() as { environments: string }).environments;
}

/**
 * Loads and fully validates the organisation named by the global flag; with `environment`, only
 * `project.yaml` and that environment's file (see LoadOptions), for commands about one environment.
 */
export function organisationFor(command: Command, environment?: string): Organisation {
  const org = loadOrganisation(environmentsDir(command), { environment });
  assertMatrix(org);
  // The tooling and access stacks: what a full synth would refuse, every command refuses.
  const problems = [...pipelineMatrixProblems(org), ...guardrailConfigProblems(org)];
  if (problems.length > 0) throw new ConfigError(problems);
  return org;
}
