import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_ENVIRONMENTS_DIR } from '../lib/config';
import { closestMatch, UserError } from '../lib/errors';
import { exitOnError } from '../lib/fail';
import { defaultEnvironmentsDir, packageRoot } from '../lib/project-root';
import { registerAbsCommands } from './commands/abs';
import { registerCiCommands } from './commands/ci';
import { registerConfigCommands } from './commands/config';
import { registerGuardrailCommands } from './commands/guardrails';
import { registerMatrixCommand } from './commands/matrix';
import { registerPlanCommand } from './commands/plan';
import { registerReleaseCommand } from './commands/release';
import { registerSynthCommand } from './commands/synth';
import { registerTagCommands } from './commands/tag';
import { registerWorkloadCommands } from './commands/workload';

/** The version in package.json (the package root is found upwards: sources and dist/ differ in depth). */
function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(__dirname), 'package.json'), 'utf8')) as { version: string }).version;
}

export function buildProgram(): Command {
  const program = new Command('multiregion')
    .description('Deploy one cdktf codebase to any environment, region and team by release tag.')
    .addOption(
      new Option('--environments <dir>', 'organisation config directory').default(
        process.env.ENVIRONMENTS_DIR || defaultEnvironmentsDir(process.cwd(), DEFAULT_ENVIRONMENTS_DIR),
        'ENVIRONMENTS_DIR, else environments/ of the project root, found upwards from here by cdktf.json',
      ),
    )
    .version(packageVersion(), '-V, --version', 'print the version of multiregion')
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
  registerSynthCommand(program);
  registerPlanCommand(program);
  registerCiCommands(program);
  registerAbsCommands(program);
  registerWorkloadCommands(program);
  registerGuardrailCommands(program);
  program.exitOverride((error) => {
    if (['commander.helpDisplayed', 'commander.version', 'commander.help', 'commander.executeSubCommandAsync'].includes(error.code)) throw error;
    throw new UsageError(error, program);
  });
  for (const command of program.commands) applyParentSettings(command);
  return program;
}

/** `multiregion tag create`: the words a user types to reach a command. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** A usage error of commander, with the command whose `--help` explains the usage. */
class UsageError extends UserError {
  constructor(error: CommanderError, command: Command) {
    // Commander puts its "(Did you mean ...?)" on a second line: keep it, on the one line.
    const lines = error.message
      .replace(/^error: /, '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    super(`${lines.join(' ')} (see ${commandPath(command)} --help)`);
  }
}

function applyParentSettings(command: Command): void {
  command
    .exitOverride((error) => {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help', 'commander.executeSubCommandAsync'].includes(error.code)) throw error;
      throw new UsageError(error, command);
    })
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined });
  command.showSuggestionAfterError(true);
  if (command.commands.length > 0) {
    // A group without a known subcommand is a usage error, not a reason to print help on stderr.
    const names = command.commands.map((c) => c.name());
    command.allowExcessArguments(true).action((_options: unknown, self: Command) => {
      const given = self.args[0];
      const closest = given === undefined ? undefined : closestMatch(given, names);
      const what = given === undefined ? 'missing subcommand' : `unknown subcommand '${given}'`;
      const suggestion = closest !== undefined ? ` (Did you mean ${closest}?)` : '';
      throw new UserError(`${what} of '${command.name()}'${suggestion} (expected one of: ${names.join(', ')}; see ${commandPath(command)} --help)`);
    });
  }
  for (const sub of command.commands) applyParentSettings(sub);
}

export async function run(argv: readonly string[]): Promise<void> {
  // Output piped into a reader that stops early (| head): stop quietly, as other CLIs do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const program = buildProgram();
  // No command at all: the help, on stdout, as `git` does.
  if (argv.filter((a) => a !== '--debug').length === 0) {
    process.stdout.write(program.helpInformation());
    return;
  }
  // `help <command>`: commander prints nothing for an unknown one; say so as for any other typo.
  if (argv[0] === 'help' && argv[1] !== undefined && !program.commands.some((c) => c.name() === argv[1])) {
    exitOnError(
      new UserError(`unknown command '${argv[1]}' (expected one of: ${program.commands.map((c) => c.name()).join(', ')}; see multiregion --help)`),
      false,
    );
  }
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
