import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { parseEnvFile } from '../../lib/ci/env-file';
import { REPO } from '../pipeline/helpers';
import { git as runGit } from '../support/run';

/** Runs buildspecs locally as CodeBuild does: one bash process per build, phases in order. */

export const BUILDSPECS = path.join(REPO, 'buildspecs');
export const STUBS = path.join(__dirname, 'stubs');

interface Buildspec {
  env?: { 'exported-variables'?: string[] };
  phases: Record<string, { commands?: string[] }>;
}

export interface Run {
  status: number | null;
  output: string;
  exported: Record<string, string>;
}

/** git in `cwd` (the fixed test identity of test/support/run.ts), its output trimmed. */
export function git(cwd: string, ...args: string[]): string {
  return runGit(cwd, args).trim();
}

/** Runs a buildspec's phases in one bash process, stopping at the first failing command, as CodeBuild does. */
export async function runBuildspec(name: string, cwd: string, env: Record<string, string>): Promise<Run> {
  const spec = parse(fs.readFileSync(path.join(BUILDSPECS, name), 'utf8')) as Buildspec;
  const commands = ['install', 'pre_build', 'build', 'post_build'].flatMap((phase) => spec.phases[phase]?.commands ?? []);
  const exportedFile = path.join(os.tmpdir(), `multiregion-exported-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}`);
  const lines = commands.map(
    (command, i) => `${command}\n__rc=$?; if [ "$__rc" -ne 0 ]; then echo "buildspec ${name}: command ${i + 1} failed with $__rc" >&2; exit "$__rc"; fi`,
  );
  const exported = spec.env?.['exported-variables'] ?? [];
  const script = [...lines, `for v in ${exported.join(' ') || 'NONE'}; do printf 'export %s=%q\\n' "$v" "\${!v}"; done > "${exportedFile}"`].join('\n');
  // Asynchronous: the tool archives are served by this very process.
  const child = spawn('bash', ['-c', script], { cwd, env: { PATH: `${env.STUB_BIN}:${process.env.PATH ?? ''}`, HOME: env.HOME, ...env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  let values: Record<string, string> = {};
  if (fs.existsSync(exportedFile)) {
    // %q quoting of these simple values is '...' or bare words; normalise to the env file format.
    const text = fs
      .readFileSync(exportedFile, 'utf8')
      .replace(/^export (\w+)=(?!')(.*)$/gm, (_m, k: string, v: string) => `export ${k}='${v.replace(/\\(.)/g, '$1')}'`);
    values = parseEnvFile(text);
    fs.rmSync(exportedFile);
  }
  return { status, output, exported: values };
}

/** A zip of the given files (name in the archive -> source file), each executable. */
export function zipOf(files: Record<string, string>): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-zip-'));
  for (const [name, source] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.copyFileSync(source, path.join(dir, name));
    fs.chmodSync(path.join(dir, name), 0o755);
  }
  const zip = spawnSync('zip', ['-q', '-r', 'a.zip', ...Object.keys(files)], { cwd: dir });
  if (zip.status !== 0) throw new Error('zip failed');
  return fs.readFileSync(path.join(dir, 'a.zip'));
}
