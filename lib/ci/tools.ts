import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../errors';
import { isSha256 } from './checksum';

/** One pinned tool: where its release archive is and the sha256 it must have. */
export interface PinnedTool {
  readonly name: string;
  readonly version: string;
  readonly url: string;
  readonly sha256: string;
  /** The executable's path inside the zip archive. */
  readonly binary: string;
}

const NAME = /^[a-z][a-z0-9-]*$/;

function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `'${url}' is not a URL`;
  }
  // Plain http only to the loopback address, where the tests serve archives.
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && parsed.hostname === '127.0.0.1') return undefined;
  return `'${url}' is not https: downloads must be encrypted`;
}

/** Reads and checks the tools manifest (tools/versions.json). One problem per line. */
export function parseToolsManifest(text: string, file: string): PinnedTool[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not JSON (${(error as Error).message})`);
  }
  const tools = (data as { tools?: unknown }).tools;
  if (tools === null || typeof tools !== 'object' || Array.isArray(tools)) throw new UserError(`${file}: expected {"tools": {"<name>": {...}}}`);
  const problems: string[] = [];
  const out: PinnedTool[] = [];
  for (const [name, raw] of Object.entries(tools as Record<string, Record<string, unknown>>)) {
    const at = `${file}: tools.${name}`;
    if (!NAME.test(name)) problems.push(`${at}: invalid tool name`);
    for (const field of ['version', 'url', 'sha256', 'binary']) {
      if (typeof raw[field] !== 'string' || raw[field] === '') problems.push(`${at}.${field}: missing`);
    }
    if (problems.length > 0) continue;
    const tool = { name, version: String(raw.version), url: String(raw.url), sha256: String(raw.sha256), binary: String(raw.binary) };
    if (!isSha256(tool.sha256)) problems.push(`${at}.sha256: '${tool.sha256}' is not a sha256 (64 lower-case hex digits)`);
    const urlIssue = urlProblem(tool.url);
    if (urlIssue !== undefined) problems.push(`${at}.url: ${urlIssue}`);
    if (!tool.url.includes(tool.version)) problems.push(`${at}.url: does not contain the version ${tool.version}: pin the URL to the version`);
    if (tool.binary.split('/').includes('..') || tool.binary.startsWith('/')) problems.push(`${at}.binary: must be a relative path inside the archive`);
    out.push(tool);
  }
  if (problems.length > 0) throw new UserError(problems);
  return out;
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url, { redirect: 'follow' });
  if (!response.ok) throw new UserError(`download ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * Downloads a pinned tool, refuses it unless its sha256 matches the manifest, and installs the
 * executable into `binDir`. Nothing is written to `binDir` when the checksum does not match.
 */
export async function installTool(tool: PinnedTool, binDir: string, fetchArchive: (url: string) => Promise<Buffer> = download): Promise<string> {
  const archive = await fetchArchive(tool.url);
  const actual = createHash('sha256').update(archive).digest('hex');
  if (actual !== tool.sha256) {
    throw new UserError(`${tool.name} ${tool.version}: ${tool.url} has sha256 ${actual}, tools/versions.json pins ${tool.sha256}: refusing to install it`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `multiregion-${tool.name}-`));
  try {
    const zip = path.join(work, 'archive.zip');
    fs.writeFileSync(zip, archive);
    const unzip = spawnSync('unzip', ['-q', '-o', zip, tool.binary, '-d', path.join(work, 'x')], { encoding: 'utf8' });
    if (unzip.status !== 0) throw new UserError(`${tool.name}: cannot extract ${tool.binary} from ${tool.url}: ${(unzip.stderr || unzip.stdout || '').trim()}`);
    fs.mkdirSync(binDir, { recursive: true });
    const target = path.join(binDir, path.basename(tool.binary));
    fs.copyFileSync(path.join(work, 'x', tool.binary), target);
    fs.chmodSync(target, 0o755);
    return target;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
