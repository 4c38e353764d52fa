import type { Command } from 'commander';
import { simpleGit } from 'simple-git';
import { UserError } from '../../lib/errors';
import { planRelease } from '../../lib/pipeline-release';
import { existingTagProblem, pushTagsInOrder } from '../../lib/tag-push';
import { organisationFor } from '../context';
import { table, yellow } from '../output';

function regionsOption(value: string | undefined): string[] | 'all' | undefined {
  if (value === undefined) return undefined;
  if (value === 'all') return 'all';
  return value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
}

export function registerReleaseCommand(program: Command): void {
  program
    .command('release')
    .description('create the tags of a release on HEAD (global first, then each region) after validating all of them')
    .argument('<env>', 'environment, e.g. dev')
    .argument('<team>', 'team, e.g. research')
    .argument('<version>', 'MAJOR.MINOR[.PATCH][-prerelease], e.g. 1.2')
    .option('--regions <list>', "comma-separated regions, or 'all' of the team's regions")
    .option('--global', 'release the global stack too (its tag is created and pushed first)')
    .option('--push', 'push each tag, in order, after creating all of them')
    .option('--remote <name>', 'remote to push to (with --push)', 'origin')
    .option('--dry-run', 'validate and print the tags without creating them')
    .option('--confirm-retired', 'release retired regions named in --regions (their apply destroys every resource of the stack)')
    .action(
      async (
        env: string,
        team: string,
        version: string,
        options: { regions?: string; global?: boolean; push?: boolean; remote: string; dryRun?: boolean; confirmRetired?: boolean },
        command: Command,
      ) => {
        const org = organisationFor(command);
        const git = simpleGit();
        if (!(await git.checkIsRepo())) throw new UserError(`${process.cwd()} is not a git repository: run the command inside the infrastructure repository`);
        const head = (await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '')).trim();
        if (head === '') throw new UserError('the repository has no commits: commit the code to release first');
        if (command.getOptionValueSource('remote') === 'cli' && options.push !== true) throw new UserError('--remote needs --push');
        if (options.push === true) {
          const remotes = (await git.getRemotes()).map((r) => r.name);
          if (!remotes.includes(options.remote))
            throw new UserError(
              `--remote '${options.remote}' is not a remote of this repository (expected one of: ${remotes.join(', ') || 'none configured'})`,
            );
        }
        const request = {
          environment: env,
          team,
          version,
          regions: regionsOption(options.regions),
          global: options.global === true,
          confirmRetired: options.confirmRetired === true,
        };
        const wanted = planRelease(org, request, []).map((p) => p.tag);
        const listed = (await git.raw(['tag', '--list', ...wanted])).split('\n').map((l) => l.trim());
        // In release order (global first), so that a printed push command keeps that order.
        const existing = wanted.filter((tag) => listed.includes(tag));
        if (existing.length > 0) {
          const atHead = (await git.raw(['tag', '--points-at', 'HEAD'])).split('\n').map((l) => l.trim());
          throw new UserError(
            existingTagProblem(
              existing.map((tag) => ({ tag, atHead: atHead.includes(tag) })),
              options.remote,
            ),
          );
        }
        const planned = planRelease(org, request, existing);
        const rows = planned.map((p) => [
          p.tag,
          p.spec.stack,
          p.spec.account,
          p.spec.scope === 'global' ? `global (from ${p.spec.region})` : p.spec.retired ? `${p.spec.region} (retired: destroys)` : p.spec.region,
          `s3://${p.spec.backend.bucket}/${p.spec.backend.key}`,
        ]);
        process.stdout.write(`${table(['TAG', 'STACK', 'ACCOUNT', 'SCOPE', 'STATE'], rows)}\n`);
        if (options.dryRun === true) {
          process.stdout.write('dry run: no tag created\n');
          return;
        }
        if (!(await git.status()).isClean()) {
          process.stderr.write(`${yellow('warning:')} the working tree has uncommitted changes; the tags point at HEAD (${head.slice(0, 12)}) without them\n`);
        }
        for (const p of planned) {
          await git.raw([
            'tag',
            '--annotate',
            '--message',
            `Release ${version} of team ${team} to ${env} ${p.spec.scope === 'global' ? 'global' : p.spec.region} (stack ${p.spec.stack})`,
            p.tag,
            'HEAD',
          ]);
          process.stdout.write(`created ${p.tag} on ${head.slice(0, 12)}\n`);
        }
        if (options.push === true) {
          // One push per tag, in order: each push is its own trigger event, so global runs first.
          await pushTagsInOrder(
            git,
            options.remote,
            planned.map((p) => p.tag),
            (line) => process.stdout.write(`${line}\n`),
          );
        }
      },
    );
}
