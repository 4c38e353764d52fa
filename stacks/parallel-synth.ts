import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../lib/errors';
import type { StackManifestEntry } from './engine-internals';

// Where cdktf's Manifest puts things (the merge reads the shards' manifests).
const MANIFEST_FILE = 'manifest.json';
const STACKS_FOLDER = 'stacks';

/** The output directory cdktf's App uses: CDKTF_OUTDIR (set by `cdktf synth`), else cdktf.out. */
export function outdirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.CDKTF_OUTDIR !== undefined && env.CDKTF_OUTDIR !== '' ? env.CDKTF_OUTDIR : 'cdktf.out';
}

/** Below this many stacks one process is faster than starting workers (~0.35 s each). */
export const PARALLEL_SYNTH_MIN_STACKS = 120;

/** The shard this process synthesizes, from MULTIREGION_SYNTH_SHARD=<index>/<count>. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export function shardFromEnv(env: NodeJS.ProcessEnv = process.env): Shard | undefined {
  const text = env.MULTIREGION_SYNTH_SHARD;
  if (text === undefined || text === '') return undefined;
  const match = /^([0-9]+)\/([0-9]+)$/.exec(text);
  if (match === null || Number(match[1]) >= Number(match[2]))
    throw new UserError(`MULTIREGION_SYNTH_SHARD='${text}' is not <index>/<count> (set by the synth for its worker processes; unset it)`);
  return { index: Number(match[1]), count: Number(match[2]) };
}

/** Whether the item at `position` belongs to the shard (round robin, so shards get alike stacks). */
export function inShard(shard: Shard | undefined, position: number): boolean {
  return shard === undefined || position % shard.count === shard.index;
}

/**
 * How many worker processes a full synth of `stacks` stacks uses: one per CPU for large
 * matrices, none (synth in this process) for small ones. MULTIREGION_SYNTH_WORKERS overrides
 * (1 = never fork).
 */
export function synthWorkers(stacks: number, env: NodeJS.ProcessEnv = process.env): number {
  const forced = env.MULTIREGION_SYNTH_WORKERS;
  if (forced !== undefined && forced !== '') {
    const n = Number(forced);
    if (!Number.isInteger(n) || n < 1)
      throw new UserError(`MULTIREGION_SYNTH_WORKERS='${forced}' is not a positive integer: expected the number of synth processes, e.g. 1 (never fork) or 4`);
    return n;
  }
  if (stacks < PARALLEL_SYNTH_MIN_STACKS) return 1;
  return Math.max(1, Math.min(os.availableParallelism(), Math.floor(stacks / (PARALLEL_SYNTH_MIN_STACKS / 2))));
}

/**
 * Synthesizes shard 0 in this process (`synthShardZero` writes it to the directory it is given)
 * while one child process per other shard runs this app with MULTIREGION_SYNTH_SHARD set. Then
 * moves every shard's stacks into `outdir` and writes one manifest, byte for byte what a single
 * process writes. When a worker fails, its output is printed, nothing is moved and its exit code
 * is returned; when shard 0 throws, the children are stopped and the error goes on.
 */
export async function synthInWorkers(
  outdir: string,
  workers: number,
  synthShardZero: (shardDir: string) => Promise<void>,
  argv: readonly string[] = process.argv.slice(1),
): Promise<number> {
  const shardDirs = Array.from({ length: workers }, (_, i) => `${outdir}.shard-${i}-of-${workers}`);
  for (const dir of shardDirs) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }
  const children: ChildProcess[] = [];
  const run = (i: number): Promise<{ code: number; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [...process.execArgv, ...argv], {
        env: { ...process.env, CDKTF_OUTDIR: shardDirs[i], MULTIREGION_SYNTH_SHARD: `${i}/${workers}`, MULTIREGION_SYNTH_WORKERS: '1' },
        stdio: ['ignore', 'inherit', 'pipe'],
      });
      children.push(child);
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
    });
  try {
    const running = shardDirs.slice(1).map((_, i) => run(i + 1));
    try {
      await synthShardZero(shardDirs[0]);
    } catch (error) {
      for (const child of children) child.kill();
      await Promise.all(running);
      throw error;
    }
    const results = await Promise.all(running);
    const failed = results.find((r) => r.code !== 0);
    // Anything a worker printed, once per line, in shard order.
    const printed = new Set<string>();
    for (const r of failed ? [failed] : results) {
      for (const line of r.stderr.split('\n')) {
        if (line !== '' && !printed.has(line)) {
          printed.add(line);
          process.stderr.write(`${line}\n`);
        }
      }
    }
    if (failed) return failed.code;

    const stacksDir = path.join(outdir, STACKS_FOLDER);
    fs.mkdirSync(stacksDir, { recursive: true });
    const merged: { stacks: Record<string, StackManifestEntry>; version?: string } = { stacks: {} };
    for (const dir of shardDirs) {
      const shardManifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as {
        stacks: Record<string, StackManifestEntry>;
        version: string;
      };
      merged.version = shardManifest.version;
      for (const [name, entry] of Object.entries(shardManifest.stacks)) {
        const target = path.join(stacksDir, name);
        fs.rmSync(target, { recursive: true, force: true });
        fs.renameSync(path.join(dir, STACKS_FOLDER, name), target);
        merged.stacks[name] = entry;
      }
    }
    // The engine writes the merged manifest itself: cdktf and cdktn format it differently.
    (await import('./engine-internals')).writeManifest(outdir, merged.version ?? '', merged.stacks);
    return 0;
  } finally {
    for (const dir of shardDirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}
