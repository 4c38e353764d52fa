import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../lib/errors';
import { registerWorkload, workloadFiles, workloadNameProblem } from '../../lib/scaffold/workload-template';
import { green } from '../output';

const WORKLOADS_DIR = 'workloads';
const REGISTRY = path.join(WORKLOADS_DIR, 'registry.ts');

/** The repository the command runs in: the nearest directory up from `start` with workloads/registry.ts. */
export function repositoryRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, REGISTRY))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new UserError(`${start}: not inside a multiregion repository (no ${REGISTRY} here or above)`);
    dir = parent;
  }
}

export function registerWorkloadCommands(program: Command): void {
  const workload = program.command('workload').description('write your own workloads (docs/workloads.md)');
  workload
    .command('new')
    .description('scaffold workloads/<name>/ (settings schema, constructs, README, test) and register it')
    .argument('<name>', 'workload name: lower-case letters, digits and hyphens, e.g. orders-queue')
    .option('--regional', 'with a regional part (the default when neither part is given)')
    .option('--global', 'with a global part whose output the regional part reads')
    .action(async (name: string, options: { regional?: boolean; global?: boolean }) => {
      const root = repositoryRoot(process.cwd());
      const dir = path.join(root, WORKLOADS_DIR);
      const existing = fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
      const problem = workloadNameProblem(name, existing);
      if (problem !== undefined) throw new UserError(problem);
      const scaffold = { name, regional: options.regional === true || options.global !== true, global: options.global === true };
      const files = workloadFiles(scaffold);
      const taken = Object.keys(files).filter((file) => fs.existsSync(path.join(root, file)));
      if (taken.length > 0) throw new UserError(`${taken.join(', ')} already exist(s): remove them or choose another name`);
      // The registry is checked before anything is written: a refusal leaves the tree as it was.
      const registry = path.join(root, REGISTRY);
      const registered = registerWorkload(fs.readFileSync(registry, 'utf8'), name);
      for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), content);
      }
      fs.writeFileSync(registry, registered);
      // Loaded here only: the generator pulls in Ajv's compiler, which no other command needs.
      const { writeGeneratedFiles } = await import('../../scripts/generate-config-validators');
      const generated = writeGeneratedFiles(root);
      const parts = [scaffold.regional ? 'regional' : '', scaffold.global ? 'global' : ''].filter((p) => p !== '').join(' and ');
      process.stdout.write(
        [
          `${green('created')} workload ${name} (${parts})`,
          ...Object.keys(files).map((file) => `  wrote ${file}`),
          `  registered it in ${REGISTRY}`,
          ...generated.map((file) => `  regenerated ${file}`),
          "next: list it in a team's workloads (environments/<env>.yaml), then npx multiregion config check and npx cdktf synth; see docs/workloads.md",
          '',
        ].join('\n'),
      );
    });
}
