import { Option, type Command } from 'commander';
import { UserError } from '../../lib/errors';
import { accessMatrix, toolingMatrix } from '../../lib/pipeline-spec';
import { matchesStackGlob } from '../../lib/stack-glob';
import { stackMatrix, type StateBackend } from '../../lib/stack-spec';
import { STACK_KINDS, type StackKind } from '../../lib/stacks-selector';
import { organisationFor } from '../context';
import { printJson, table } from '../output';

/** One row of the matrix: every stack synth writes, whatever its kind. */
interface MatrixRow {
  readonly kind: StackKind;
  readonly stack: string;
  readonly environment: string;
  readonly team: string | null;
  readonly scope: string;
  readonly region: string;
  readonly account: string;
  readonly roleArn: string | null;
  readonly retired: boolean;
  readonly backend: StateBackend;
}

function rowsOf(org: ReturnType<typeof organisationFor>): MatrixRow[] {
  return [
    ...stackMatrix(org).map((s): MatrixRow => ({
      kind: 'workload',
      stack: s.stack,
      environment: s.environment,
      team: s.team,
      scope: s.scope,
      region: s.region,
      account: s.account,
      roleArn: s.roleArn,
      retired: s.retired,
      backend: { ...s.backend },
    })),
    ...toolingMatrix(org).map((s): MatrixRow => ({
      kind: 'tooling',
      stack: s.stack,
      environment: s.environment,
      team: null,
      scope: 'tooling',
      region: s.region,
      account: s.account,
      roleArn: null,
      retired: false,
      backend: { ...s.backend },
    })),
    ...accessMatrix(org).map((s): MatrixRow => ({
      kind: 'access',
      stack: s.stack,
      environment: s.environment,
      team: s.team,
      scope: 'access',
      region: s.region,
      account: s.account,
      roleArn: s.bootstrapRoleArn,
      retired: false,
      backend: { ...s.backend },
    })),
  ];
}

interface MatrixOptions {
  json?: boolean;
  env?: string;
  team?: string;
  kind?: StackKind;
}

export function registerMatrixCommand(program: Command): void {
  program
    .command('matrix')
    .description('list every stack synth writes (workload, tooling, access): scope, account and state file')
    .argument('[patterns...]', "stack id globs, matched as 'cdktf deploy <patterns...>' matches them (e.g. 'research-dev-*')")
    .option('--env <env>', 'only stacks of this environment')
    .option('--team <team>', 'only stacks of this team (workload and access stacks)')
    .addOption(new Option('--kind <kind>', 'only stacks of this kind').choices(STACK_KINDS))
    .option('--json', 'print one JSON array')
    .action((patterns: string[], options: MatrixOptions, command: Command) => {
      const org = organisationFor(command);
      const all = rowsOf(org);
      if (options.env !== undefined && !org.environments.some((e) => e.name === options.env)) {
        throw new UserError(
          `--env '${options.env}' is not an environment of this organisation (expected one of ${org.environments.map((e) => e.name).join(', ')})`,
        );
      }
      const teams = [...new Set(org.environments.flatMap((e) => e.teams.map((t) => t.name)))].sort();
      if (options.team !== undefined && !teams.includes(options.team))
        throw new UserError(`--team '${options.team}' is not a team of this organisation (expected one of ${teams.join(', ')})`);
      // As cdktf deploy does: a pattern that selects nothing is an error, not an empty list.
      const unmatched = patterns.filter((p) => !all.some((r) => matchesStackGlob(r.stack, p)));
      if (unmatched.length > 0)
        throw new UserError(`no stack matches ${unmatched.map((p) => `'${p}'`).join(', ')} (stack ids are listed by multiregion matrix)`);
      const rows = all.filter(
        (r) =>
          (options.env === undefined || r.environment === options.env) &&
          (options.team === undefined || r.team === options.team) &&
          (options.kind === undefined || r.kind === options.kind) &&
          (patterns.length === 0 || patterns.some((p) => matchesStackGlob(r.stack, p))),
      );
      if (options.json === true) {
        printJson(rows);
        return;
      }
      const scope = (r: MatrixRow): string =>
        r.kind !== 'workload' ? r.region : r.scope === 'global' ? `global (${r.region})` : r.retired ? `${r.region} (retired)` : r.region;
      const lines = rows.map((r) => [r.stack, r.kind, r.environment, r.team ?? '-', scope(r), r.account, `s3://${r.backend.bucket}/${r.backend.key}`]);
      process.stdout.write(`${table(['STACK', 'KIND', 'ENV', 'TEAM', 'SCOPE', 'ACCOUNT', 'STATE'], lines)}\n`);
    });
}
