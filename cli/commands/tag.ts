import type { Command } from 'commander';
import { environmentOfTag } from '../../lib/tag';
import { UserError } from '../../lib/errors';
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
import { stackSpecForTag, type StackSpec } from '../../lib/stack-spec';
import { formatReleaseTag, parseReleaseTag } from '../../lib/tag';
import { explainTag, listReleaseTags } from '../../lib/tag-report';
import { organisationFor } from '../context';
import { dim, keyValues, printJson, table, yellow } from '../output';

export function describeSpec(spec: StackSpec): [string, string][] {
  return [
    ['stack', spec.stack],
    [
      'scope',
      spec.scope === 'global'
        ? `global (deployed from ${spec.region})`
        : spec.retired
          ? `regional, ${spec.region}, retired: its release destroys every resource of the stack`
          : `regional, ${spec.region}`,
    ],
    ['account', spec.account],
    ['role', spec.roleArn],
    ['state', `s3://${spec.backend.bucket}/${spec.backend.key} (${spec.backend.region})`],
    [
      'locking',
      [spec.backend.useLockfile ? 'S3 lockfile' : '', spec.backend.dynamodbTable !== null ? `DynamoDB table ${spec.backend.dynamodbTable}` : '']
        .filter((s) => s !== '')
        .join(' + '),
    ],
  ];
}

async function gitTags(): Promise<string[]> {
  return (await requireRepository(process.cwd(), OUTSIDE_REPOSITORY_HINT)).listTags();
}

export function registerTagCommands(program: Command): void {
  const tag = program.command('tag').description('explain, create and list release tags (<env>_<region|global>/<team>/<version>)');

  tag
    .command('explain')
    .description('show what a release tag deploys: stack, account, role, state file')
    .argument('<tag>', 'release tag, e.g. dev_us-east-1/research/1.0')
    .option('--json', 'print one JSON object')
    .action((tagText: string, options: { json?: boolean }, command: Command) => {
      const org = organisationFor(command, environmentOfTag(tagText));
      const explanation = explainTag(org, tagText);
      if (options.json === true) {
        printJson(explanation);
        return;
      }
      const spec = stackSpecForTag(org, parseReleaseTag(tagText));
      process.stdout.write(
        `${keyValues([['tag', explanation.tag], ['deploys', `version ${explanation.version} of team ${explanation.team} to ${explanation.environment}`], ...describeSpec(spec)])}\n` +
          `${dim(`synth:   npx multiregion synth --tag ${explanation.tag}  (or DEPLOY_TAG=${explanation.tag} npx cdktf synth)`)}\n`,
      );
    });

  tag
    .command('create')
    .description('validate and create an annotated release tag on HEAD')
    .argument('<env>', 'environment, e.g. dev')
    .argument('<scope>', "region, e.g. us-east-1, or 'global'")
    .argument('<team>', 'team, e.g. research')
    .argument('<version>', 'MAJOR.MINOR[.PATCH][-prerelease], e.g. 1.0')
    .option('--message <text>', 'tag message (default: says what the tag deploys)')
    .option('--push', 'push the tag after creating it')
    .option('--remote <name>', 'remote to push to (with --push)', 'origin')
    .option('--confirm-retired', 'tag a retired region (its release destroys every resource of the stack)')
    .action(
      async (
        env: string,
        scope: string,
        team: string,
        version: string,
        options: { message?: string; push?: boolean; remote: string; confirmRetired?: boolean },
        command: Command,
      ) => {
        const org = organisationFor(command, env);
        const parsedTag = parseReleaseTag(`${env}_${scope}/${team}/${version}`);
        const spec = stackSpecForTag(org, parsedTag);
        if (spec.retired && options.confirmRetired !== true) {
          throw new UserError(
            `region ${spec.region} is retired for team '${spec.team}' in '${spec.environment}': the release destroys every resource of ${spec.stack}; pass --confirm-retired to tag it`,
          );
        }
        const name = formatReleaseTag(parsedTag);
        assertRemoteOnlyWithPush(command.getOptionValueSource('remote') === 'cli', options.push === true, 'tag create ...');
        const git = await requireRepository(process.cwd());
        const head = await requireHead(git);
        const [existing] = await existingTags(git, [name], head);
        if (existing !== undefined) throw new UserError(existingTagProblem([existing], options.remote));
        if (options.push === true) await assertPushRemote(git, options.remote);
        const warning = await uncommittedChangesWarning(git, head);
        if (warning !== undefined) process.stderr.write(`${yellow('warning:')} ${warning}\n`);
        await createTagsAtHead(git, [{ name, message: options.message ?? releaseTagMessage(spec, version) }]);
        process.stdout.write(`created ${name} on ${head.slice(0, 12)} -> stack ${spec.stack}\n`);
        if (options.push === true) await pushTagsInOrder(git, options.remote, [name], (line) => process.stdout.write(`${line}\n`));
      },
    );

  tag
    .command('list')
    .description('list release tags: the latest version per stack; other tags are shown as ignored')
    .option('--json', 'print one JSON object {stacks, ignored}')
    .action(async (options: { json?: boolean }, command: Command) => {
      const org = organisationFor(command);
      const listing = listReleaseTags(org, await gitTags());
      if (options.json === true) {
        printJson(listing);
        return;
      }
      if (listing.stacks.length === 0) process.stdout.write('no release tags\n');
      else {
        const rows = listing.stacks.map((s) => [
          s.stack,
          s.latest,
          String(s.versions.length),
          s.configured ? s.latestTag : `${s.latestTag} ${yellow('(not in config)')}`,
        ]);
        process.stdout.write(`${table(['STACK', 'LATEST', 'RELEASES', 'TAG'], rows)}\n`);
      }
      if (listing.ignored.length > 0) {
        process.stdout.write(`${dim(`ignored ${listing.ignored.length} tag(s) that are not release tags: ${listing.ignored.join(', ')}`)}\n`);
      }
    });
}
