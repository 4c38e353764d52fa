import { UserError } from '../errors';
import { isSha256 } from './checksum';

/** tools/versions.json: the pinned tools of the pipeline stages (pure: no download, see tool-install.ts). */

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
