import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * How the peak memory (and CPU time) of a child is measured.
 * - `time`: the child runs under GNU `/usr/bin/time -f '%M %U %S'`, which reports the rusage of
 *   wait4(2): `ru_maxrss` is the exact peak resident set of the largest process in the child's
 *   tree (the shell and everything it started and waited for), whatever those processes run;
 *   user and system CPU time are summed over the tree.
 * - `reporter`: `NODE_OPTIONS=--require <usage-reporter.js>` makes every Node process of the tree
 *   append `process.resourceUsage()` (maxRSS, CPU time) at exit; the largest RSS counts, CPU
 *   times add up. Only Node processes are seen, so this is the fallback where GNU time is
 *   missing.
 * Both give the peak of the largest single process, which understates an app that runs several
 * big processes at once. So, on Linux, the tree is also sampled every SAMPLE_INTERVAL_MS (the RSS
 * of all its processes alive at that moment, added up) and the peak reported is the larger of
 * the two figures.
 */
export type MemoryMethod = 'time' | 'reporter';

export const GNU_TIME = '/usr/bin/time';

export function defaultMemoryMethod(): MemoryMethod {
  return fs.existsSync(GNU_TIME) ? 'time' : 'reporter';
}

export interface Measurement {
  /** Wall time from spawn to exit, measured by the benchmark process. */
  readonly wallSeconds: number;
  /** Peak resident set size in MB (1 MB = 1024 KiB): see MemoryMethod. */
  readonly peakMb: number;
  /**
   * User plus system CPU seconds of the child tree. Unlike wall time it barely moves when other
   * work competes for the CPUs, which makes it the steadier figure on a shared machine.
   */
  readonly cpuSeconds: number;
  /** The most processes of the tree over 8 MB (the app, not its shell) seen alive at once. */
  readonly concurrentProcesses: number;
}

export interface CommandRun {
  /** A shell command line, run the way cdktf runs the app: `/bin/sh -c <command>`. */
  readonly command: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export class RunFailedError extends Error {}

const REPORTER = path.join(__dirname, 'usage-reporter.js');
export const USAGE_FILE_VARIABLE = 'MULTIREGION_BENCH_USAGE_FILE';
const SAMPLE_INTERVAL_MS = 50;
/** Processes below this RSS (a waiting shell, ~2 MB) are not counted as concurrent work. */
const COUNTED_PROCESS_KB = 8 * 1024;

/** Runs one command, fails unless it exits 0, and returns its wall time, CPU time and peak memory. */
export async function measure(run: CommandRun, method: MemoryMethod): Promise<Measurement> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-bench-usage-'));
  const usageFile = path.join(scratch, 'usage');
  try {
    let file: string;
    let args: string[];
    const env = { ...run.env };
    if (method === 'time') {
      file = GNU_TIME;
      args = ['-f', '%M %U %S', '-o', usageFile, '/bin/sh', '-c', run.command];
    } else {
      file = '/bin/sh';
      args = ['-c', run.command];
      env[USAGE_FILE_VARIABLE] = usageFile;
      env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(REPORTER)}`.trim();
    }
    const started = process.hrtime.bigint();
    const { code, signal, output, sampled } = await spawnSampling(file, args, run.cwd, env, method === 'time');
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (code !== 0) {
      const tail = output.trim().split('\n').slice(-15).join('\n');
      throw new RunFailedError(`'${run.command}' in ${run.cwd} exited with ${signal ?? code}:\n${tail}`);
    }
    const usage = readUsage(usageFile, method);
    return {
      wallSeconds,
      peakMb: Math.max(usage.peakKilobytes, sampled.peakKilobytes) / 1024,
      cpuSeconds: usage.cpuSeconds,
      concurrentProcesses: sampled.processes,
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function readUsage(usageFile: string, method: MemoryMethod): { peakKilobytes: number; cpuSeconds: number } {
  const text = fs.existsSync(usageFile) ? fs.readFileSync(usageFile, 'utf8') : '';
  // GNU time writes "<maxrss KiB> <user s> <system s>" (after a "Command exited with non-zero
  // status" line on failure); the reporter writes "<pid> <maxRSS KiB> <CPU microseconds>" per
  // Node process.
  const rows = text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length === 3 && fields.every((field) => /^[0-9]+(\.[0-9]+)?$/.test(field)))
    .map((fields) => fields.map(Number));
  if (rows.length === 0) throw new RunFailedError(`no resource usage reported by the ${method} method (${usageFile} is empty)`);
  if (method === 'time') return { peakKilobytes: rows[0][0], cpuSeconds: rows[0][1] + rows[0][2] };
  return {
    peakKilobytes: Math.max(...rows.map((row) => row[1])),
    cpuSeconds: rows.reduce((sum, row) => sum + row[2], 0) / 1e6,
  };
}

/** Child processes of `pid` (every thread's), from /proc; empty where /proc does not tell. */
function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const task of tasks) {
    try {
      for (const child of fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/)) {
        if (child !== '') out.push(Number(child));
      }
    } catch {
      // the task ended meanwhile
    }
  }
  return out;
}

function residentKilobytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+([0-9]+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

/** Sums the RSS of every process in the tree under `root` (optionally leaving `root` out). */
function sampleTree(root: number, includeRoot: boolean): { kilobytes: number; processes: number } {
  const pending = includeRoot ? [root] : childrenOf(root);
  let kilobytes = 0;
  let processes = 0;
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    const rss = residentKilobytes(pid);
    kilobytes += rss;
    if (rss >= COUNTED_PROCESS_KB) processes += 1;
    pending.push(...childrenOf(pid));
  }
  return { kilobytes, processes };
}

function spawnSampling(
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  skipWrapper: boolean,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; sampled: { peakKilobytes: number; processes: number } }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const sampled = { peakKilobytes: 0, processes: 0 };
    const sample = (): void => {
      if (child.pid === undefined) return;
      const now = sampleTree(child.pid, !skipWrapper);
      sampled.peakKilobytes = Math.max(sampled.peakKilobytes, now.kilobytes);
      sampled.processes = Math.max(sampled.processes, now.processes);
    };
    const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, output: Buffer.concat(chunks).toString('utf8'), sampled });
    });
  });
}
