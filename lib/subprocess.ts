import { spawnSync } from 'node:child_process';

/**
 * The one way lib/ runs a program (node for a synth, terraform, unzip): synchronously, to
 * completion. Git is not run here but through the git adapter (lib/git/repository.ts).
 */

export interface ProcessResult {
  /** The exit code; null when the program could not be started or was killed by a signal. */
  readonly status: number | null;
  /** The signal that ended the program, if one did. */
  readonly signal: NodeJS.Signals | null;
  /** What the program wrote to stderr, when `quiet`; empty otherwise. */
  readonly stderr: string;
}

export interface ProcessOptions {
  readonly cwd?: string;
  /** The whole environment of the program. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Capture stdout and stderr instead of passing them through to the build log. @default false */
  readonly quiet?: boolean;
}

/** Runs `command` with `args` (no shell) and waits for it; stdin is closed. */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions = {}): ProcessResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    stdio: options.quiet === true ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
  });
  return { status: result.status, signal: result.signal, stderr: result.stderr ?? '' };
}

/** The first line of a program's stderr, for a one-line report. */
export function firstLineOf(stderr: string): string {
  return stderr.trim().split('\n')[0];
}
