import { Command, CommanderError } from 'commander';
import { DEFAULT_ENVIRONMENTS_DIR } from '../lib/config';
import { UserError } from '../lib/errors';
import { exitOnError } from '../lib/fail';
import { registerAbsCommands } from './commands/abs';
import { registerCiCommands } from './commands/ci';
import { registerConfigCommands } from './commands/config';
import { registerMatrixCommand } from './commands/matrix';
import { registerReleaseCommand } from './commands/release';
import { registerTagCommands } from './commands/tag';
import { registerWorkloadCommands } from './commands/workload';

export function buildProgram(): Command {
  const program = new Command('multiregion')
    .description('Deploy one cdktf codebase to any environment, region and team by release tag.')
    .option('--environments <dir>', 'organisation config directory', process.env.ENVIRONMENTS_DIR || DEFAULT_ENVIRONMENTS_DIR)
    .option('--debug', 'print stack traces of errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // Usage errors become one line on stderr (see the catch below); help goes to stdout.
      writeErr: () => undefined,
      outputError: () => undefined,
    });
  registerTagCommands(program);
  registerMatrixCommand(program);
  registerConfigCommands(program);
  registerReleaseCommand(program);
  registerCiCommands(program);
  registerAbsCommands(program);
  registerWorkloadCommands(program);
  for (const command of program.commands) applyParentSettings(command);
  return program;
}

function applyParentSettings(command: Command): void {
  command.exitOverride().configureOutput({ writeErr: () => undefined, outputError: () => undefined });
  command.showSuggestionAfterError(true);
  if (command.commands.length > 0) {
    // A group without a known subcommand is a usage error, not a reason to print help on stderr.
    const names = command.commands.map((c) => c.name());
    command.allowExcessArguments(true).action((_options: unknown, self: Command) => {
      const given = self.args[0];
      const what = given === undefined ? 'missing subcommand' : `unknown subcommand '${given}'`;
      throw new UserError(`${what} of '${command.name()}' (expected one of: ${names.join(', ')})`);
    });
  }
  for (const sub of command.commands) applyParentSettings(sub);
}

export async function run(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') process.exit(0);
      if (error.code === 'commander.executeSubCommandAsync') process.exit(error.exitCode);
      // A bare group such as `multiregion tag` shows its help; that is not an error either.
      if (error.code === 'commander.missingCommand' || error.message === '(outputHelp)') process.exit(0);
      exitOnError(new UserError(`${error.message.replace(/^error: /, '').split('\n')[0]} (see multiregion --help)`), argv.includes('--debug'));
    }
    exitOnError(error, argv.includes('--debug'));
  }
}
