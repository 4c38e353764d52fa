import type { Command } from 'commander';
import { accessMatrix, toolingMatrix } from '../../lib/pipeline-spec';
import { stackMatrix } from '../../lib/stack-spec';
import { environmentsDir, organisationFor } from '../context';
import { green } from '../output';

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('check the organisation config');
  config
    .command('check')
    .description('validate environments/*.yaml and print a summary (exit 2 with one line per problem)')
    .action((_options: unknown, command: Command) => {
      const org = organisationFor(command);
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
          `  state:        ${backend.layout} layout, ${backend.locking} locking${backend.layout === 'central' ? ` in ${backend.region}` : ''}, prefix ${backend.prefix}`,
          '',
        ].join('\n'),
      );
    });
}
