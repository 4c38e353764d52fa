import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Manifest } from 'cdktf';

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
  if (match === null || Number(match[1]) >= Number(match[2])) throw new Error(`MULTIREGION_SYNTH_SHARD='${text}' is not <index>/<count>`);
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
    if (!Number.isInteger(n) || n < 1) throw new Error(`MULTIREGION_SYNTH_WORKERS='${forced}' is not a positive integer`);
    return n;
  }
  if (stacks < PARALLEL_SYNTH_MIN_STACKS) return 1;
  return Math.max(1, Math.min(os.availableParallelism(), Math.floor(stacks / (PARALLEL_SYNTH_MIN_STACKS / 2))));
}

interface StackManifestEntry {
  readonly name: string;
}

/**
 * Runs this app once per shard, each writing to its own directory next to `outdir`, then moves
 * the stacks into `outdir` and writes one manifest, byte for byte what a single process writes.
 * When a worker fails, its output is printed, nothing is moved and the exit code is returned.
 */
export async function synthInWorkers(outdir: string, workers: number, argv: readonly string[] = process.argv.slice(1)): Promise<number> {
  const shardDirs = Array.from({ length: workers }, (_, i) => `${outdir}.shard-${i}-of-${workers}`);
  const run = (i: number): Promise<{ code: number; stderr: string }> =>
    new Promise((resolve) => {
      fs.rmSync(shardDirs[i], { recursive: true, force: true });
      fs.mkdirSync(shardDirs[i], { recursive: true });
      const child = spawn(process.execPath, [...process.execArgv, ...argv], {
        env: { ...process.env, CDKTF_OUTDIR: shardDirs[i], MULTIREGION_SYNTH_SHARD: `${i}/${workers}`, MULTIREGION_SYNTH_WORKERS: '1' },
        stdio: ['ignore', 'inherit', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
    });
  try {
    const results = await Promise.all(shardDirs.map((_, i) => run(i)));
    const failed = results.find((r) => r.code !== 0);
    // Warnings (annotations) of every worker, once each, in shard order.
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

    const stacksDir = path.join(outdir, Manifest.stacksFolder);
    fs.mkdirSync(stacksDir, { recursive: true });
    const manifest = new Manifest(readManifestVersion(shardDirs[0]), outdir, false);
    for (const dir of shardDirs) {
      const shardManifest = JSON.parse(fs.readFileSync(path.join(dir, Manifest.fileName), 'utf8')) as { stacks: Record<string, StackManifestEntry> };
      for (const [name, entry] of Object.entries(shardManifest.stacks)) {
        const target = path.join(stacksDir, name);
        fs.rmSync(target, { recursive: true, force: true });
        fs.renameSync(path.join(dir, Manifest.stacksFolder, name), target);
        (manifest.stacks as Record<string, StackManifestEntry>)[name] = entry;
      }
    }
    manifest.writeToFile();
    return 0;
  } finally {
    for (const dir of shardDirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function readManifestVersion(dir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, Manifest.fileName), 'utf8')) as { version: string }).version;
}
