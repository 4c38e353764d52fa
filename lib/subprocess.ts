import { spawn, spawnSync } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

/**
 * How lib/ runs a program (node for a synth, terraform, unzip): runProcess synchronously, to
 * completion; runCaptured without blocking, for the offline plan's parallel terraform processes.
 * The offline plan's debug-mode provider is the one long-lived child started elsewhere
 * (lib/offline-plan/terraform-process.ts). Git is not run here but through the git adapter
 * (lib/git/repository.ts).
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

/** What a program run by runCaptured wrote and how it ended. */
export interface CapturedResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The run was stopped after its time limit. */
  readonly timedOut: boolean;
}

/**
 * Runs `command` (no shell) without blocking, capturing its output, so several can run at once
 * (the offline plan runs one terraform per stack in parallel). Killed after `timeoutMs`.
 */
export function runCaptured(
  command: string,
  args: readonly string[],
  options: ProcessOptions & {
    readonly timeoutMs: number;
    /** Each line of stdout as it arrives; stdout is then not kept (the result's is empty). */
    readonly onStdoutLine?: (line: string) => void;
  },
): Promise<CapturedResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    // The start of a line whose end has not arrived: kept in pieces, as one line can be 13 MB
    // (terraform test -verbose) and joining on every chunk would copy it again each time.
    let partial: string[] = [];
    // A chunk may end inside a multi-byte character; the decoder keeps it for the next one.
    const decoder = new StringDecoder('utf8');
    child.stdout.on('data', (chunk: Buffer) => {
      const onLine = options.onStdoutLine;
      if (onLine === undefined) {
        stdout.push(chunk);
        return;
      }
      const text = decoder.write(chunk);
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        onLine(partial.join('') + text.slice(start, end));
        partial = [];
        start = end + 1;
      }
      if (start < text.length) partial.push(text.slice(start));
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: null, signal: null, stdout: '', stderr: error.message, timedOut });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const rest = partial.join('') + decoder.end();
      if (rest !== '') options.onStdoutLine?.(rest);
      resolve({ status, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), timedOut });
    });
  });
}
