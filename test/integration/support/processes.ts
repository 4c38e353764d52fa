import { spawn, type ChildProcess } from 'node:child_process';

/** What a finished child process did. */
export interface ProcessResult {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The exit code; null when a signal ended the process. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
}

export interface RunOptions {
  readonly cwd: string;
  /** The complete environment of the child: nothing is inherited implicitly. */
  readonly env: NodeJS.ProcessEnv;
  /** Kill the child's process group after this long. @default 60000 */
  readonly timeoutMs?: number;
}

/** A child process that has started and will settle with its result. */
export interface RunningProcess {
  readonly pid: number;
  readonly result: Promise<ProcessResult>;
}

// Children still running, so that afterAll can stop them when a test fails half-way.
const live = new Map<number, ChildProcess>();

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Each child leads its own process group (detached), so this also stops what it started,
    // e.g. the shell of a terraform local-exec provisioner.
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Starts a command without a shell; output is collected, never inherited. */
export function start(command: string, args: readonly string[], options: RunOptions): RunningProcess {
  const begun = Date.now();
  const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // No pid: spawning failed (e.g. ENOENT), and the 'error' listener below rejects the result.
  const pid = child.pid ?? -1;
  if (child.pid !== undefined) live.set(pid, child);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, options.timeoutMs ?? 60_000);
  const result = new Promise<ProcessResult>((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(timer);
      live.delete(pid);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(pid);
      resolve({
        command,
        args,
        cwd: options.cwd,
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: Date.now() - begun,
        timedOut,
      });
    });
  });
  return { pid, result };
}

export function run(command: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  return start(command, args, options).result;
}

/** Kills every child this module started that is still running (for afterAll). */
export function stopAllProcesses(): void {
  for (const child of live.values()) killGroup(child);
  live.clear();
}

/** The command, how it ended and its output, for an assertion message. */
export function describeResult(result: ProcessResult): string {
  const ended = result.timedOut
    ? `timed out after ${result.durationMs} ms`
    : result.signal !== null
      ? `killed by ${result.signal}`
      : `exit code ${String(result.code)}`;
  return [
    `$ ${result.command} ${result.args.join(' ')}   (in ${result.cwd}; ${ended})`,
    `--- stdout\n${result.stdout.trimEnd()}`,
    `--- stderr\n${result.stderr.trimEnd()}`,
  ].join('\n');
}

/** Returns the result when the command succeeded; otherwise throws with its output. */
export function succeeded(result: ProcessResult): ProcessResult {
  if (result.code !== 0) throw new Error(`command failed\n${describeResult(result)}`);
  return result;
}
