import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { formatEnvFile, parseEnvFile } from '../../lib/ci/env-file';
import { REPO } from '../pipeline/helpers';

/**
 * The buildspecs as CodeBuild runs them: every command passes shellcheck, and the non-AWS part of
 * each stage runs locally in bash with the variables CodeBuild sets and stubs for aws, terraform,
 * tflint and checkov, from the tag push to the apply.
 */

const BUILDSPECS = path.join(REPO, 'buildspecs');
const STUBS = path.join(__dirname, 'stubs');
const names = fs.readdirSync(BUILDSPECS).filter((f) => f.endsWith('.yml')).sort();

interface Buildspec {
  version: number;
  env?: { shell?: string; 'exported-variables'?: string[] };
  phases: Record<string, { commands?: string[] }>;
  artifacts?: { files: string[]; 'exclude-paths'?: string[] };
}

const load = (name: string): Buildspec => parse(fs.readFileSync(path.join(BUILDSPECS, name), 'utf8')) as Buildspec;
const commandsOf = (spec: Buildspec): string[] => ['install', 'pre_build', 'build', 'post_build'].flatMap((phase) => spec.phases[phase]?.commands ?? []);

function shellcheckPath(): string {
  const found = spawnSync('bash', ['-c', 'command -v shellcheck'], { encoding: 'utf8' }).stdout.trim();
  if (found === '') throw new Error('shellcheck is not on PATH: install it (apt-get install -y shellcheck; .ci/run does) to lint the buildspec commands');
  return found;
}

/** Lints commands as one bash script, run from a directory holding a sample of the sourced env files. */
function shellcheck(commands: readonly string[]): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-shellcheck-'));
  fs.mkdirSync(path.join(dir, '.multiregion'));
  const sample = formatEnvFile({ TAG: 'dev_us-east-1/research/1.0', STACK_DIR: 'cdktf.out/stacks/research-dev-us-east-1' });
  for (const file of ['release.env', 'plan.env', 'checksum.env', 'drift.env']) fs.writeFileSync(path.join(dir, '.multiregion', file), sample);
  fs.writeFileSync(path.join(dir, 'script.sh'), `#!/bin/bash\n${commands.join('\n')}\n`);
  const result = spawnSync(shellcheckPath(), ['--external-sources', '--shell=bash', '--severity=style', 'script.sh'], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('buildspecs', () => {
  test('there is one buildspec per stage', () => {
    expect(names).toEqual(['apply.yml', 'drift.yml', 'health.yml', 'plan.yml', 'scan-plan.yml', 'scan.yml', 'trigger.yml', 'validate.yml']);
  });

  test.each(names)('%s is CodeBuild buildspec 0.2 running bash, tools pinned, no soft-fail, logic in the CLI', (name) => {
    const spec = load(name);
    expect(spec.version).toBe(0.2);
    expect(spec.env?.shell).toBe('bash');
    const commands = commandsOf(spec);
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      expect(command).not.toMatch(/soft-fail/);
      expect(command).not.toMatch(/\bcut\b|\bawk\b|\bsed\b/); // tags are parsed by the CLI, never in shell
      expect(command).not.toMatch(/curl|wget|pip install/); // tools come from ci install-tools (checksums)
      if (/\bnpx\b/.test(command)) expect(command).toMatch(/^npx --no-install multiregion ci /);
    }
  });

  test.each(names)('every command of %s passes shellcheck', (name) => {
    const result = shellcheck(commandsOf(load(name)));
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  test('the shellcheck harness does catch a bad command', () => {
    const result = shellcheck(['echo $TAG > $STACK_DIR/x']);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/SC2086/);
  });
});

// ---- local runs -------------------------------------------------------------------------------

const TAG = 'dev_us-east-1/research/1.0';
const STATE_ZIP_NAME = 'uploaded.zip';

interface Run {
  status: number | null;
  output: string;
  exported: Record<string, string>;
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** Runs a buildspec's phases in one bash process, stopping at the first failing command, as CodeBuild does. */
async function runBuildspec(name: string, cwd: string, env: Record<string, string>): Promise<Run> {
  const spec = load(name);
  const exportedFile = path.join(cwd, '.exported');
  const lines = commandsOf(spec).map((command, i) => `${command}\n__rc=$?; if [ "$__rc" -ne 0 ]; then echo "buildspec ${name}: command ${i + 1} failed with $__rc" >&2; exit "$__rc"; fi`);
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
    const text = fs.readFileSync(exportedFile, 'utf8').replace(/^export (\w+)=(?!')(.*)$/gm, (_m, k: string, v: string) => `export ${k}='${v.replace(/\\(.)/g, '$1')}'`);
    values = parseEnvFile(text);
  }
  return { status, output, exported: values };
}

function zipOf(files: Record<string, string>): Buffer {
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

describe('buildspecs run locally, tag push to apply (codecommit source)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-pipeline-'));
  const stubBin = path.join(root, 'stub-bin');
  const state = path.join(root, 'state');
  const home = path.join(root, 'home');
  let server: http.Server;
  let commit = '';
  let workspace = '';
  const archives: Record<string, Buffer> = {};

  const baseEnv = (): Record<string, string> => ({
    STUB_BIN: stubBin,
    STUB_STATE: state,
    HOME: home,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    CODEBUILD_BUILD_ID: 'awsome-infra-dev-plan:0f0e0d0c-aaaa-bbbb-cccc-ddddeeeeffff',
    CODEBUILD_BUILD_ARN: 'arn:aws:codebuild:us-east-1:111122223333:build/awsome-infra-dev-plan:0f0e0d0c-aaaa-bbbb-cccc-ddddeeeeffff',
    CODEBUILD_BUILD_URL: 'https://us-east-1.console.aws.amazon.com/codebuild/home?region=us-east-1#/builds/awsome-infra-dev-plan:0f0e0d0c/view/new',
    CODEBUILD_INITIATOR: 'codepipeline/awsome-infra-dev-release',
    PIPELINE_ENVIRONMENT: 'dev',
    PIPELINE_SOURCE: 'codecommit',
  });
  const calls = (): string[] => fs.readFileSync(path.join(state, 'calls.log'), 'utf8').split('\n').filter((l) => l !== '');

  beforeAll(async () => {
    for (const dir of [stubBin, state, home]) fs.mkdirSync(dir, { recursive: true });
    for (const stub of ['aws', 'npm', 'npx', 'cli-runner.js']) fs.copyFileSync(path.join(STUBS, stub), path.join(stubBin, stub));
    for (const stub of ['aws', 'npm', 'npx']) fs.chmodSync(path.join(stubBin, stub), 0o755);
    fs.writeFileSync(path.join(state, 'calls.log'), '');
    // The pinned tools are served from 127.0.0.1 as zips of the stubs, so install-tools runs for real.
    archives.terraform = zipOf({ terraform: path.join(STUBS, 'terraform-stub') });
    archives.tflint = zipOf({ tflint: path.join(STUBS, 'tflint-stub') });
    archives.checkov = zipOf({ 'dist/checkov': path.join(STUBS, 'checkov-stub') });
    server = http.createServer((req, res) => res.end(archives[(req.url ?? '').split('/')[2]] ?? ''));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // The infrastructure repository: this project's sources, committed and tagged.
    const repo = path.join(root, 'repo');
    fs.mkdirSync(repo);
    for (const entry of ['bin', 'cli', 'lib', 'modules', 'workloads', 'stacks', 'environments', 'buildspecs', 'tools', 'data', 'main.ts', 'package.json', 'tsconfig.json', 'cdktf.json']) {
      fs.cpSync(path.join(REPO, entry), path.join(repo, entry), { recursive: true });
    }
    fs.copyFileSync(path.join(STUBS, 'app.js'), path.join(repo, 'bin', 'app.js'));
    const tools = JSON.parse(fs.readFileSync(path.join(repo, 'tools', 'versions.json'), 'utf8')) as { tools: Record<string, { version: string; url: string; sha256: string }> };
    for (const [name, tool] of Object.entries(tools.tools)) {
      tool.url = `${base}/${tool.version}/${name}/${name}.zip`;
      tool.sha256 = createHash('sha256').update(archives[name]).digest('hex');
    }
    fs.writeFileSync(path.join(repo, 'tools', 'versions.json'), JSON.stringify(tools, null, 2));
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'infra');
    git(repo, 'tag', '-a', '-m', 'release', TAG);
    commit = git(repo, 'rev-parse', 'HEAD');
    // The release branch lives on origin: the trigger refuses tags of commits not merged there.
    const origin = path.join(root, 'origin.git');
    git(root, 'init', '-q', '--bare', origin);
    git(repo, 'remote', 'add', 'origin', origin);
    git(repo, 'push', '-q', 'origin', 'main');
    // An uncommitted change must never reach the release: the trigger packs the tagged commit.
    fs.appendFileSync(path.join(repo, 'environments', 'dev.yaml'), '\n# uncommitted\n');
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
    workspace = repo;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('trigger.yml validates the pushed tag, uploads exactly the tagged commit and starts the pipeline on that object version', async () => {
    const run = await runBuildspec('trigger.yml', workspace, {
      ...baseEnv(),
      CODEBUILD_SRC_DIR: workspace,
      CODEBUILD_SOURCE_VERSION: TAG,
      CODEBUILD_RESOLVED_SOURCE_VERSION: commit,
      RELEASE_TAG: TAG,
      RELEASE_COMMIT: commit,
      SOURCE_BUCKET: 'awsome-infra-dev-source-111122223333',
      SOURCE_KEY: 'release/source.zip',
      PIPELINE_NAME: 'awsome-infra-dev-release',
      PIPELINE_REGION: 'us-east-1',
      RELEASE_BRANCH: 'main',
    });
    expect(run.output).toContain(`release ${TAG} at ${commit.slice(0, 12)} -> stack research-dev-us-east-1`);
    expect(run.status).toBe(0);
    expect(run.exported).toEqual({ TAG, COMMIT: commit, STACK: 'research-dev-us-east-1' });
    const start = calls().find((c) => c.startsWith('aws codepipeline start-pipeline-execution'));
    expect(start).toBe(
      `aws codepipeline start-pipeline-execution --region us-east-1 --name awsome-infra-dev-release --source-revisions actionName=Source,revisionType=S3_OBJECT_VERSION_ID,revisionValue=3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY --variables name=RELEASE_TAG,value=${TAG} name=RELEASE_COMMIT,value=${commit}`,
    );
    // The uploaded source is the tagged tree plus the manifest, without the uncommitted change.
    const source = path.join(root, 'source');
    fs.mkdirSync(source);
    expect(spawnSync('unzip', ['-q', path.join(state, STATE_ZIP_NAME), '-d', source]).status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(source, 'release.json'), 'utf8'))).toMatchObject({ tag: TAG, commit });
    expect(fs.readFileSync(path.join(source, 'environments', 'dev.yaml'), 'utf8')).not.toContain('uncommitted');
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(source, 'node_modules'), 'dir');
    workspace = source;
  });

  test('trigger.yml refuses a tag of another environment before anything is uploaded', async () => {
    const before = calls().length;
    const run = await runBuildspec('trigger.yml', path.join(root, 'repo'), {
      ...baseEnv(),
      CODEBUILD_RESOLVED_SOURCE_VERSION: commit,
      RELEASE_TAG: 'prod_us-east-1/research/1.0',
      RELEASE_COMMIT: commit,
      SOURCE_BUCKET: 'b',
      SOURCE_KEY: 'k',
      PIPELINE_NAME: 'p',
      PIPELINE_REGION: 'us-east-1',
      RELEASE_BRANCH: 'main',
    });
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/error: release tag 'prod_us-east-1\/research\/1.0' is for environment 'prod', this is the 'dev' pipeline/);
    expect(calls().slice(before).filter((c) => c.startsWith('aws '))).toEqual([]);
  });

  test('validate.yml checks the tag against the manifest, synthesizes only its stack and exports the release', async () => {
    const run = await runBuildspec('validate.yml', workspace, {
      ...baseEnv(),
      CODEBUILD_SRC_DIR: workspace,
      CODEBUILD_RESOLVED_SOURCE_VERSION: '3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY',
      RELEASE_TAG: TAG,
      RELEASE_COMMIT: commit,
    });
    expect(run.output).toMatch(/installed terraform 1\.11\.4/);
    expect(run.status).toBe(0);
    expect(run.exported).toEqual({
      TAG,
      ENVIRONMENT: 'dev',
      SCOPE: 'us-east-1',
      TEAM: 'research',
      VERSION: '1.0',
      STACK: 'research-dev-us-east-1',
      STACK_DIR: 'cdktf.out/stacks/research-dev-us-east-1',
      TARGET_REGION: 'us-east-1',
      TARGET_ACCOUNT: '555555555555',
      COMMIT: commit,
    });
    expect(fs.readdirSync(path.join(workspace, 'cdktf.out', 'stacks'))).toEqual(['research-dev-us-east-1']);
    const stack = JSON.parse(fs.readFileSync(path.join(workspace, 'cdktf.out/stacks/research-dev-us-east-1/cdk.tf.json'), 'utf8')) as { variable: Record<string, { ephemeral?: boolean }>; provider: { aws: { assume_role: { role_arn: string }[] }[] } };
    expect(stack.variable.assume_role_arn.ephemeral).toBe(true);
    expect(stack.provider.aws[0].assume_role[0].role_arn).toBe('${var.assume_role_arn}');
    expect(fs.readFileSync(path.join(workspace, 'cdktf.out/stacks/research-dev-us-east-1/backend.tfbackend'), 'utf8')).toContain('key = "research/dev-us-east-1/terraform.tfstate"');
    expect(calls()).toEqual(expect.arrayContaining([
      'terraform -chdir=cdktf.out/stacks/research-dev-us-east-1 init -input=false -backend=false',
      'terraform -chdir=cdktf.out/stacks/research-dev-us-east-1 validate -no-color',
    ]));
  }, 120_000);

  test('validate.yml refuses an execution started without a tag (a manual release of the branch)', async () => {
    const run = await runBuildspec('validate.yml', workspace, { ...baseEnv(), RELEASE_TAG: '', RELEASE_COMMIT: '' });
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/error: no release tag: this execution was not started by pushing a release tag/);
  }, 60_000);

  test('scan.yml runs checkov on the synthesized stack with only the accepted checks skipped', async () => {
    const run = await runBuildspec('scan.yml', workspace, { ...baseEnv(), CODEBUILD_SRC_DIR: workspace });
    expect(run.status).toBe(0);
    expect(run.output).toContain('dev: accepted CKV_AWS_91: dev load balancers do not keep access logs');
    expect(calls()).toContain('checkov --config-file .multiregion/checkov-synth.yaml --directory cdktf.out/stacks/research-dev-us-east-1');
    const config = fs.readFileSync(path.join(state, 'checkov-config-checkov-synth.yaml'), 'utf8');
    expect(config).toContain('skip-check:\n  - CKV_AWS_91\n');
    expect(config).toContain('soft-fail: false');
  }, 60_000);

  test('plan.yml plans with the read-only role and exports the plan sha256 and headline', async () => {
    fs.writeFileSync(path.join(state, 'plan.json'), JSON.stringify({ format_version: '1.2', resource_changes: [{ address: 'aws_lb.web', change: { actions: ['create'] } }] }));
    const run = await runBuildspec('plan.yml', workspace, { ...baseEnv(), CODEBUILD_SRC_DIR: workspace });
    expect(run.status).toBe(0);
    const dir = path.join(workspace, 'cdktf.out/stacks/research-dev-us-east-1');
    const sum = createHash('sha256').update(fs.readFileSync(path.join(dir, 'tfplan'))).digest('hex');
    expect(run.exported).toEqual({
      PLAN_SHA256: sum,
      PLAN_HEADLINE: 'research-dev-us-east-1: 1 to add, 0 to change, 0 to replace, 0 to destroy',
      PLAN_LINK: baseEnv().CODEBUILD_BUILD_URL,
    });
    expect(calls()).toContain('terraform -chdir=cdktf.out/stacks/research-dev-us-east-1 plan -input=false -lock-timeout=5m -var=assume_role_arn=arn:aws:iam::555555555555:role/InfraBuildRole-ReadOnly -out=tfplan');
    expect(fs.readFileSync(path.join(dir, 'plan-summary.txt'), 'utf8')).toContain('+   aws_lb.web (create)');
    expect(fs.readFileSync(path.join(dir, 'tfplan.sha256'), 'utf8')).toBe(`${sum}  tfplan\n`);
  }, 60_000);

  test('scan-plan.yml runs checkov on the plan JSON', async () => {
    const run = await runBuildspec('scan-plan.yml', workspace, { ...baseEnv(), CODEBUILD_SRC_DIR: workspace });
    expect(run.status).toBe(0);
    expect(calls()).toContain('checkov --config-file .multiregion/checkov-plan.yaml --file cdktf.out/stacks/research-dev-us-east-1/tfplan.json');
  }, 60_000);

  test('health.yml fails while an issue is open in the target region and passes once it is closed', async () => {
    const issue = { arn: 'arn:aws:health:us-east-1::event/EC2/X/1', service: 'EC2', eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE', eventTypeCategory: 'issue', region: 'us-east-1', statusCode: 'open' };
    fs.writeFileSync(path.join(state, 'health.json'), JSON.stringify({ events: [issue] }));
    const env = { ...baseEnv(), CODEBUILD_SRC_DIR: workspace, HEALTH_API_REGION: 'us-east-1' };
    const blocked = await runBuildspec('health.yml', workspace, env);
    expect(blocked.status).not.toBe(0);
    expect(blocked.output).toMatch(/AWS Health reports 1 open issue\(s\) affecting us-east-1/);
    fs.writeFileSync(path.join(state, 'health.json'), JSON.stringify({ events: [{ ...issue, statusCode: 'closed' }] }));
    expect((await runBuildspec('health.yml', workspace, env)).status).toBe(0);
  }, 60_000);

  test('apply.yml refuses a plan that is not the approved one, then applies the approved plan file with the deploy role', async () => {
    const dir = path.join(workspace, 'cdktf.out/stacks/research-dev-us-east-1');
    const sum = createHash('sha256').update(fs.readFileSync(path.join(dir, 'tfplan'))).digest('hex');
    const env = { ...baseEnv(), CODEBUILD_SRC_DIR: workspace, EXPECTED_TAG: TAG };
    const npmCallsBefore = calls().filter((c) => c.startsWith('npm ')).length;
    const wrong = await runBuildspec('apply.yml', workspace, { ...env, EXPECTED_PLAN_SHA256: 'f'.repeat(64) });
    expect(wrong.status).not.toBe(0);
    // Refused by sha256sum before any code from the artifact (npm ci, the CLI) runs.
    expect(wrong.output).toMatch(/tfplan: FAILED/);
    expect(calls().filter((c) => c.startsWith('npm ')).length).toBe(npmCallsBefore);
    const otherTag = await runBuildspec('apply.yml', workspace, { ...env, EXPECTED_PLAN_SHA256: sum, EXPECTED_TAG: 'dev_us-east-1/research/1.1' });
    expect(otherTag.output).toMatch(/the plan artifact is for 'dev_us-east-1\/research\/1.0', this execution released 'dev_us-east-1\/research\/1.1'/);
    expect(calls().filter((c) => / apply /.test(c))).toEqual([]);
    const run = await runBuildspec('apply.yml', workspace, { ...env, EXPECTED_PLAN_SHA256: sum });
    expect(run.status).toBe(0);
    expect(calls().filter((c) => c.startsWith('terraform') && / (apply|plan) /.test(c)).pop()).toBe(
      'terraform -chdir=cdktf.out/stacks/research-dev-us-east-1 apply -input=false -lock-timeout=5m -var=assume_role_arn=arn:aws:iam::555555555555:role/InfraBuildRole tfplan',
    );
    expect(calls()).toContain('terraform -chdir=cdktf.out/stacks/research-dev-us-east-1 init -input=false -lockfile=readonly -backend-config=backend.tfbackend');
  }, 60_000);
});
