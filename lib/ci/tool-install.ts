import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../errors';
import { runProcess } from '../subprocess';
import type { PinnedTool } from './tools-manifest';

/** The side of the pinned tools that touches the network and the disk: download, check, unpack. */

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
    const unzip = runProcess('unzip', ['-q', '-o', zip, tool.binary, '-d', path.join(work, 'x')], { quiet: true });
    if (unzip.status !== 0) {
      const reason =
        unzip.status === null
          ? 'unzip could not run (is it installed?)'
          : unzip.stderr.trim().replace(/\s*\n\s*/g, '; ') || `unzip exited with ${unzip.status}`;
      throw new UserError(`${tool.name}: cannot extract ${tool.binary} from ${tool.url}: ${reason}`);
    }
    fs.mkdirSync(binDir, { recursive: true });
    const target = path.join(binDir, path.basename(tool.binary));
    fs.copyFileSync(path.join(work, 'x', tool.binary), target);
    fs.chmodSync(target, 0o755);
    return target;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
