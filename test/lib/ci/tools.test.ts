import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { installTool } from '../../../lib/ci/tool-install';
import { parseToolsManifest } from '../../../lib/ci/tools-manifest';
import { REPO } from '../../pipeline/helpers';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-tools-'));

/** A zip holding one executable script `bin/faketool`. */
function fakeArchive(): Buffer {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'faketool'), '#!/bin/sh\necho fake 1.2.3\n');
  const zip = spawnSync('zip', ['-q', '-r', 'a.zip', 'bin'], { cwd: dir });
  if (zip.status !== 0) throw new Error('zip failed');
  return fs.readFileSync(path.join(dir, 'a.zip'));
}

describe('tools manifest', () => {
  test('the repository pins terraform, tflint and checkov by version, https URL and sha256', () => {
    const tools = parseToolsManifest(fs.readFileSync(path.join(REPO, 'tools', 'versions.json'), 'utf8'), 'tools/versions.json');
    expect(tools.map((t) => t.name)).toEqual(['terraform', 'tflint', 'checkov']);
    for (const tool of tools) expect(tool.url).toMatch(/^https:\/\//);
  });

  test.each([
    [{ t: { version: '1', url: 'http://example.com/1/t.zip', sha256: 'a'.repeat(64), binary: 't' } }, /is not https/],
    [{ t: { version: '1', url: 'https://example.com/1/t.zip', sha256: 'abc', binary: 't' } }, /is not a sha256/],
    [{ t: { version: '2', url: 'https://example.com/latest/t.zip', sha256: 'a'.repeat(64), binary: 't' } }, /does not contain the version 2/],
    [{ t: { version: '1', url: 'https://example.com/1/t.zip', sha256: 'a'.repeat(64), binary: '../t' } }, /relative path inside the archive/],
    [{ t: { version: '1', url: 'https://example.com/1/t.zip', binary: 't' } }, /tools.t.sha256: missing/],
  ])('GIVEN a bad entry %# THEN the manifest is refused', (tools, message) => {
    expect(() => parseToolsManifest(JSON.stringify({ tools }), 'm.json')).toThrow(message);
  });
});

describe('installTool', () => {
  const archive = fakeArchive();
  const sha256 = createHash('sha256').update(archive).digest('hex');
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end(archive));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('GIVEN the pinned checksum THEN the executable is installed and runs', async () => {
    const bin = tmp();
    const installed = await installTool({ name: 'faketool', version: '1.2.3', url: `${base}/1.2.3/fake.zip`, sha256, binary: 'bin/faketool' }, bin);
    expect(installed).toBe(path.join(bin, 'faketool'));
    expect(spawnSync(installed, [], { encoding: 'utf8' }).stdout).toBe('fake 1.2.3\n');
  });

  test('GIVEN a different checksum THEN nothing is installed', async () => {
    const bin = tmp();
    await expect(
      installTool({ name: 'faketool', version: '1.2.3', url: `${base}/1.2.3/fake.zip`, sha256: 'b'.repeat(64), binary: 'bin/faketool' }, bin),
    ).rejects.toThrow(/has sha256 [0-9a-f]{64}, tools\/versions.json pins b{64}: refusing to install it/);
    expect(fs.readdirSync(bin)).toEqual([]);
  });
});
