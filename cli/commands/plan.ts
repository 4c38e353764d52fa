import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../lib/errors';
import { findPluginDir, HOW_TO_GET_A_PROVIDER, runOfflinePlan, type StackPlanResult } from '../../lib/offline-plan';
import { findProjectRoot } from '../../lib/project-root';
import { stackMatrix } from '../../lib/stack-spec';
import { runSynthApp } from '../../lib/synth-run';
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
    const planned = result.toCreate !== undefined ? `planned ${result.toCreate} to add` : 'planned';
    return `${planned}, applied with mocks${result.dependency ? dim(' (run for its outputs)') : ''}`;
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
    .option('--tag <tag>', 'only the stack of this release tag (checked out at HEAD), and the global stack it reads')
    .option('--stacks <selector>', 'only these stacks, as synth --stacks takes them (default: every stack: workload, tooling and access)')
    .option('--plugin-dir <dir>', 'plugin directory holding hashicorp/aws (default: MULTIREGION_TF_PLUGIN_DIR, else the usual places)')
    .option('--jobs <n>', 'stacks planned at once (default: the number of CPUs)')
    .option('--keep', 'keep the scratch directory and print where it is')
    .option('--json', 'print one JSON object')
    .action(async (options: PlanOptions, command: Command) => {
      if (options.offline !== true) throw new UserError('plan needs --offline: a plan against AWS runs in the release pipeline (see docs/pipelines.md)');
      if (options.tag !== undefined && options.stacks !== undefined) throw new UserError('--tag and --stacks cannot be used together: a tag selects one stack');
      const jobs = jobsOf(options.jobs);
      const plugin = findPluginDir(options.pluginDir);
      if ('missing' in plugin) throw new UserError(`${plugin.missing}: ${HOW_TO_GET_A_PROVIDER}`);
      const projectRoot = findProjectRoot(process.cwd());
      if (projectRoot === undefined) throw new UserError(`${process.cwd()} is not inside a multiregion project: no cdktf.json here or above`);
      const org = organisationFor(command);

      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-plan-'));
      // Stopped (Ctrl-C, a CI timeout): remove the scratch copies; exit runs the providers' clean-up.
      const interrupted = (signal: NodeJS.Signals): void => {
        if (options.keep !== true) fs.rmSync(work, { recursive: true, force: true });
        process.stderr.write(`plan --offline stopped by ${signal}\n`);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      };
      process.once('SIGINT', interrupted);
      process.once('SIGTERM', interrupted);
      try {
        const outdir = path.join(work, 'synth');
        const synth = runSynthApp({ projectRoot, environmentsDir: environmentsDir(command), tag: options.tag, stacks: options.stacks, outdir });
        if (synth.status !== 0) {
          process.exitCode = synth.status;
          return;
        }
        // A regional stack reads its team's global state: synthesize that global stack too.
        const written = new Set(synth.stacks);
        const specs = stackMatrix(org);
        const missing = new Set<string>();
        for (const stack of synth.stacks) {
          const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
            data?: { terraform_remote_state?: Record<string, { config?: { bucket?: string; key?: string } }> };
          };
          for (const state of Object.values(json.data?.terraform_remote_state ?? {})) {
            const writer = specs.find((s) => s.backend.bucket === state.config?.bucket && s.backend.key === state.config?.key);
            if (writer !== undefined && !written.has(writer.stack)) missing.add(writer.stack);
          }
        }
        if (missing.size > 0) {
          const extra = runSynthApp({
            projectRoot,
            environmentsDir: environmentsDir(command),
            stacks: [...missing].join(','),
            outdir: path.join(work, 'synth-globals'),
          });
          if (extra.status !== 0) {
            process.exitCode = extra.status;
            return;
          }
          for (const stack of extra.stacks) fs.cpSync(path.join(extra.outdir, 'stacks', stack), path.join(outdir, 'stacks', stack), { recursive: true });
        }
        const width = Math.max(...synth.stacks.map((s) => s.length), ...[...missing].map((s) => s.length));
        const targetVersion = (
          JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', synth.stacks[0], 'cdk.tf.json'), 'utf8')) as {
            terraform?: { required_providers?: { aws?: { version?: string } } };
          }
        ).terraform?.required_providers?.aws?.version;
        if (options.json !== true) {
          const differs =
            targetVersion !== undefined && targetVersion !== plugin.version
              ? ` (the stacks target ${targetVersion}: arguments the older provider lacks are dropped in the scratch copy)`
              : '';
          process.stdout.write(
            `${bold('plan --offline')}: ${synth.stacks.length} stack(s), hashicorp/aws ${plugin.version} from ${plugin.dir}${differs}, ${jobs} at a time\n`,
          );
        }
        const report = await runOfflinePlan({
          outdir,
          stacks: synth.stacks,
          pluginDir: plugin.dir,
          providerVersion: plugin.version,
          workDir: path.join(work, 'run'),
          jobs,
          terraform: process.env.TERRAFORM_BINARY || 'terraform',
          onResult: options.json === true ? undefined : (result) => process.stdout.write(`${line(result, width)}\n`),
        });
        const failed = report.results.filter((r) => !r.ok);
        if (options.json === true) {
          printJson({
            provider: { version: plugin.version, pluginDir: plugin.dir },
            seconds: report.seconds,
            failed: failed.length,
            stacks: report.results,
            ...(options.keep === true ? { workspace: path.join(work, 'run', 'workspace') } : {}),
          });
        } else {
          for (const result of failed) {
            for (const f of result.failures.slice(1))
              process.stdout.write(`          ${result.stack}: ${f.run}: ${f.summary}${f.address !== undefined ? ` (${f.address})` : ''}\n`);
          }
          const selected = report.results.filter((r) => !r.dependency);
          process.stdout.write(
            `${selected.length - failed.filter((r) => !r.dependency).length} of ${selected.length} stack(s) planned and applied offline, ${failed.length} failed, in ${report.seconds.toFixed(1)} s${options.keep === true ? `; scratch workspace kept in ${path.join(work, 'run', 'workspace')} (terraform test -filter=tests/<stack>.tftest.hcl there)` : ''}\n`,
          );
        }
        if (failed.length > 0) process.exitCode = 1;
      } finally {
        process.removeListener('SIGINT', interrupted);
        process.removeListener('SIGTERM', interrupted);
        if (options.keep !== true) fs.rmSync(work, { recursive: true, force: true });
      }
    });
}
