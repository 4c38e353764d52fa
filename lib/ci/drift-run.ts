import * as fs from 'node:fs';
import * as path from 'node:path';
import { iamRoleArn } from '../arn';
import type { Organisation } from '../config';
import { GitCommandError, GitRepository } from '../git/repository';
import { stackMatrix } from '../stack-spec';
import { backendConfigFile } from './backend-config';
import { driftStatusFromExitCode, driftTargets, pipelineStacks, type AppliedRelease, type DriftResult } from './drift';
import { planRoleName, type PipelineContext } from './release';
import { firstLineOf, runProcess } from '../subprocess';
import { synthTaggedStack } from './synth-tagged';

/** Where the releases are checked out, under the work directory of the pipeline steps. */
const DRIFT_WORKTREES = path.join('.multiregion', 'drift');

/**
 * Plans each stack's last applied release in its own worktree of the repository at `repoDir`;
 * terraform's `plan -detailed-exitcode` says whether it drifted. A stack that fails (checkout,
 * synth, init, plan) is reported as an error with git's or terraform's first line, and the run
 * goes on with the next: one broken release does not hide the drift of the others.
 */
export async function runDrift(org: Organisation, context: PipelineContext, repoDir: string, applied: readonly AppliedRelease[]): Promise<DriftResult[]> {
  const stacks = pipelineStacks(stackMatrix(org), context);
  const git = new GitRepository(repoDir);
  const results: DriftResult[] = [];
  const planRole = planRoleName(org);
  for (const { stack, release } of driftTargets(stacks, applied)) {
    if (release === undefined) {
      results.push({ stack: stack.stack, tag: undefined, status: 'never-released' });
      continue;
    }
    const target = { stack, tag: release.tag };
    const worktree = path.join(repoDir, DRIFT_WORKTREES, target.stack.stack);
    fs.rmSync(worktree, { recursive: true, force: true });
    try {
      // The recorded commit, not the tag: a tag can be moved or deleted, the ledger cannot.
      await git.addDetachedWorktree(worktree, release.commit);
    } catch (error) {
      if (!(error instanceof GitCommandError)) throw error;
      results.push({ stack: target.stack.stack, tag: target.tag, status: 'error', detail: `git worktree: ${error.reason}` });
      continue;
    }
    try {
      // The release's own code synthesizes its stack; dependencies come from this checkout.
      fs.symlinkSync(path.join(repoDir, 'node_modules'), path.join(worktree, 'node_modules'), 'dir');
      // The release's config as of its tag, so drift is measured against what was deployed.
      const stackDir = synthTaggedStack(org, target.tag, worktree, path.isAbsolute(org.dir) ? org.dir : path.join(worktree, org.dir));
      const dir = path.join(worktree, stackDir);
      fs.writeFileSync(path.join(dir, 'backend.tfbackend'), backendConfigFile(target.stack.backend));
      const init = runProcess('terraform', [`-chdir=${dir}`, 'init', '-input=false', '-backend-config=backend.tfbackend'], { quiet: true });
      if (init.status !== 0) {
        results.push({ stack: target.stack.stack, tag: target.tag, status: 'error', detail: `terraform init: ${firstLineOf(init.stderr)}` });
        continue;
      }
      const roleArn = iamRoleArn(target.stack.partition, target.stack.account, planRole);
      const plan = runProcess('terraform', [`-chdir=${dir}`, 'plan', '-input=false', '-lock=false', '-detailed-exitcode', `-var=assume_role_arn=${roleArn}`], {
        quiet: true,
      });
      const status = driftStatusFromExitCode(plan.status);
      results.push({ stack: target.stack.stack, tag: target.tag, status, ...(status === 'error' ? { detail: firstLineOf(plan.stderr) } : {}) });
    } catch (error) {
      results.push({
        stack: target.stack.stack,
        tag: target.tag,
        status: 'error',
        detail: firstLineOf(error instanceof Error ? error.message : String(error)),
      });
    } finally {
      // Best effort: a worktree left behind is replaced by the next run (add --force, above).
      await git.removeWorktree(worktree).catch(() => undefined);
    }
  }
  return results;
}
