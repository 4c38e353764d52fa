import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../lib/errors';
import {
  findPluginDir,
  HOW_TO_GET_A_PROVIDER,
  rerunScript,
  runOfflinePlan,
  synthForOfflinePlan,
  terraformVersion,
  type StackPlanResult,
} from '../../lib/offline-plan';
import { findProjectRoot } from '../../lib/project-root';
import { stackMatrix } from '../../lib/stack-spec';
import { environmentsDir, organisationFor } from '../context';
import { bold, dim, green, printJson, red } from '../output';

interface PlanOptions {
  offline?: boolean;
  tag?: string;
  stacks?: string;
  pluginDir?: string;
  jobs?: string;
  keep?: boolean;
  json?: boolean;
}

function jobsOf(value: string | undefined): number {
  if (value === undefined) return Math.max(1, os.availableParallelism());
  if (!/^[1-9][0-9]*$/.test(value)) throw new UserError(`--jobs ${value}: expected a whole number of stacks to run at once, 1 or more`);
  return Number.parseInt(value, 10);
}

function describe(result: StackPlanResult): string {
  if (result.ok) {
    return `planned, applied with mocks${result.dependency ? dim(' (run for its outputs)') : ''}`;
  }
  const [first, ...more] = result.failures;
  const failure = first === undefined ? 'failed' : `${first.run}: ${first.summary}${first.address !== undefined ? ` (${first.address})` : ''}`;
  return `${failure}${more.length > 0 ? dim(` (+${more.length} more)`) : ''}`;
}

function line(result: StackPlanResult, width: number): string {
  const mark = result.ok ? green('ok    ') : red('FAILED');
  return `  ${mark}  ${result.stack.padEnd(width)}  ${describe(result)}  ${dim(`${result.seconds.toFixed(1)} s`)}`;
}

export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description('plan and apply stacks with no AWS account: the real provider reaching nothing, then a mocked provider (exit 1 when a stack fails)')
    .option('--offline', 'required: plan offline (a plan against AWS is the release pipeline’s job)')
    .option('--tag <tag>', 'only the stack of this release tag, which must exist and be checked out at HEAD (as synth --tag), and the global stack it reads')
    .option('--stacks <selector>', 'only these stacks, as synth --stacks takes them (default: every stack: workload, tooling and access)')
    .option('--plugin-dir <dir>', 'plugin directory holding hashicorp/aws (default: MULTIREGION_TF_PLUGIN_DIR, else the usual places)')
    .option('--jobs <n>', 'terraform processes at once, each planning a batch of stacks (default: the number of CPUs)')
    .option('--keep', 'keep the scratch workspace, with a run.sh that runs one stack again as the command did')
    .option('--json', 'print one JSON object')
    .action(async (options: PlanOptions, command: Command) => {
      const started = Date.now();
      if (options.offline !== true) throw new UserError('plan needs --offline: a plan against AWS runs in the release pipeline (see docs/pipelines.md)');
      if (options.tag !== undefined && options.stacks !== undefined) throw new UserError('--tag and --stacks cannot be used together: a tag selects one stack');
      if (options.stacks !== undefined && options.stacks.trim() === '') {
        throw new UserError(
          "--stacks is empty: name kinds, stack ids or globs (e.g. 'research-dev-*'; see multiregion matrix), or leave it out for every stack",
        );
      }
      const jobs = jobsOf(options.jobs);
      const plugin = findPluginDir(options.pluginDir);
      if ('missing' in plugin) throw new UserError(`${plugin.missing}: ${HOW_TO_GET_A_PROVIDER}`);
      const terraform = process.env.TERRAFORM_BINARY || 'terraform';
      await terraformVersion(terraform);
      const projectRoot = findProjectRoot(process.cwd());
      if (projectRoot === undefined) throw new UserError(`${process.cwd()} is not inside a multiregion project: no cdktf.json here or above`);
      const org = organisationFor(command);

      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-plan-'));
      // Stopped (Ctrl-C, a CI timeout): remove the scratch copies; exit runs the providers' clean-up.
      const interrupted = (signal: NodeJS.Signals): void => {
        process.stderr.write(`plan --offline stopped by ${signal}\n`);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      };
      // An exit before the end (output piped into head, an error) removes them too.
      const cleanUp = (): void => {
        if (options.keep !== true) fs.rmSync(work, { recursive: true, force: true });
      };
      process.once('SIGINT', interrupted);
      process.once('SIGTERM', interrupted);
      process.once('exit', cleanUp);
      try {
        const synth = synthForOfflinePlan({
          projectRoot,
          environmentsDir: environmentsDir(command),
          tag: options.tag,
          stacks: options.stacks,
          workDir: work,
          matrix: stackMatrix(org),
        });
        if (synth.status !== 0) {
          process.exitCode = synth.status;
          return;
        }
        const all = [...synth.stacks, ...synth.dependencies];
        const width = Math.max(...all.map((s) => s.length));
        const targetVersion = (
          JSON.parse(fs.readFileSync(path.join(synth.outdir, 'stacks', synth.stacks[0], 'cdk.tf.json'), 'utf8')) as {
            terraform?: { required_providers?: { aws?: { version?: string } } };
          }
        ).terraform?.required_providers?.aws?.version;
        if (options.json !== true) {
          const differs = targetVersion !== undefined && targetVersion !== plugin.version ? ` (the stacks target ${targetVersion})` : '';
          process.stdout.write(
            `${bold('plan --offline')}: ${synth.stacks.length} stack(s)${synth.dependencies.length > 0 ? ` and ${synth.dependencies.length} they read` : ''}, hashicorp/aws ${plugin.version} from ${plugin.dir}${differs}, ${Math.min(jobs, all.length)} terraform process(es) at a time\n`,
          );
        }
        const workDir = path.join(work, 'run');
        const report = await runOfflinePlan({
          outdir: synth.outdir,
          stacks: synth.stacks,
          pluginDir: plugin.dir,
          providerVersion: plugin.version,
          workDir,
          jobs,
          terraform,
          onResult: options.json === true ? undefined : (result) => process.stdout.write(`${line(result, width)}\n`),
        });
        const workspace = path.join(workDir, 'workspace');
        if (options.keep === true)
          fs.writeFileSync(path.join(workspace, 'run.sh'), rerunScript(workspace, path.join(workDir, 'home'), terraform), { mode: 0o755 });
        const failed = report.results.filter((r) => !r.ok);
        const seconds = (Date.now() - started) / 1000;
        if (options.json === true) {
          printJson({
            provider: { version: plugin.version, pluginDir: plugin.dir },
            seconds,
            failed: failed.length,
            stacks: report.results,
            ...(options.keep === true ? { workspace } : {}),
          });
        } else {
          for (const result of failed) {
            for (const f of result.failures.slice(1))
              process.stdout.write(`          ${result.stack}: ${f.run}: ${f.summary}${f.address !== undefined ? ` (${f.address})` : ''}\n`);
          }
          const dropped = report.results.filter((r) => r.removedArguments > 0 || r.dropped.length > 0);
          for (const r of dropped) {
            const parts = [
              ...(r.removedArguments > 0 ? [`${r.removedArguments} argument(s) hashicorp/aws ${plugin.version} lacks (provider 6's per-resource region)`] : []),
              ...r.dropped,
            ];
            process.stdout.write(`${dim(`  ${r.stack}: the scratch copy dropped ${parts.join('; ')}`)}\n`);
          }
          const selected = report.results.filter((r) => !r.dependency);
          const notRun = failed.filter((r) => r.plan === 'not run').length;
          process.stdout.write(
            `${selected.filter((r) => r.ok).length} of ${selected.length} stack(s) planned and applied offline, ${failed.length} failed${notRun > 0 ? ` (${notRun} not run)` : ''}, in ${seconds.toFixed(1)} s${options.keep === true ? `; workspace kept in ${workspace}: sh ${path.join(workspace, 'run.sh')} <stack> runs one stack again` : ''}\n`,
          );
        }
        if (failed.length > 0) process.exitCode = 1;
      } finally {
        process.removeListener('SIGINT', interrupted);
        process.removeListener('SIGTERM', interrupted);
        process.removeListener('exit', cleanUp);
        cleanUp();
      }
    });
}
