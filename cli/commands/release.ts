import type { Command } from 'commander';
import { UserError } from '../../lib/errors';
import { planRelease } from '../../lib/pipeline-release';
import {
  assertPushRemote,
  assertRemoteOnlyWithPush,
  createTagsAtHead,
  existingTags,
  OUTSIDE_REPOSITORY_HINT,
  releaseTagMessage,
  requireHead,
  requireRepository,
  uncommittedChangesWarning,
} from '../../lib/release-repository';
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
        const org = organisationFor(command, env);
        const git = await requireRepository(process.cwd(), OUTSIDE_REPOSITORY_HINT);
        const head = await requireHead(git);
        assertRemoteOnlyWithPush(command.getOptionValueSource('remote') === 'cli', options.push === true, 'release ...');
        if (options.push === true) await assertPushRemote(git, options.remote);
        const request = {
          environment: env,
          team,
          version,
          regions: regionsOption(options.regions),
          global: options.global === true,
          confirmRetired: options.confirmRetired === true,
        };
        // Every tag is validated before any is created; existing ones are refused for the whole release.
        const planned = planRelease(org, request, []);
        // In release order (global first), so that a printed push command keeps that order.
        const existing = await existingTags(
          git,
          planned.map((p) => p.tag),
          head,
        );
        if (existing.length > 0) {
          const untagged = planned.map((p) => p.tag).filter((tag) => !existing.some((e) => e.tag === tag));
          throw new UserError(existingTagProblem(existing, options.remote, untagged));
        }
        const rows = planned.map((p) => [
          p.tag,
          p.spec.stack,
          p.spec.account,
          p.spec.scope === 'global' ? `global (from ${p.spec.region})` : p.spec.retired ? `${p.spec.region} (retired: destroys)` : p.spec.region,
          `s3://${p.spec.backend.bucket}/${p.spec.backend.key}`,
        ]);
        process.stdout.write(`${table(['TAG', 'STACK', 'ACCOUNT', 'SCOPE', 'STATE'], rows)}\n`);
        // A dry run warns too: it is where a release is checked, and the real one would tag HEAD without the changes.
        const warning = await uncommittedChangesWarning(git, head);
        if (warning !== undefined) process.stderr.write(`${yellow('warning:')} ${warning}\n`);
        if (options.dryRun === true) {
          process.stdout.write('dry run: no tag created\n');
          return;
        }
        await createTagsAtHead(
          git,
          planned.map((p) => ({ name: p.tag, message: releaseTagMessage(p.spec, version) })),
          (tag) => process.stdout.write(`created ${tag} on ${head.slice(0, 12)}\n`),
        );
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
