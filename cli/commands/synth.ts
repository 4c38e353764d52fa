import type { Command } from 'commander';
import * as path from 'node:path';
import { UserError } from '../../lib/errors';
import { findProjectRoot } from '../../lib/project-root';
import { runSynthApp } from '../../lib/synth-run';
import { environmentsDir } from '../context';
import { green } from '../output';

const LISTED = 8;

export function registerSynthCommand(program: Command): void {
  program
    .command('synth')
    .description('synthesize as cdktf synth does (the same app and variables), printing the app’s errors once and a one-line summary')
    .option('--tag <tag>', 'only the stack of this release tag, checked out at HEAD (default: DEPLOY_TAG); HEAD reads the tag at HEAD')
    .option('--stacks <selector>', 'only these stacks (default: STACKS): workload, tooling, access, stack ids or globs such as research-dev-*, comma-separated')
    .option('--out <dir>', 'output directory (default: CDKTF_OUTDIR, else cdktf.out of the project root)')
    .action((options: { tag?: string; stacks?: string; out?: string }, command: Command) => {
      const projectRoot = findProjectRoot(process.cwd());
      if (projectRoot === undefined) throw new UserError(`${process.cwd()} is not inside a multiregion project: no cdktf.json here or above`);
      // A flag wins over the variable `cdktf synth` users set; an empty variable counts as unset.
      const fromEnv = (name: string): string | undefined => process.env[name] || undefined;
      const result = runSynthApp({
        projectRoot,
        environmentsDir: environmentsDir(command),
        tag: options.tag ?? fromEnv('DEPLOY_TAG'),
        stacks: options.stacks ?? fromEnv('STACKS'),
        outdir: options.out ?? fromEnv('CDKTF_OUTDIR'),
      });
      if (result.status !== 0) {
        // The app has printed its one-line errors; its exit code (2 for bad input) is ours.
        process.exitCode = result.status;
        return;
      }
      // Relative to here inside the project (../cdktf.out/stacks), absolute outside it.
      const stacksDir = path.join(result.outdir, 'stacks');
      const where = path.relative(projectRoot, stacksDir).startsWith('..') ? stacksDir : path.relative(process.cwd(), stacksDir) || '.';
      const names = result.stacks.length <= LISTED ? `: ${result.stacks.join(', ')}` : ' (manifest.json next to it lists them)';
      process.stdout.write(`${green('synthesized')} ${result.stacks.length} stack${result.stacks.length === 1 ? '' : 's'} into ${where}${names}\n`);
      if (result.removed.length > 0)
        process.stdout.write(`removed ${result.removed.length} stack folder(s) of an earlier synth: ${result.removed.join(', ')}\n`);
    });
}
