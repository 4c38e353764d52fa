import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_ENVIRONMENTS as ENVIRONMENTS } from '../support/org';
import { cli, git as runGit, type RunResult } from '../support/run';

/** Runs the compiled CLI (the jest global setup builds it) in a directory of the test's choosing. */
function release(cwd: string, ...args: string[]): RunResult {
  return cli(['--environments', ENVIRONMENTS, 'release', ...args], { cwd });
}

/** git in `cwd` (the fixed test identity of test/support/run.ts), its output trimmed. */
const git = (cwd: string, ...args: string[]): string => runGit(cwd, args).trim();

function repoWithCommit(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-release-'));
  git(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, 'README'), 'infra\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'infra');
  return dir;
}

const tags = (dir: string): string[] =>
  git(dir, 'tag', '--list')
    .split('\n')
    .filter((t) => t !== '');

describe('multiregion release', () => {
  test('GIVEN --global and --regions all THEN it tags HEAD global first, then each region of the team, and prints what each deploys', () => {
    const dir = repoWithCommit();
    const result = release(dir, 'dev', 'research', '1.2', '--global', '--regions', 'all');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const created = result.stdout
      .split('\n')
      .filter((l) => l.startsWith('created '))
      .map((l) => l.split(' ')[1]);
    expect(created).toEqual(['dev_global/research/1.2', 'dev_us-east-1/research/1.2', 'dev_eu-central-1/research/1.2', 'dev_ap-southeast-1/research/1.2']);
    expect(result.stdout).toMatch(
      /^dev_global\/research\/1\.2\s+research-dev-global\s+555555555555\s+global \(from us-east-1\)\s+s3:\/\/org-awesome-tf-state-dev\/research\/dev-global\/terraform\.tfstate$/m,
    );
    const head = git(dir, 'rev-parse', 'HEAD');
    for (const tag of created) expect(git(dir, 'rev-list', '-n', '1', tag)).toBe(head);
  });

  test('GIVEN --regions with a subset THEN only those, in the environment order', () => {
    const dir = repoWithCommit();
    expect(release(dir, 'dev', 'risk', '2.0.1-rc.1', '--regions', 'eu-central-1,us-east-1').status).toBe(0);
    expect(tags(dir)).toEqual(['dev_eu-central-1/risk/2.0.1-rc.1', 'dev_us-east-1/risk/2.0.1-rc.1']);
  });

  test('GIVEN --push THEN every tag reaches the remote', () => {
    const dir = repoWithCommit();
    const remote = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-remote-'));
    git(remote, 'init', '-q', '--bare');
    git(dir, 'remote', 'add', 'origin', remote);
    const result = release(dir, 'qa', 'risk', '1.0', '--global', '--regions', 'us-east-1', '--push');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((l) => l.startsWith('pushed '))).toEqual([
      'pushed qa_global/risk/1.0 to origin',
      'pushed qa_us-east-1/risk/1.0 to origin',
    ]);
    expect(tags(remote)).toEqual(['qa_global/risk/1.0', 'qa_us-east-1/risk/1.0']);
  });

  test('GIVEN a retired region and --confirm-retired THEN its tag is planned and marked as destroying', () => {
    const result = release(repoWithCommit(), 'qa', 'research', '1.0', '--regions', 'us-east-1,ap-southeast-1', '--confirm-retired', '--dry-run');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^qa_ap-southeast-1\/research\/1\.0\s+research-qa-ap-southeast-1\s+\d{12}\s+ap-southeast-1 \(retired: destroys\)/m);
  });

  test('GIVEN --dry-run THEN nothing is created', () => {
    const dir = repoWithCommit();
    const result = release(dir, 'dev', 'research', '1.0', '--global', '--dry-run');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('dry run: no tag created');
    expect(result.stderr).toBe('');
    expect(tags(dir)).toEqual([]);
  });

  test('GIVEN --dry-run on a working tree with uncommitted changes THEN it warns as the real release would, and creates nothing', () => {
    const dir = repoWithCommit();
    fs.writeFileSync(path.join(dir, 'README'), 'infra, changed\n');
    const head = git(dir, 'rev-parse', 'HEAD');
    const result = release(dir, 'dev', 'research', '1.0', '--global', '--dry-run');
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(`warning: the working tree has uncommitted changes; the tags point at HEAD (${head.slice(0, 12)}) without them\n`);
    expect(result.stdout).toContain('dry run: no tag created');
    expect(tags(dir)).toEqual([]);
  });

  test.each([
    [['dev', 'risk', '1.0', '--regions', 'ap-southeast-1'], /error: region\(s\) ap-southeast-1 not enabled for team 'risk' in 'dev'/],
    [['dev', 'research', '1.0', '--regions', 'us-east-1,us-east-1'], /error: --regions lists us-east-1 more than once/],
    [['dev', 'research', '1.0'], /error: nothing to release: pass --global and\/or --regions/],
    [['dev', 'research', '01.0', '--global'], /error: the version '01.0' is not valid/],
    [['development', 'research', '1.0', '--global'], /error: unknown environment 'development'/],
    [['dev', 'research', '1.0', '--global', '--remote', 'upstream'], /error: --remote needs --push/],
    [
      ['qa', 'research', '1.0', '--regions', 'ap-southeast-1'],
      /error: region\(s\) ap-southeast-1 retired for team 'research' in 'qa': the release destroys every resource of research-qa-ap-southeast-1; pass --confirm-retired/,
    ],
  ])('GIVEN %j THEN it fails with one line, exit 2, and creates no tag', (args, message) => {
    const dir = repoWithCommit();
    const result = release(dir, ...args);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(tags(dir)).toEqual([]);
  });

  test('GIVEN one tag of the release already exists THEN no tag is created at all', () => {
    const dir = repoWithCommit();
    git(dir, 'tag', 'dev_eu-central-1/research/1.0');
    const result = release(dir, 'dev', 'research', '1.0', '--global', '--regions', 'all');
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      'error: tag(s) already exist at HEAD: dev_eu-central-1/research/1.0; if an earlier push failed, push them: git push origin refs/tags/dev_eu-central-1/research/1.0; not tagged yet: dev_global/research/1.0, dev_us-east-1/research/1.0, dev_ap-southeast-1/research/1.0: tag only those by naming their scopes (--regions, --global), or release a new version',
    );
    expect(tags(dir)).toEqual(['dev_eu-central-1/research/1.0']);
  });

  test('GIVEN a tag of the release exists on an older commit THEN a new version is asked for', () => {
    const dir = repoWithCommit();
    git(dir, 'tag', 'dev_global/research/1.0');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'later');
    const result = release(dir, 'dev', 'research', '1.0', '--global');
    expect(result.status).toBe(2);
    const older = git(dir, 'rev-parse', 'HEAD~1').slice(0, 12);
    expect(result.stderr.trim()).toBe(
      `error: tag(s) already exist on other commits: dev_global/research/1.0 (on ${older}); release a new version instead of moving tags`,
    );
  });

  test('GIVEN a remote that refuses the second tag WHEN pushed THEN one line says what was pushed and the exact command for the rest', () => {
    const dir = repoWithCommit();
    const remote = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-remote-'));
    git(remote, 'init', '-q', '--bare');
    // A server-side rule as a real remote would have it: refuse regional tags of this release.
    fs.writeFileSync(
      path.join(remote, 'hooks', 'pre-receive'),
      '#!/bin/sh\nwhile read old new ref; do case "$ref" in *us-east-1*) echo "tag rule: not allowed" >&2; exit 1;; esac; done\n',
      { mode: 0o755 },
    );
    git(dir, 'remote', 'add', 'origin', remote);
    const result = release(dir, 'qa', 'risk', '1.0', '--global', '--regions', 'all', '--push');
    expect(result.status).toBe(2);
    expect(result.stderr).not.toContain('internal error');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error: push of qa_us-east-1\/risk\/1\.0 to origin failed \(.+\); pushed: qa_global\/risk\/1\.0; created but not pushed: qa_us-east-1\/risk\/1\.0, qa_eu-central-1\/risk\/1\.0: fix the cause, then run: git push origin refs\/tags\/qa_us-east-1\/risk\/1\.0 && git push origin refs\/tags\/qa_eu-central-1\/risk\/1\.0$/,
    );
    expect(tags(remote)).toEqual(['qa_global/risk/1.0']);
    // A rerun names the same tags in release order (global first), never alphabetical.
    const rerun = release(dir, 'qa', 'risk', '1.0', '--global', '--regions', 'all', '--push');
    expect(rerun.status).toBe(2);
    expect(rerun.stderr).toContain(
      'git push origin refs/tags/qa_global/risk/1.0 && git push origin refs/tags/qa_us-east-1/risk/1.0 && git push origin refs/tags/qa_eu-central-1/risk/1.0',
    );
    // The printed command finishes the release once the cause is gone.
    fs.rmSync(path.join(remote, 'hooks', 'pre-receive'));
    const rest = lines[0].split('then run: ')[1];
    expect(spawnSync('sh', ['-c', rest], { cwd: dir }).status).toBe(0);
    expect(tags(remote).sort()).toEqual(['qa_eu-central-1/risk/1.0', 'qa_global/risk/1.0', 'qa_us-east-1/risk/1.0']);
  });
});
