import { App } from 'cdktf';
import { environmentsDirFromEnv, loadOrganisation } from './lib/config';
import { exitOnError } from './lib/fail';
import { selectStacks } from './lib/selection';
import { createWorkloadStack } from './stacks/workload-stack-factory';

/**
 * The cdktf app. `DEPLOY_TAG` selects one stack (a release tag, or HEAD); without it every stack
 * of the organisation in `ENVIRONMENTS_DIR` (default environments/) is synthesized.
 */
async function main(): Promise<void> {
  const org = loadOrganisation(environmentsDirFromEnv());
  const selection = await selectStacks(org, process.env.DEPLOY_TAG, process.cwd());
  // Stack traces on every token cost ~30% of synth time on large matrices and are never read.
  const app = new App({ stackTraces: false });
  for (const spec of selection.specs) createWorkloadStack(app, org, spec, selection.version);
  app.synth();
}

main().catch((error: unknown) => exitOnError(error));
