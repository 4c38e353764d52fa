import { App } from 'cdktf';
import { environmentsDirFromEnv, loadOrganisation } from './lib/config';
import { ConfigError, UserError } from './lib/errors';
import { exitOnError } from './lib/fail';
import { parseStackSelector } from './lib/pipeline-selection';
import { accessMatrix, pipelineMatrixProblems, toolingMatrix } from './lib/pipeline-spec';
import { selectStacks } from './lib/selection';
import { assumeRoleFromVariable } from './modules/pipeline/assume-role-variable';
import { deploySessionName } from './lib/naming';
import { inShard, shardFromEnv, synthInWorkers, synthWorkers } from './stacks/parallel-synth';
import { disableTokenStackTraces } from './stacks/synth-performance';
import { createWorkloadStack } from './stacks/workload-stack-factory';

/**
 * The cdktf app. `DEPLOY_TAG` selects one stack (a release tag, or HEAD); without it every stack
 * of the organisation in `ENVIRONMENTS_DIR` (default environments/) is synthesized.
 */
async function main(): Promise<void> {
  disableTokenStackTraces();
  const org = loadOrganisation(environmentsDirFromEnv());
  const selection = await selectStacks(org, process.env.DEPLOY_TAG, process.cwd());
  // Drops traces from the metadata; the capture itself is turned off by disableTokenStackTraces.
  const app = new App({ stackTraces: false });
  if (selection.tag !== undefined) {
    // A tag builds exactly its one workload stack; the tooling modules are never loaded.
    if (process.env.STACKS) throw new UserError('set either DEPLOY_TAG (one release) or STACKS (a selection), not both');
    for (const spec of selection.specs) {
      const stack = createWorkloadStack(app, org, spec, selection.version);
      // Set by `multiregion ci synth`: plan and apply pass the role to assume (see docs/pipelines.md).
      if (process.env.MULTIREGION_CI_ROLES === '1') assumeRoleFromVariable(stack, spec.roleArn, deploySessionName(spec.environment, spec.team));
    }
  } else {
    // STACKS=tooling | access | workload | <stack id>,... narrows a full synth (docs/pipelines.md).
    const problems = pipelineMatrixProblems(org);
    if (problems.length > 0) throw new ConfigError(problems);
    const tooling = toolingMatrix(org);
    const access = accessMatrix(org);
    const selector = parseStackSelector(process.env.STACKS, { workload: selection.specs, tooling, access });
    const builds: (() => void)[] = [];
    for (const spec of selection.specs) if (selector.includes('workload', spec.stack)) builds.push(() => createWorkloadStack(app, org, spec, selection.version));
    if (selector.wantsKind('tooling') || selector.wantsKind('access')) {
      const { ToolingStack } = await import('./stacks/tooling-stack');
      const { AccessStack } = await import('./stacks/access-stack');
      // MULTIREGION_BOOTSTRAP=1: the first deploy of a tooling stack, before its state bucket exists.
      const localBackend = process.env.MULTIREGION_BOOTSTRAP === '1';
      for (const spec of tooling) if (selector.includes('tooling', spec.stack)) builds.push(() => new ToolingStack(app, { org, spec, localBackend }));
      for (const spec of access) if (selector.includes('access', spec.stack)) builds.push(() => new AccessStack(app, { org, spec }));
    }
    // A large matrix is split across one process per CPU (stacks are independent by design).
    const shard = shardFromEnv();
    const workers = shard === undefined ? synthWorkers(builds.length) : 1;
    if (workers > 1) {
      process.exitCode = await synthInWorkers(app.outdir, workers);
      return;
    }
    builds.forEach((build, position) => {
      if (inShard(shard, position)) build();
    });
  }
  app.synth();
}

main().catch((error: unknown) => exitOnError(error));
