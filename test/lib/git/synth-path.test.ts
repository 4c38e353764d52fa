import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../support/org';
import { git, repoWithOrg, synthApp } from '../../support/run';

/**
 * The synth of a release tag never loads simple-git (20-35 ms of a 0.4 s synth): its tag check
 * reads git synchronously (lib/git/sync-reader.ts). A preloaded probe records which modules the
 * real synth process loaded; DEPLOY_TAG=HEAD, which lists tags through the git adapter, shows
 * that the probe sees simple-git when it is loaded.
 */

const PROBE = `
const fs = require('node:fs');
process.on('exit', () => {
  const loaded = Object.keys(require.cache).filter((file) => file.includes('node_modules/simple-git/'));
  fs.writeFileSync(process.env.LOADED_MODULES_FILE, JSON.stringify(loaded));
});
`;

function taggedRepo(): string {
  const repo = repoWithOrg();
  git(repo, ['tag', '-a', '-m', 'release', 'dev_us-east-1/research/1.0']);
  return repo;
}

/** Synthesizes in `repo` with DEPLOY_TAG=`tag`; returns the exit code, stderr and the simple-git files loaded. */
function synthWithProbe(repo: string, tag: string): { status: number | null; stderr: string; simpleGit: string[] } {
  const dir = tempDir('synth-probe');
  const probe = path.join(dir, 'probe.js');
  const loaded = path.join(dir, 'loaded.json');
  fs.writeFileSync(probe, PROBE);
  const result = synthApp(
    path.join(repo, 'cdktf.out'),
    { DEPLOY_TAG: tag, ENVIRONMENTS_DIR: 'environments', NODE_OPTIONS: `--require ${probe}`, LOADED_MODULES_FILE: loaded },
    repo,
  );
  return { status: result.status, stderr: result.stderr, simpleGit: JSON.parse(fs.readFileSync(loaded, 'utf8')) as string[] };
}

describe('the synth path and simple-git', () => {
  test('GIVEN DEPLOY_TAG=<tag> WHEN the tag is checked and its stack synthesized THEN simple-git is never loaded', () => {
    const repo = taggedRepo();
    const run = synthWithProbe(repo, 'dev_us-east-1/research/1.0');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(repo, 'cdktf.out', 'stacks', 'research-dev-us-east-1', 'cdk.tf.json'))).toBe(true);
    expect(run.simpleGit).toEqual([]);
  });

  test('GIVEN DEPLOY_TAG=HEAD WHEN synthesized THEN the probe sees simple-git, which lists the tags at HEAD', () => {
    const run = synthWithProbe(taggedRepo(), 'HEAD');
    expect(run.status).toBe(0);
    expect(run.simpleGit).toEqual(expect.arrayContaining([expect.stringContaining('node_modules/simple-git/')]));
  });
});
