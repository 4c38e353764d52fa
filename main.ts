import * as fs from 'node:fs';
import { bootstrapModeFromEnv, bootstrapStateDir, prepareBootstrapState } from './lib/bootstrap-state';
import { environmentsDirFromEnv, loadOrganisation } from './lib/config';
import { ConfigError, UserError } from './lib/errors';
import { exitOnError } from './lib/fail';
import { deploySessionName } from './lib/shared-names';
import { parseStackSelector } from './lib/stacks-selector';
import { accessMatrix, pipelineMatrixProblems, toolingMatrix } from './lib/pipeline-spec';
import { selectStacks } from './lib/synth-selection';
import { environmentOfTag } from './lib/tag';
import { inShard, outdirFromEnv, shardFromEnv, synthInWorkers, synthWorkers, type Shard } from './stacks/parallel-synth';

/**
 * The cdktf app. `DEPLOY_TAG` selects one stack (a release tag, or HEAD); without it every stack
 * of the organisation in `ENVIRONMENTS_DIR` (default environments/) is synthesized, narrowed by
 * `STACKS` (see the README). Config, tag and selection are checked with plain modules first;
 * cdktf and the provider classes load only once there is something to build in this process.
 */
async function main(): Promise<void> {
  // A release reads only its own environment's file: a broken file elsewhere stops only that environment.
  const org = loadOrganisation(environmentsDirFromEnv(), { environment: environmentOfTag(process.env.DEPLOY_TAG) });
  // Config suppressions name rules and stacks: checked like the rest of the config, before anything runs.
  if (org.environments.some((e) => e.guardrails.suppress.length > 0 || e.teams.some((t) => t.guardrailSuppressions.length > 0))) {
    const problems = (await import('./guardrails/config-suppressions')).guardrailConfigProblems(org);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  // MULTIREGION_BOOTSTRAP: the first deploy of a tooling stack, before its state bucket exists
  // (access stacks keep their state in that bucket).
  const bootstrap = bootstrapModeFromEnv();
  if (bootstrap !== 'off' && process.env.DEPLOY_TAG)
    throw new UserError('set either DEPLOY_TAG (a release) or MULTIREGION_BOOTSTRAP (the first deploy of a tooling stack), not both');
  if (process.env.DEPLOY_TAG && process.env.STACKS) throw new UserError('set either DEPLOY_TAG (one release) or STACKS (a selection), not both');
  const selection = await selectStacks(org, process.env.DEPLOY_TAG, process.cwd());
  // STACKS=tooling | access | workload | <stack id>,... narrows a full synth.
  const tooling = selection.tag === undefined ? toolingMatrix(org) : [];
  const access = selection.tag === undefined ? accessMatrix(org) : [];
  if (selection.tag === undefined) {
    const problems = pipelineMatrixProblems(org);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  const selector = parseStackSelector(selection.tag === undefined ? process.env.STACKS : undefined, { workload: selection.specs, tooling, access });
  const workload = selection.specs.filter((spec) => selector.includes('workload', spec.stack));
  const toolingSpecs = tooling.filter((spec) => selector.includes('tooling', spec.stack));
  const accessSpecs = access.filter((spec) => selector.includes('access', spec.stack));
  const bootstrapStates =
    bootstrap === 'off'
      ? undefined
      : prepareBootstrapState(
          bootstrapStateDir(process.cwd(), outdirFromEnv()),
          toolingSpecs.map((spec) => spec.stack),
          bootstrap,
        );

  const synthesize = async (shard: Shard | undefined, outdir?: string): Promise<void> => {
    (await import('./stacks/engine-internals')).disableTokenStackTraces();
    const { App } = await import('cdktf');
    const { createWorkloadStack } = await import('./stacks/workload-stack-factory');
    // Drops traces from the metadata; the capture itself is turned off by disableTokenStackTraces.
    // cdktf creates only the last level of the output directory; CDKTF_OUTDIR=a/b/c should work as mkdir -p does.
    const target = outdir ?? outdirFromEnv();
    try {
      fs.mkdirSync(target, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new UserError(
        `output directory ${target} cannot be created (${code}: a file is in the way or the parent is not writable): choose another CDKTF_OUTDIR or --out`,
      );
    }
    const app = new App({ stackTraces: false, ...(outdir !== undefined ? { outdir } : {}) });
    // Set by `multiregion ci synth`: plan and apply pass the role to assume (README, Pipelines).
    const ciRoles =
      selection.tag !== undefined && process.env.MULTIREGION_CI_ROLES === '1'
        ? (await import('./modules/pipeline/assume-role-variable')).assumeRoleFromVariable
        : undefined;
    // A team's stacks go to one shard together, so a regional stack can depend on its global stack.
    const builds: { group: string; build: () => void }[] = [];
    for (const spec of workload) {
      builds.push({
        group: `${spec.environment}/${spec.team}`,
        build: () => {
          const stack = createWorkloadStack(app, org, spec, selection.version);
          ciRoles?.(stack, spec.roleArn, deploySessionName(spec.environment, spec.team));
        },
      });
    }
    if (toolingSpecs.length > 0 || accessSpecs.length > 0) {
      const { ToolingStack } = await import('./stacks/tooling-stack');
      const { AccessStack } = await import('./stacks/access-stack');
      for (const spec of toolingSpecs)
        builds.push({ group: spec.stack, build: () => new ToolingStack(app, { org, spec, localStatePath: bootstrapStates?.get(spec.stack) }) });
      for (const spec of accessSpecs) builds.push({ group: spec.stack, build: () => new AccessStack(app, { org, spec }) });
    }
    const groups = [...new Set(builds.map((b) => b.group))];
    for (const { group, build } of builds) {
      if (inShard(shard, groups.indexOf(group))) build();
    }
    // Every stack's error-level guardrail findings at once, before a file is written.
    (await import('./stacks/guarded-stack')).assertGuardrails(app);
    app.synth();
  };

  // A large matrix is split across the CPUs: shard 0 here, one child process per other shard
  // (stacks are independent by design). A worker gets its shard from MULTIREGION_SYNTH_SHARD.
  const shard = shardFromEnv();
  const total = workload.length + toolingSpecs.length + accessSpecs.length;
  const workers = shard === undefined ? synthWorkers(total) : 1;
  if (workers > 1) {
    process.exitCode = await synthInWorkers(outdirFromEnv(), workers, (dir) => synthesize({ index: 0, count: workers }, dir));
    return;
  }
  await synthesize(shard);
}

main().catch((error: unknown) => exitOnError(error));
