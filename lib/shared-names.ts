import { boundedName } from './name-rules';

/**
 * Names shared between stacks. Regional and global stacks keep separate state files, so a regional
 * stack finds the global stack's instance profile by its deterministic name, not by reference.
 */
export function workloadRoleName(project: string, environment: string, team: string): string {
  return boundedName([project, team, environment, 'workload'], 64);
}

export function workloadInstanceProfileName(project: string, environment: string, team: string): string {
  return boundedName([project, team, environment, 'workload'], 128);
}

/** The STS session name for Terraform's assume-role: says environment and team in CloudTrail. */
export function deploySessionName(environment: string, team: string): string {
  return boundedName(['multiregion', environment, team], 64);
}
