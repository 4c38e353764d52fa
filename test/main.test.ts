import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_ENVIRONMENTS, tempDir, writeOrg } from './support/org';
import { git, repoWithOrg, synthApp } from './support/run';

function stacksIn(outdir: string): string[] {
  const dir = path.join(outdir, 'stacks');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

describe('the synth app (cdktf.json "app")', () => {
  // Three whole-matrix synths shared by the tests below: with the default number of worker
  // processes, in one process, and with three workers. Each is a second or more of CPU.
  const synths = new Map<string, { out: string; stderr: string; status: number | null }>();
  function wholeMatrix(workers: 'default' | '1' | '3'): { out: string; stderr: string; status: number | null } {
    let synth = synths.get(workers);
    if (synth === undefined) {
      const out = tempDir('synth');
      const result = synthApp(out, { ENVIRONMENTS_DIR: EXAMPLE_ENVIRONMENTS, ...(workers === 'default' ? {} : { MULTIREGION_SYNTH_WORKERS: workers }) });
      synth = { out, stderr: result.stderr, status: result.status };
      synths.set(workers, synth);
    }
    return synth;
  }

  test('GIVEN no DEPLOY_TAG WHEN synthesized THEN every stack of the example organisation is written', () => {
    const { out, stderr, status } = wholeMatrix('default');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const stacks = stacksIn(out);
    expect(stacks.filter((s) => /^(research|risk)-/.test(s))).toHaveLength(31);
    expect(stacks).toEqual(
      expect.arrayContaining(['research-dev-global', 'risk-dev-eu-central-1', 'risk-prod-ap-southeast-1', 'tooling-dev', 'access-prod-risk']),
    );
    expect(stacks).not.toContain('risk-dev-ap-southeast-1');
  });

  test('GIVEN a full synth WHEN read THEN no workload stack references an element of another (why prepareStack can skip its resolve)', () => {
    const { out } = wholeMatrix('default');
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    let remoteStates = 0;
    let references = 0;
    for (const stack of stacksIn(out).filter((s) => /^(research|risk)-/.test(s))) {
      const text = fs.readFileSync(path.join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8');
      const json = JSON.parse(text);
      expect(Object.keys(json.output ?? {}).filter((name) => name.startsWith('cross-stack-output'))).toEqual([]);
      const defined = new Set<string>();
      for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, object>))
        for (const name of Object.keys(byName)) defined.add(`${type}.${name}`);
      for (const [type, byName] of Object.entries((json.data ?? {}) as Record<string, object>))
        for (const name of Object.keys(byName)) defined.add(`data.${type}.${name}`);
      const referenced = [...text.matchAll(/\$\{[^"]*/g)].flatMap((m) =>
        [...m[0].matchAll(/\b((?:data\.)?(?:aws_[a-z0-9_]+|terraform_remote_state)\.[A-Za-z0-9_-]+)/g)].map((r) => r[1]),
      );
      references += referenced.length;
      for (const address of referenced) expect({ stack, address, defined: defined.has(address) }).toEqual({ stack, address, defined: true });
      // Every regional stack depends on its team's global stack (cdktf deploy orders them).
      const spec = /^(.+)-(dev|prod|qa|staging)-(.+)$/.exec(stack)!;
      expect(manifest.stacks[stack].dependencies).toEqual(spec[3] === 'global' ? [] : [`${spec[1]}-${spec[2]}-global`]);
      // The only cross-stack read: a regional stack reads its own team's global state, and depends on that stack.
      for (const remote of Object.values((json.data?.terraform_remote_state ?? {}) as Record<string, { config: { key: string } }>)) {
        remoteStates += 1;
        const [team, environment] = [stack.split('-')[0], manifest.stacks[stack].dependencies[0]?.split('-')[1]];
        expect(manifest.stacks[stack].dependencies).toEqual([`${team}-${environment}-global`]);
        expect(remote.config.key).toBe(`${team}/${environment}-global/terraform.tfstate`);
      }
    }
    expect(remoteStates).toBeGreaterThan(0);
    expect(references).toBeGreaterThan(500);
  });

  test('GIVEN STACKS=workload WHEN synthesized THEN exactly the workload stacks of the whole matrix are written', () => {
    const out = tempDir('synth');
    const result = synthApp(out, { ENVIRONMENTS_DIR: EXAMPLE_ENVIRONMENTS, STACKS: 'workload' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(stacksIn(out)).toEqual(stacksIn(wholeMatrix('default').out).filter((s) => /^(research|risk)-/.test(s)));
  });

  test('GIVEN the same inputs synthesized three times (one process, three workers, the default) THEN the outputs are byte-identical and no shard is left', () => {
    const runs = (['1', '3', 'default'] as const).map((workers) => wholeMatrix(workers));
    for (const run of runs) expect({ stderr: run.stderr, status: run.status }).toEqual({ stderr: '', status: 0 });
    const [single, ...others] = runs.map((run) => filesUnder(run.out));
    for (const other of others) {
      expect([...other.keys()].sort()).toEqual([...single.keys()].sort());
      for (const [file, content] of single) expect({ file, identical: content.equals(other.get(file)!) }).toEqual({ file, identical: true });
    }
    for (const run of runs) expect(fs.readdirSync(path.dirname(run.out)).filter((d) => d.startsWith(`${path.basename(run.out)}.shard-`))).toEqual([]);
  });

  test('GIVEN DEPLOY_TAG and the experiment override WHEN synthesized THEN exactly that stack is written, with the version tag', () => {
    const out = tempDir('synth');
    const result = synthApp(out, { ENVIRONMENTS_DIR: EXAMPLE_ENVIRONMENTS, DEPLOY_TAG: 'dev_eu-central-1/risk/1.0', MULTIREGION_ALLOW_UNRELEASED: '1' });
    expect(result.status).toBe(0);
    expect(stacksIn(out)).toEqual(['risk-dev-eu-central-1']);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'risk-dev-eu-central-1', 'cdk.tf.json'), 'utf8'));
    expect(json.provider.aws[0].default_tags[0].tags.Version).toBe('1.0');
  });

  test.each([
    ['dev_eu-central-1/risk/1.0;touch /tmp/pwned', "it contains ';'"],
    ['dev_ap-southeast-1/risk/1.0', "region 'ap-southeast-1' is not enabled for team 'risk' in 'dev'"],
    ['dev_us-east-1/ops/1.0', "unknown team 'ops'"],
  ])('GIVEN the bad DEPLOY_TAG %j WHEN synthesized THEN it exits 2 with one line and writes nothing', (tag, message) => {
    const out = path.join(tempDir('synth'), 'out');
    const result = synthApp(out, { ENVIRONMENTS_DIR: EXAMPLE_ENVIRONMENTS, DEPLOY_TAG: tag });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(fs.existsSync(out)).toBe(false);
  });

  test.each([
    [{ MULTIREGION_SYNTH_WORKERS: 'two' }, "MULTIREGION_SYNTH_WORKERS='two' is not a positive integer: expected the number of synth processes"],
    [{ MULTIREGION_SYNTH_SHARD: '3/2' }, "MULTIREGION_SYNTH_SHARD='3/2' is not <index>/<count>"],
  ])('GIVEN the bad setting %j WHEN synthesized THEN it exits 2 with one line and writes nothing', (env, message) => {
    const out = path.join(tempDir('synth'), 'out');
    const result = synthApp(out, { ENVIRONMENTS_DIR: EXAMPLE_ENVIRONMENTS, ...env });
    expect({ status: result.status, lines: result.stderr.trim().split('\n').length }).toEqual({ status: 2, lines: 1 });
    expect(result.stderr).toContain(message);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('GIVEN CDKTF_OUTDIR whose parents do not exist WHEN synthesized THEN they are created, as mkdir -p does', () => {
    const out = path.join(tempDir('synth'), 'a', 'b', 'out');
    const result = synthApp(out, { ENVIRONMENTS_DIR: EXAMPLE_ENVIRONMENTS, DEPLOY_TAG: 'dev_eu-central-1/risk/1.0', MULTIREGION_ALLOW_UNRELEASED: '1' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(stacksIn(out)).toEqual(['risk-dev-eu-central-1']);
  });

  test('GIVEN an invalid organisation WHEN synthesized THEN it exits 2 naming the file and writes nothing', () => {
    const dir = writeOrg({ 'project.yaml': 'project: acme\n', 'dev.yaml': 'regions: [us-east-1]\nteams: {}\n' });
    const out = path.join(tempDir('synth'), 'out');
    const result = synthApp(out, { ENVIRONMENTS_DIR: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${dir}/project.yaml:1: (top level): missing field 'backend'`);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('GIVEN ENVIRONMENTS_DIR WHEN synthesized THEN that organisation is used', () => {
    const out = tempDir('synth');
    const result = synthApp(out, { ENVIRONMENTS_DIR: writeOrg() });
    expect(result.status).toBe(0);
    expect(stacksIn(out)).toEqual(['research-dev-eu-central-1', 'research-dev-global', 'research-dev-us-east-1', 'risk-dev-global', 'risk-dev-us-east-1']);
  });
});

describe('DEPLOY_TAG=HEAD reads the release tag at HEAD from a real git repository', () => {
  const synthHead = (repo: string) => {
    const out = path.join(repo, 'cdktf.out');
    return { out, result: synthApp(out, { DEPLOY_TAG: 'HEAD', ENVIRONMENTS_DIR: 'environments' }, repo) };
  };

  test('GIVEN one release tag at HEAD WHEN synthesized THEN its stack is built', () => {
    const repo = repoWithOrg();
    git(repo, ['tag', '-a', '-m', 'release', 'dev_us-east-1/research/1.0']);
    git(repo, ['tag', 'not-a-release']);
    const { out, result } = synthHead(repo);
    expect(result.stderr).toBe('');
    expect(stacksIn(out)).toEqual(['research-dev-us-east-1']);
  });

  test('GIVEN two versions of one stack at HEAD WHEN synthesized THEN the highest version is used', () => {
    const repo = repoWithOrg();
    git(repo, ['tag', 'dev_global/risk/1.9']);
    git(repo, ['tag', 'dev_global/risk/1.10']);
    const { out, result } = synthHead(repo);
    expect(result.status).toBe(0);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'risk-dev-global', 'cdk.tf.json'), 'utf8'));
    expect(json.provider.aws[0].default_tags[0].tags.Version).toBe('1.10');
  });

  test('GIVEN no release tag at HEAD WHEN synthesized THEN it fails with exit 2', () => {
    const repo = repoWithOrg();
    git(repo, ['tag', 'v1.0']);
    const { out, result } = synthHead(repo);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no release tag points at HEAD \(ignored tags that are not release tags: v1\.0\)/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('GIVEN release tags of different stacks at HEAD WHEN synthesized THEN it fails as ambiguous', () => {
    const repo = repoWithOrg();
    git(repo, ['tag', 'dev_us-east-1/research/1.0']);
    git(repo, ['tag', 'dev_eu-central-1/research/1.0']);
    const { result } = synthHead(repo);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('release tags of 2 stacks point at HEAD (dev_eu-central-1/research/1.0, dev_us-east-1/research/1.0)');
  });

  test('GIVEN tags of every stack of a release at HEAD WHEN synthesized THEN the error lists them and names one to use', () => {
    const repo = repoWithOrg();
    for (const tag of ['dev_global/research/1.2', 'dev_us-east-1/research/1.2', 'dev_eu-central-1/research/1.2']) git(repo, ['tag', tag]);
    const { result } = synthHead(repo);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      'error: DEPLOY_TAG=HEAD: release tags of 3 stacks point at HEAD (dev_eu-central-1/research/1.2, dev_global/research/1.2, dev_us-east-1/research/1.2); set DEPLOY_TAG to the one to synthesize, e.g. DEPLOY_TAG=dev_eu-central-1/research/1.2',
    );
  });

  test('GIVEN the release tag at HEAD and an uncommitted change WHEN synthesized THEN it is refused', () => {
    const repo = repoWithOrg();
    git(repo, ['tag', 'dev_us-east-1/research/1.0']);
    fs.appendFileSync(path.join(repo, 'environments', 'dev.yaml'), '# edited\n');
    const { out, result } = synthHead(repo);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the working tree has 1 uncommitted change (environments/dev.yaml)');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('GIVEN a tag on an older commit only WHEN synthesized at HEAD THEN it is not used', () => {
    const repo = repoWithOrg();
    git(repo, ['tag', 'dev_us-east-1/research/1.0']);
    git(repo, ['commit', '-q', '--allow-empty', '-m', 'later']);
    expect(synthHead(repo).result.status).toBe(2);
  });
});

describe('DEPLOY_TAG=<tag> synthesizes only the code of that tag', () => {
  const TAG = 'dev_us-east-1/research/1.0';
  const synthTag = (repo: string, extra: NodeJS.ProcessEnv = {}) => {
    const out = path.join(repo, 'cdktf.out');
    return { out, result: synthApp(out, { DEPLOY_TAG: TAG, ENVIRONMENTS_DIR: 'environments', ...extra }, repo) };
  };

  test('GIVEN the tag at HEAD and a clean tree WHEN synthesized THEN its stack is built', () => {
    const repo = repoWithOrg();
    git(repo, ['tag', '-a', '-m', 'release', TAG]);
    const { out, result } = synthTag(repo);
    expect(result.stderr).toBe('');
    expect(stacksIn(out)).toEqual(['research-dev-us-east-1']);
  });

  test.each([
    ['the tag does not exist', (_repo: string) => undefined, `DEPLOY_TAG=${TAG}: no such tag in`],
    [
      'the tag is on another commit',
      (repo: string) => {
        git(repo, ['tag', TAG]);
        git(repo, ['commit', '-q', '--allow-empty', '-m', 'later']);
      },
      'but HEAD is',
    ],
    [
      'a tracked file changed',
      (repo: string) => {
        git(repo, ['tag', TAG]);
        fs.appendFileSync(path.join(repo, 'environments', 'dev.yaml'), '# edited\n');
      },
      'uncommitted change (environments/dev.yaml)',
    ],
    [
      'an untracked file exists',
      (repo: string) => {
        git(repo, ['tag', TAG]);
        fs.writeFileSync(path.join(repo, 'extra.ts'), '');
      },
      'uncommitted change (extra.ts)',
    ],
  ])('GIVEN %s WHEN synthesized THEN it exits 2 with one line naming the override and writes nothing', (_name, arrange, message) => {
    const repo = repoWithOrg();
    arrange(repo);
    const { out, result } = synthTag(repo);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('MULTIREGION_ALLOW_UNRELEASED=1');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('GIVEN no such tag but MULTIREGION_ALLOW_UNRELEASED=1 WHEN synthesized THEN the working tree is built under that name', () => {
    const repo = repoWithOrg();
    const { out, result } = synthTag(repo, { MULTIREGION_ALLOW_UNRELEASED: '1' });
    expect(result.status).toBe(0);
    expect(stacksIn(out)).toEqual(['research-dev-us-east-1']);
  });

  test('GIVEN a directory that is no git repository WHEN synthesized THEN it is refused', () => {
    const dir = tempDir('plain');
    writeOrg(undefined, path.join(dir, 'environments'));
    const result = synthApp(
      path.join(dir, 'cdktf.out'),
      { DEPLOY_TAG: TAG, ENVIRONMENTS_DIR: 'environments', GIT_CEILING_DIRECTORIES: path.dirname(dir) },
      dir,
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not a git repository with a commit');
  });
});

describe('MULTIREGION_BOOTSTRAP keeps tooling state outside cdktf.out', () => {
  const bootstrap = (cwd: string, extra: NodeJS.ProcessEnv) => {
    const out = path.join(cwd, 'cdktf.out');
    return { out, result: synthApp(out, { ENVIRONMENTS_DIR: EXAMPLE_ENVIRONMENTS, STACKS: 'tooling-dev', ...extra }, cwd) };
  };
  const backendOf = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'tooling-dev', 'cdk.tf.json'), 'utf8')).terraform.backend;

  test('GIVEN MULTIREGION_BOOTSTRAP=1 WHEN synthesized THEN the local state is an absolute path in bootstrap-state/ of the project', () => {
    const project = tempDir('project');
    const { out, result } = bootstrap(project, { MULTIREGION_BOOTSTRAP: '1' });
    expect(result.stderr).toBe('');
    expect(backendOf(out)).toEqual({ local: { path: path.join(project, 'bootstrap-state', 'tooling-dev.tfstate') } });
    expect(fs.statSync(path.join(project, 'bootstrap-state')).isDirectory()).toBe(true);
  });

  test('GIVEN bootstrap state from an earlier bootstrap WHEN MULTIREGION_BOOTSTRAP=1 THEN it is refused and nothing is written; resume continues', () => {
    const project = tempDir('project');
    fs.mkdirSync(path.join(project, 'bootstrap-state'));
    fs.writeFileSync(path.join(project, 'bootstrap-state', 'tooling-dev.tfstate'), '{}');
    const refused = bootstrap(project, { MULTIREGION_BOOTSTRAP: '1' });
    expect(refused.result.status).toBe(2);
    expect(refused.result.stderr).toContain('bootstrap state already exists');
    expect(refused.result.stderr).toContain('MULTIREGION_BOOTSTRAP=resume');
    expect(fs.existsSync(refused.out)).toBe(false);
    const resumed = bootstrap(project, { MULTIREGION_BOOTSTRAP: 'resume' });
    expect(resumed.result.status).toBe(0);
    expect(backendOf(resumed.out).local.path).toBe(path.join(project, 'bootstrap-state', 'tooling-dev.tfstate'));
  });

  test.each([
    [{ MULTIREGION_BOOTSTRAP: 'yes' }, 'MULTIREGION_BOOTSTRAP=yes: expected 1'],
    [{ MULTIREGION_BOOTSTRAP: '1', MULTIREGION_BOOTSTRAP_STATE_DIR: 'cdktf.out/state' }, 'is inside the synth output'],
    [{ MULTIREGION_BOOTSTRAP: '1', DEPLOY_TAG: 'dev_us-east-1/research/1.0', STACKS: '' }, 'not both'],
  ])('GIVEN %j WHEN synthesized THEN it exits 2 with one line', (extra, message) => {
    const project = tempDir('project');
    const { out, result } = bootstrap(project, extra);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('GIVEN no MULTIREGION_BOOTSTRAP WHEN synthesized THEN the tooling stack uses its S3 state', () => {
    const project = tempDir('project');
    const { out } = bootstrap(project, {});
    expect(Object.keys(backendOf(out))).toEqual(['s3']);
  });
});
