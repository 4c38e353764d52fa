import type { Command } from 'commander';
import { stackMatrix } from '../../lib/stack-spec';
import { organisationFor } from '../context';
import { printJson, table } from '../output';

export function registerMatrixCommand(program: Command): void {
  program
    .command('matrix')
    .description('list every stack of the organisation: scope, account, role and state file')
    .option('--json', 'print one JSON array')
    .action((options: { json?: boolean }, command: Command) => {
      const specs = stackMatrix(organisationFor(command));
      if (options.json === true) {
        printJson(
          specs.map((s) => ({
            environment: s.environment,
            scope: s.scope,
            region: s.region,
            team: s.team,
            stack: s.stack,
            account: s.account,
            roleArn: s.roleArn,
            backend: { ...s.backend },
            retired: s.retired,
          })),
        );
        return;
      }
      const rows = specs.map((s) => [s.stack, s.environment, s.team, s.scope === 'global' ? `global (${s.region})` : s.retired ? `${s.region} (retired)` : s.region, s.account, `s3://${s.backend.bucket}/${s.backend.key}`]);
      process.stdout.write(`${table(['STACK', 'ENV', 'TEAM', 'SCOPE', 'ACCOUNT', 'STATE'], rows)}\n`);
    });
}
