import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_ENVIRONMENTS, REPO_ROOT, tempDir, writeOrg } from '../support/org';
import { cli, git, repoWithOrg, synthApp } from '../support/run';

/** A user error: exit 2, exactly one line on stderr, nothing on stdout. */
function expectUserError(result: ReturnType<typeof cli>, fragment: string | RegExp): void {
  expect(result.stdout).toBe('');
  expect(result.status).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(typeof fragment === 'string' ? new RegExp(fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : fragment);
}

describe('multiregion tag explain', () => {
  test('GIVEN a tag and --json WHEN explained THEN stdout is exactly one object with the documented keys', () => {
    const result = cli(['tag', 'explain', 'dev_eu-central-1/risk/1.0', '--json']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      tag: 'dev_eu-central-1/risk/1.0',
      environment: 'dev',
      scope: 'regional',
      region: 'eu-central-1',
      team: 'risk',
      version: '1.0',
      stack: 'risk-dev-eu-central-1',
      account: '444455556666',
      roleArn: 'arn:aws:iam::444455556666:role/InfraBuildRole',
      backend: {
        bucket: 'org-awesome-tf-state-dev',
        key: 'risk/dev-eu-central-1/terraform.tfstate',
        region: 'us-east-1',
        dynamodbTable: null,
        useLockfile: true,
        kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:alias/awsome-infra-dev-state',
      },
    });
  });

  test('GIVEN a global tag WHEN explained for humans THEN it names the stack, role and state file', () => {
    const result = cli(['tag', 'explain', 'prod_global/research/2.1']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('research-prod-global');
    expect(result.stdout).toContain('global (deployed from us-east-1)');
    expect(result.stdout).toContain('s3://org-awesome-tf-state-prod/research/prod-global/terraform.tfstate');
    expect(result.stdout).not.toContain('\u001b[');
  });

  test.each([
    [['tag', 'explain', 'dev_eu-central-1/risk/1.0$(id)'], "it contains '$'"],
    [['tag', 'explain', 'dev_eu-central-1/risk'], 'expected 3'],
    [['tag', 'explain', 'dev_us-north-1/risk/1.0'], "region 'us-north-1' is not enabled for environment 'dev'"],
    [['tag', 'explain'], "missing required argument 'tag'"],
    [['tag', 'explain', 'dev_global/risk/1.0', '--jsn'], "unknown option '--jsn'"],
    [
      ['tag', 'explian', 'x'],
      "unknown subcommand 'explian' of 'tag' (Did you mean explain?) (expected one of: explain, create, list; see multiregion tag --help)",
    ],
    [['matrx'], "unknown command 'matrx' (Did you mean matrix?) (see multiregion --help)"],
    [['tag', 'explain', 'dev_global/risk/1.0', '--josn'], "unknown option '--josn' (Did you mean --json?) (see multiregion tag explain --help)"],
    [['deploy'], "unknown command 'deploy'"],
    [['--environments', '/nonexistent', 'matrix'], '/nonexistent: no such organisation directory'],
  ])('GIVEN %j WHEN run THEN it fails with one line and exit 2', (args, fragment) => {
    expectUserError(cli(args), fragment);
  });
});

describe('multiregion without a command, and from a subdirectory', () => {
  test('GIVEN no arguments WHEN run THEN the help is printed on stdout with exit 0', () => {
    const result = cli([]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: multiregion \[options\] \[command\]/);
    expect(result.stdout).toContain('release');
  });

  test('GIVEN --version THEN the package version is printed; GIVEN help of an unknown command THEN it is a one-line error', () => {
    const version = cli(['--version']);
    expect({ status: version.status, stdout: version.stdout }).toEqual({
      status: 0,
      stdout: `${JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version}\n`,
    });
    expectUserError(cli(['help', 'nope']), /^error: unknown command 'nope' \(expected one of: tag, matrix, .*; see multiregion --help\)$/);
  });

  test('GIVEN a subdirectory of the project WHEN config check runs without --environments THEN the project root is found upwards', () => {
    const result = cli(['config', 'check'], { cwd: path.join(REPO_ROOT, 'docs'), env: { ENVIRONMENTS_DIR: '' } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ok \.\.\/environments: project awsome-infra/);
  });

  test('GIVEN a directory outside any project WHEN config check runs THEN it names the environments/ it looked for', () => {
    const outside = tempDir('outside');
    expectUserError(cli(['config', 'check'], { cwd: outside, env: { ENVIRONMENTS_DIR: '' } }), 'environments: no such organisation directory');
  });
});

describe('multiregion matrix', () => {
  const rowsOf = (args: string[]): Record<string, unknown>[] => {
    const result = cli(['matrix', ...args, '--json']);
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as Record<string, unknown>[];
  };

  test('GIVEN --json WHEN run THEN it lists every stack synth writes, workload, tooling and access, with kind, scope, account and state', () => {
    const rows = rowsOf([]);
    expect(rows).toHaveLength(31 + 4 + 8);
    for (const row of rows)
      expect(Object.keys(row).sort()).toEqual(['account', 'backend', 'environment', 'kind', 'region', 'retired', 'roleArn', 'scope', 'stack', 'team']);
    expect(rows[0]).toMatchObject({ kind: 'workload', stack: 'research-dev-global', scope: 'global', region: 'us-east-1', retired: false });
    expect(rows.filter((r) => r.retired).map((r) => r.stack)).toEqual(['research-qa-ap-southeast-1', 'risk-qa-ap-southeast-1']);
    expect(rows.filter((r) => r.kind === 'tooling').map((r) => r.stack)).toEqual(['tooling-dev', 'tooling-prod', 'tooling-qa', 'tooling-staging']);
    expect(rows.find((r) => r.stack === 'access-dev-risk')).toMatchObject({ kind: 'access', team: 'risk', account: '444455556666' });
  });

  test('GIVEN synth of the whole organisation WHEN compared THEN matrix lists exactly the stacks it writes', () => {
    const out = tempDir('synth');
    expect(synthApp(out, { ENVIRONMENTS_DIR: EXAMPLE_ENVIRONMENTS }).status).toBe(0);
    expect(
      rowsOf([])
        .map((r) => r.stack)
        .sort(),
    ).toEqual(fs.readdirSync(path.join(out, 'stacks')).sort());
  });

  test.each([
    [
      ['--env', 'dev', '--kind', 'access'],
      ['access-dev-research', 'access-dev-risk'],
    ],
    [
      ['--team', 'risk', '--env', 'prod', '--kind', 'workload'],
      ['risk-prod-global', 'risk-prod-us-east-1', 'risk-prod-eu-central-1', 'risk-prod-ap-southeast-1'],
    ],
    [['research-dev-*'], ['research-dev-global', 'research-dev-us-east-1', 'research-dev-eu-central-1', 'research-dev-ap-southeast-1']],
    [
      ['tooling-?a', 'access-qa-*'],
      ['tooling-qa', 'access-qa-research', 'access-qa-risk'],
    ],
    [
      ['*-global', '--env', 'qa'],
      ['research-qa-global', 'risk-qa-global'],
    ],
  ])('GIVEN %j WHEN run THEN only the matching stacks, globbed as cdktf deploy globs them', (args, stacks) => {
    expect(rowsOf(args).map((r) => r.stack)).toEqual(stacks);
  });

  test.each([
    [['nope-*'], "no stack matches 'nope-*'"],
    [['--env', 'dve'], "--env 'dve' is not an environment of this organisation (expected one of dev, prod, qa, staging)"],
    [['--team', 'ops'], "--team 'ops' is not a team of this organisation"],
    [['--kind', 'pipelines'], "option '--kind <kind>' argument 'pipelines' is invalid. Allowed choices are workload, tooling, access."],
  ])('GIVEN %j WHEN run THEN one line, exit 2', (args, fragment) => {
    expectUserError(cli(['matrix', ...args]), fragment);
  });

  test('GIVEN no flag WHEN run THEN it prints an aligned table with the kind and retired regions marked', () => {
    const lines = cli(['matrix']).stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STACK\s+KIND\s+ENV\s+TEAM\s+SCOPE\s+ACCOUNT\s+STATE$/);
    expect(lines).toHaveLength(44);
    const column = lines[0].indexOf('ENV');
    for (const line of lines.slice(1)) expect(line[column - 1]).toBe(' ');
    expect(lines.find((l) => l.startsWith('research-qa-ap-southeast-1 '))).toMatch(/ ap-southeast-1 \(retired\) /);
  });

  test('GIVEN --environments WHEN run THEN that organisation is listed', () => {
    const rows = JSON.parse(cli(['--environments', writeOrg(), 'matrix', '--json', '--kind', 'workload']).stdout) as unknown[];
    expect(rows).toHaveLength(5);
  });
});

describe('multiregion config check', () => {
  test('GIVEN the example organisation WHEN checked THEN it prints a summary and exits 0', () => {
    const result = cli(['config', 'check']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('stacks:       31 (23 regional, 8 global, 2 of them in retired regions)');
  });

  test('GIVEN a stack with release tags that left the config without being retired THEN config check fails naming it and the two ways out; confirmed in removedStacks THEN it passes', () => {
    const repo = repoWithOrg();
    const environments = path.join(repo, 'environments');
    git(repo, ['tag', 'dev_us-east-1/research/1.0']);
    const clean = cli(['--environments', environments, 'config', 'check']);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('release tags: 1 tag(s), no stack left the config without being retired');

    // eu-central-1 leaves dev's regions after it was released to.
    git(repo, ['tag', 'dev_eu-central-1/research/1.0']);
    const dev = fs.readFileSync(path.join(environments, 'dev.yaml'), 'utf8');
    fs.writeFileSync(path.join(environments, 'dev.yaml'), dev.replace(/ {2}- eu-central-1\n/, ''));
    const orphaned = cli(['--environments', environments, 'config', 'check']);
    expect(orphaned.status).toBe(2);
    expect(orphaned.stderr.trim()).toBe(
      'error: research-dev-eu-central-1: has release tags up to dev_eu-central-1/research/1.0 but is no longer in the config: retire its region (retiredRegions in dev.yaml, see docs/regions.md) so that a release destroys its resources, or, if nothing of it is deployed, confirm with removedStacks: [research-dev-eu-central-1] in project.yaml',
    );

    fs.appendFileSync(path.join(environments, 'project.yaml'), 'removedStacks: [research-dev-eu-central-1]\n');
    expect(cli(['--environments', environments, 'config', 'check']).status).toBe(0);
  });

  test('GIVEN removedStacks naming a stack that is still in the config THEN config check says to take it out', () => {
    const repo = repoWithOrg();
    const environments = path.join(repo, 'environments');
    fs.appendFileSync(path.join(environments, 'project.yaml'), 'removedStacks: [research-dev-us-east-1]\n');
    const result = cli(['--environments', environments, 'config', 'check']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('error: project.yaml: removedStacks lists research-dev-us-east-1, which is in the config: take it out of removedStacks');
  });

  test('GIVEN a broken prod.yaml THEN a dev release (tag explain, tagged synth) still works, and config check and prod fail naming the file', () => {
    const dir = tempDir('broken-prod');
    fs.cpSync(EXAMPLE_ENVIRONMENTS, dir, { recursive: true });
    fs.appendFileSync(path.join(dir, 'prod.yaml'), 'regions: [us-east-1\n');
    const explain = cli(['--environments', dir, 'tag', 'explain', 'dev_us-east-1/research/1.0']);
    expect(explain.stderr).toBe('');
    expect(explain.stdout).toContain('stack:   research-dev-us-east-1');
    const out = tempDir('broken-prod-out');
    const synth = synthApp(out, { ENVIRONMENTS_DIR: dir, DEPLOY_TAG: 'dev_us-east-1/research/1.0', MULTIREGION_ALLOW_UNRELEASED: '1' });
    expect(synth.stderr).toBe('');
    expect(fs.readdirSync(path.join(out, 'stacks'))).toEqual(['research-dev-us-east-1']);
    for (const args of [
      ['config', 'check'],
      ['tag', 'explain', 'prod_us-east-1/research/1.0'],
    ]) {
      const result = cli(['--environments', dir, ...args]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`${dir}/prod.yaml:`);
    }
  });

  test('GIVEN an organisation with two problems WHEN checked THEN each is one line and the exit code is 2', () => {
    const dir = writeOrg({
      'project.yaml': fs.readFileSync(path.join(EXAMPLE_ENVIRONMENTS, 'project.yaml'), 'utf8'),
      'dev.yaml': 'regions: [us-east-1, us-east-1]\nteams:\n  risk:\n    account: 044455556666\n',
    });
    const result = cli(['--environments', dir, 'config', 'check']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      `error: ${dir}/dev.yaml:1: regions: duplicate entry 'us-east-1' (items 0 and 1): list each once`,
      `error: ${dir}/dev.yaml:4: teams.risk.account: account id 044455556666 is a number to YAML (an unquoted number drops leading zeros): quote it as a 12-digit string, "044455556666"`,
    ]);
  });
});

describe('multiregion tag create and tag list, in a real git repository', () => {
  function repo(): { dir: string; env: string[] } {
    const dir = tempDir('repo');
    git(dir, ['init', '-q', '-b', 'main']);
    fs.writeFileSync(path.join(dir, 'main.tf'), '# infra\n');
    git(dir, ['add', '.']);
    git(dir, ['commit', '-q', '-m', 'infra']);
    return { dir, env: ['--environments', EXAMPLE_ENVIRONMENTS] };
  }
  const gitEnv = { GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com', GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com' };

  test('GIVEN valid parts WHEN a tag is created THEN it is an annotated tag on HEAD', () => {
    const { dir, env } = repo();
    const result = cli([...env, 'tag', 'create', 'dev', 'eu-central-1', 'risk', '1.0'], { cwd: dir, env: gitEnv });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('created dev_eu-central-1/risk/1.0');
    expect(git(dir, ['cat-file', '-t', 'dev_eu-central-1/risk/1.0']).trim()).toBe('tag');
    expect(git(dir, ['rev-list', '-n', '1', 'dev_eu-central-1/risk/1.0'])).toBe(git(dir, ['rev-parse', 'HEAD']));
    expect(git(dir, ['tag', '-l', '--format=%(contents)', 'dev_eu-central-1/risk/1.0'])).toContain('Release 1.0 of team risk to dev eu-central-1');
  });

  test('GIVEN a retired region and --confirm-retired WHEN a tag is created THEN it exists, and explain says what it destroys', () => {
    const { dir, env } = repo();
    expect(cli([...env, 'tag', 'create', 'qa', 'ap-southeast-1', 'risk', '1.0', '--confirm-retired'], { cwd: dir, env: gitEnv }).status).toBe(0);
    expect(git(dir, ['tag', '-l']).trim()).toBe('qa_ap-southeast-1/risk/1.0');
    expect(cli([...env, 'tag', 'explain', 'qa_ap-southeast-1/risk/1.0']).stdout).toContain(
      'regional, ap-southeast-1, retired: its release destroys every resource of the stack',
    );
  });

  test('GIVEN an existing tag WHEN created again THEN it is refused and nothing moves', () => {
    const { dir, env } = repo();
    expect(cli([...env, 'tag', 'create', 'dev', 'global', 'risk', '1.0'], { cwd: dir, env: gitEnv }).status).toBe(0);
    git(dir, ['commit', '-q', '--allow-empty', '-m', 'later']);
    expectUserError(
      cli([...env, 'tag', 'create', 'dev', 'global', 'risk', '1.0'], { cwd: dir, env: gitEnv }),
      /^error: tag\(s\) already exist on other commits: dev_global\/risk\/1\.0 \(on [0-9a-f]{12}\); release a new version/,
    );
    expect(git(dir, ['rev-list', '-n', '1', 'dev_global/risk/1.0'])).toBe(git(dir, ['rev-parse', 'HEAD~1']));
  });

  test.each([
    [['dev', 'eu-central-1', 'risk', '1.0;id'], "it contains ';'"],
    [['dev', 'ap-southeast-1', 'risk', '1.0'], "region 'ap-southeast-1' is not enabled for team 'risk'"],
    [['dev', 'global', 'risk', '1.0', '--remote', 'origin'], '--remote needs --push'],
    [['dev', 'global', 'risk', '1.0', '--push', '--remote', 'upstream'], '--push: this repository has no git remote: add one (git remote add upstream <url>)'],
    [
      ['qa', 'ap-southeast-1', 'risk', '1.0'],
      "region ap-southeast-1 is retired for team 'risk' in 'qa': the release destroys every resource of risk-qa-ap-southeast-1; pass --confirm-retired to tag it",
    ],
  ])('GIVEN %j WHEN a tag is created THEN it fails and no tag exists', (args, fragment) => {
    const { dir, env } = repo();
    expectUserError(cli([...env, 'tag', 'create', ...args], { cwd: dir, env: gitEnv }), fragment);
    expect(git(dir, ['tag', '-l'])).toBe('');
  });

  test('GIVEN --push WHEN a tag is created THEN it reaches the remote', () => {
    const { dir, env } = repo();
    const remote = tempDir('remote');
    git(remote, ['init', '-q', '--bare']);
    git(dir, ['remote', 'add', 'origin', remote]);
    const result = cli([...env, 'tag', 'create', 'qa', 'us-east-1', 'research', '3.1.4-rc.1', '--push'], { cwd: dir, env: gitEnv });
    expect(result.status).toBe(0);
    expect(git(remote, ['tag', '-l'])).toBe('qa_us-east-1/research/3.1.4-rc.1\n');
  });

  test('GIVEN release and other tags WHEN listed THEN the latest version per stack is shown and others are ignored', () => {
    const { dir, env } = repo();
    for (const tag of [
      'dev_us-east-1/research/1.9',
      'dev_us-east-1/research/1.10',
      'dev_us-east-1/research/1.11-rc.1',
      'dev_global/risk/1.0',
      'v2.0',
      'dev_us-east-1/Research/1.0',
      'zz_us-east-1/ghost/1.0',
    ]) {
      git(dir, ['tag', tag]);
    }
    const json = JSON.parse(cli([...env, 'tag', 'list', '--json'], { cwd: dir }).stdout);
    expect(json.ignored).toEqual(['dev_us-east-1/Research/1.0', 'v2.0']);
    expect(json.stacks.map((s: { stack: string; latest: string; configured: boolean }) => [s.stack, s.latest, s.configured])).toEqual([
      ['ghost-zz-us-east-1', '1.0', false],
      ['research-dev-us-east-1', '1.11-rc.1', true],
      ['risk-dev-global', '1.0', true],
    ]);
    expect(json.stacks[1].versions).toEqual(['1.9', '1.10', '1.11-rc.1']);
    const human = cli([...env, 'tag', 'list'], { cwd: dir }).stdout;
    expect(human).toMatch(/^STACK\s+LATEST\s+RELEASES\s+TAG$/m);
    expect(human).toMatch(/^research-dev-us-east-1\s+1\.11-rc\.1\s+3\s+dev_us-east-1\/research\/1\.11-rc\.1$/m);
    expect(human).toContain('ignored 2 tag(s) that are not release tags: dev_us-east-1/Research/1.0, v2.0');
  });

  test('GIVEN a directory that is not a repository WHEN tags are listed THEN it fails with exit 2', () => {
    expectUserError(cli(['--environments', EXAMPLE_ENVIRONMENTS, 'tag', 'list'], { cwd: tempDir('norepo') }), 'is not a git repository');
  });
});
