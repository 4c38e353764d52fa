import * as path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../lib/errors';
import { repositoryAt } from '../../lib/release-repository';
import { orphanedStackProblems } from '../../lib/tag-report';
import { accessMatrix, toolingMatrix } from '../../lib/pipeline-spec';
import { stackMatrix } from '../../lib/stack-spec';
import { environmentsDir, organisationFor } from '../context';
import { green } from '../output';

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('check the organisation config');
  config
    .command('check')
    .description('validate environments/*.yaml and print a summary (exit 2 with one line per problem)')
    .action(async (_options: unknown, command: Command) => {
      const org = organisationFor(command);
      // Stacks with release tags that left the config without being retired: their resources would be orphaned.
      const git = await repositoryAt(path.resolve(environmentsDir(command)));
      const tags = git !== undefined ? await git.listTags() : undefined;
      const orphans = tags !== undefined ? orphanedStackProblems(org, tags) : [];
      if (orphans.length > 0) throw new ConfigError(orphans);
      const specs = stackMatrix(org);
      const teams = new Set(org.environments.flatMap((e) => e.teams.map((t) => t.name)));
      const regions = new Set(org.environments.flatMap((e) => e.regions));
      const globals = specs.filter((s) => s.scope === 'global').length;
      const retired = specs.filter((s) => s.retired).length;
      const { backend } = org.project;
      const tooling = toolingMatrix(org).length;
      const access = accessMatrix(org).length;
      process.stdout.write(
        [
          `${green('ok')} ${environmentsDir(command)}: project ${org.project.project}`,
          `  environments: ${org.environments.map((e) => e.name).join(', ')}`,
          `  teams:        ${[...teams].sort().join(', ')}`,
          `  regions:      ${[...regions].sort().join(', ')} (global stacks deploy from ${org.project.globalRegion})`,
          `  stacks:       ${specs.length} (${specs.length - globals} regional, ${globals} global${retired > 0 ? `, ${retired} of them in retired regions` : ''})`,
          `  pipelines:    ${tooling} tooling and ${access} access stack(s)${tooling === 0 ? ' (project.yaml has no pipeline section)' : ''}; npx multiregion matrix lists every stack`,
          `  release tags: ${tags === undefined ? 'not checked (the config is not in a git repository)' : `${tags.length} tag(s), no stack left the config without being retired`}`,
          `  state:        ${backend.layout} layout, ${backend.locking} locking${backend.layout === 'central' ? ` in ${backend.region}` : ''}, prefix ${backend.prefix}`,
          '',
        ].join('\n'),
      );
    });
}
