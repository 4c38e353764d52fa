import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, byId, exampleOrg, synthTooling, type Json } from '../pipeline/helpers';
import { STUBS, git, runBuildspec, zipOf } from './harness';
import { renderedLiteral } from '../../lib/terraform-literal';

/**
 * The pipeline run locally, from the tag push to the apply and the drift run, with the
 * environment each CodeBuild project of the synthesized tooling stack embeds, real git, jq, curl
 * and sha256sum, and stubs for aws, terraform, tflint and checkov. Then the tampering a release
 * could attempt: each is refused (or has no effect) before any privileged command runs.
 */

// Each test runs whole buildspecs (bash, git, curl, node): seconds each, more on a busy machine.
jest.setTimeout(60_000);

const TAG = 'dev_us-east-1/research/1.0';
const STACK = 'research-dev-us-east-1';
const STACK_DIR = `cdktf.out/stacks/${STACK}`;
const DEV_DEPLOY_ROLE = 'arn:aws:iam::555555555555:role/InfraBuildRole';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-pipeline-'));
const stubBin = path.join(root, 'stub-bin');
const state = path.join(root, 'state');
const home = path.join(root, 'home');
const repo = path.join(root, 'repo');
const origin = path.join(root, 'origin.git');
let server: http.Server;
let base = '';
const archives: Record<string, Buffer> = {};
let commit = '';
let sideCommit = '';
let mergedCommit = '';

const tooling = synthTooling(exampleOrg(), 'tooling-dev');
/** The environment variables a CodeBuild project of the synthesized tooling stack embeds. */
function projectEnv(id: string): Record<string, string> {
  const project = byId(tooling, 'aws_codebuild_project', id);
  return Object.fromEntries(((project.environment as Json).environment_variable as Json[]).map((v) => [v.name as string, renderedLiteral(v.value as string)]));
}
/** The trusted project's environment, with the terraform pin served from 127.0.0.1 (the deployer's pin). */
function trustedEnv(id: string): Record<string, string> {
  return { ...projectEnv(id), TERRAFORM_URL: `${base}/1.11.4/terraform/terraform_1.11.4_linux_amd64.zip`, TERRAFORM_SHA256: sha256(archives.terraform) };
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const calls = (): string[] =>
  fs
    .readFileSync(path.join(state, 'calls.log'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
const callsSince = (before: number): string[] => calls().slice(before);
/** Commands that act with the stage's privileges: AWS writes and terraform itself. */
const privileged = (list: readonly string[]): string[] =>
  list.filter((c) => /^terraform |^aws (s3api put-object|codepipeline|dynamodb (put-item|update-item)|sns)/.test(c));
const ledgerItems = (): Json[] => {
  const dir = path.join(state, 'ledger');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Json) : [];
};

const baseEnv = (): Record<string, string> => ({
  STUB_BIN: stubBin,
  STUB_STATE: state,
  HOME: home,
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  CODEBUILD_BUILD_ID: 'awsome-infra-dev-plan:0f0e0d0c-aaaa-bbbb-cccc-ddddeeeeffff',
  CODEBUILD_BUILD_URL: 'https://us-east-1.console.aws.amazon.com/codebuild/home?region=us-east-1#/builds/awsome-infra-dev-review:0f0e0d0c/view/new',
  CODEBUILD_INITIATOR: 'codepipeline/awsome-infra-dev-release',
  PIPELINE_ENVIRONMENT: 'dev',
  PIPELINE_SOURCE: 'codecommit',
});

function triggerEnv(tag: string, eventCommit: string, checkedOut = eventCommit): Record<string, string> {
  return {
    ...baseEnv(),
    ...trustedEnv('tag-trigger_build_project'),
    CODEBUILD_SRC_DIR: repo,
    CODEBUILD_SOURCE_VERSION: tag,
    CODEBUILD_RESOLVED_SOURCE_VERSION: checkedOut,
    RELEASE_TAG: tag,
    RELEASE_COMMIT: eventCommit,
  };
}

/** A copy of a directory (an artifact as the next stage downloads it), node_modules linked. */
function copyArtifact(from: string, name: string): string {
  const to = path.join(root, name);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(to, 'node_modules'), 'dir');
  return to;
}

beforeAll(async () => {
  for (const dir of [stubBin, state, home]) fs.mkdirSync(dir, { recursive: true });
  for (const stub of ['aws', 'npm', 'npx', 'runuser', 'useradd', 'chown', 'id', 'cli-runner.js', 'aws-dynamodb.js'])
    fs.copyFileSync(path.join(STUBS, stub), path.join(stubBin, stub));
  fs.copyFileSync(path.join(REPO, 'test', 'support', 'transpile-hook.js'), path.join(stubBin, 'transpile-hook.js'));
  for (const stub of ['aws', 'npm', 'npx', 'runuser', 'useradd', 'chown', 'id']) fs.chmodSync(path.join(stubBin, stub), 0o755);
  fs.writeFileSync(path.join(state, 'calls.log'), '');
  // Tools are served from 127.0.0.1 as zips of the stubs, so the downloads and checksums are real.
  archives.terraform = zipOf({ terraform: path.join(STUBS, 'terraform-stub') });
  archives.tflint = zipOf({ tflint: path.join(STUBS, 'tflint-stub') });
  archives.checkov = zipOf({ 'dist/checkov': path.join(STUBS, 'checkov-stub') });
  archives['evil-terraform'] = zipOf({ terraform: path.join(STUBS, 'evil-terraform') });
  server = http.createServer((req, res) => res.end(archives[(req.url ?? '').split('/')[2]] ?? ''));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The infrastructure repository: this project's sources, committed on main and tagged.
  fs.mkdirSync(repo);
  for (const entry of [
    'bin',
    'cli',
    'lib',
    'guardrails',
    'modules',
    'workloads',
    'stacks',
    'environments',
    'buildspecs',
    'tools',
    'data',
    'main.ts',
    'package.json',
    'tsconfig.json',
    'cdktf.json',
  ]) {
    fs.cpSync(path.join(REPO, entry), path.join(repo, entry), { recursive: true });
  }
  fs.copyFileSync(path.join(STUBS, 'app.js'), path.join(repo, 'bin', 'app.js'));
  // The artifact's own tool pins (used by the stages that run the tagged code) point here too.
  const tools = JSON.parse(fs.readFileSync(path.join(repo, 'tools', 'versions.json'), 'utf8')) as {
    tools: Record<string, { version: string; url: string; sha256: string }>;
  };
  for (const [name, tool] of Object.entries(tools.tools)) {
    tool.url = `${base}/${tool.version}/${name}/${name}.zip`;
    tool.sha256 = sha256(archives[name]);
  }
  fs.writeFileSync(path.join(repo, 'tools', 'versions.json'), JSON.stringify(tools, null, 2));
  fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules\ncdktf.out\n.multiregion\n');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'infra');
  git(repo, 'tag', '-a', '-m', 'release', TAG);
  commit = git(repo, 'rev-parse', 'HEAD');
  git(root, 'init', '-q', '--bare', origin);
  git(repo, 'remote', 'add', 'origin', origin);
  git(repo, 'push', '-q', 'origin', 'main', `refs/tags/${TAG}`);
  // An unmerged side branch, tagged as if it were a release.
  git(repo, 'checkout', '-q', '-b', 'side');
  fs.appendFileSync(path.join(repo, 'environments', 'dev.yaml'), '\n# side branch\n');
  git(repo, 'commit', '-q', '-am', 'unreviewed change');
  sideCommit = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'tag', '-a', '-m', 'side', 'dev_us-east-1/research/1.1');
  git(repo, 'push', '-q', 'origin', 'side', 'refs/tags/dev_us-east-1/research/1.1');
  // A second reviewed commit on main.
  git(repo, 'checkout', '-q', 'main');
  fs.appendFileSync(path.join(repo, 'environments', 'dev.yaml'), '\n# merged change\n');
  git(repo, 'commit', '-q', '-am', 'reviewed change');
  mergedCommit = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'push', '-q', 'origin', 'main');
  git(repo, 'checkout', '-q', '--detach', commit);
  // An uncommitted change must never reach the release: the trigger packs the tagged commit.
  fs.appendFileSync(path.join(repo, 'environments', 'dev.yaml'), '\n# uncommitted\n');
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a release, tag push to apply (codecommit source)', () => {
  let checked = '';
  let released: Record<string, string> = {};
  let planSha = '';

  test('trigger.yml (trusted) checks the new tag, records it in the ledger, uploads exactly the tagged commit and starts the pipeline on that object version', async () => {
    const run = await runBuildspec('trigger.yml', repo, triggerEnv(TAG, commit));
    expect(run.output).toContain(`release ${TAG} at ${commit.slice(0, 12)} -> stack ${STACK} (555555555555, us-east-1)`);
    expect(run.status).toBe(0);
    expect(run.exported).toEqual({ TAG, COMMIT: commit, STACK });
    expect(calls().filter((c) => /^(npm|npx) /.test(c))).toEqual([]);
    expect(calls().find((c) => c.startsWith('aws codepipeline start-pipeline-execution'))).toBe(
      `aws codepipeline start-pipeline-execution --region us-east-1 --name awsome-infra-dev-release --source-revisions actionName=Source,revisionType=S3_OBJECT_VERSION_ID,revisionValue=3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY --variables name=RELEASE_TAG,value=${TAG} name=RELEASE_COMMIT,value=${commit}`,
    );
    expect(ledgerItems()).toEqual([
      expect.objectContaining({ ReleaseTag: { S: TAG }, CommitId: { S: commit }, Stack: { S: STACK }, Status: { S: 'started' } }),
    ]);
    // The uploaded source is the tagged tree plus the manifest, without the uncommitted change.
    const source = path.join(root, 'source');
    fs.mkdirSync(source);
    expect(spawnSync('unzip', ['-q', path.join(state, 'uploaded.zip'), '-d', source]).status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(source, 'release.json'), 'utf8'))).toMatchObject({ tag: TAG, commit });
    expect(fs.readFileSync(path.join(source, 'environments', 'dev.yaml'), 'utf8')).not.toContain('uncommitted');
  });

  test('release.yml (trusted) checks the tag against the manifest and the embedded stacks, records it again idempotently, exports the release', async () => {
    const run = await runBuildspec('release.yml', path.join(root, 'source'), {
      ...baseEnv(),
      ...trustedEnv('pipeline_release_project'),
      RELEASE_TAG: TAG,
      RELEASE_COMMIT: commit,
    });
    expect(run.status).toBe(0);
    expect(run.exported).toEqual({
      TAG,
      COMMIT: commit,
      ENVIRONMENT: 'dev',
      SCOPE: 'us-east-1',
      TEAM: 'research',
      VERSION: '1.0',
      STACK,
      STACK_DIR,
      TARGET_ACCOUNT: '555555555555',
      TARGET_REGION: 'us-east-1',
      RELEASE_ID: `${commit.slice(0, 12)}+dev_us-east-1+research+1.0`,
    });
    released = run.exported;
    expect(ledgerItems()).toHaveLength(1);
    checked = copyArtifact(path.join(root, 'source'), 'checked');
  });

  test('validate.yml synthesizes only the tagged stack with the variables of the release check', async () => {
    const run = await runBuildspec('validate.yml', checked, {
      ...baseEnv(),
      CODEBUILD_SRC_DIR: checked,
      RELEASE_TAG: released.TAG,
      RELEASE_COMMIT: released.COMMIT,
    });
    expect(run.status).toBe(0);
    expect(fs.readdirSync(path.join(checked, 'cdktf.out', 'stacks'))).toEqual([STACK]);
    const stack = JSON.parse(fs.readFileSync(path.join(checked, STACK_DIR, 'cdk.tf.json'), 'utf8')) as Json;
    expect(stack.variable.release_id.ephemeral).toBe(true);
    expect(stack.terraform.backend.s3.kms_key_id).toBe('arn:aws:kms:us-east-1:111122223333:alias/awsome-infra-dev-state');
  }, 120_000);

  test('scan.yml runs checkov with only the accepted checks skipped', async () => {
    const run = await runBuildspec('scan.yml', checked, { ...baseEnv(), CODEBUILD_SRC_DIR: checked });
    expect(run.status).toBe(0);
    expect(fs.readFileSync(path.join(state, 'checkov-config-checkov-synth.yaml'), 'utf8')).toContain('soft-fail: false');
  }, 60_000);

  test('plan.yml plans with the view-only role and the release id', async () => {
    fs.writeFileSync(
      path.join(state, 'plan.json'),
      JSON.stringify({
        format_version: '1.2',
        resource_changes: [
          { address: 'aws_lb.web', change: { actions: ['create'] } },
          { address: 'aws_s3_bucket.logs', change: { actions: ['no-op'] } },
        ],
      }),
    );
    const run = await runBuildspec('plan.yml', checked, { ...baseEnv(), CODEBUILD_SRC_DIR: checked, RELEASE_ID: released.RELEASE_ID });
    expect(run.status).toBe(0);
    expect(calls()).toContain(
      `terraform -chdir=${STACK_DIR} plan -input=false -lock-timeout=5m -var=assume_role_arn=arn:aws:iam::555555555555:role/InfraBuildRole-ReadOnly -var=release_id=${released.RELEASE_ID} -out=tfplan`,
    );
  }, 60_000);

  test('plan-review.yml (trusted) records the sha256 of the plan and summarizes it from terraform show, with terraform from the embedded pin', async () => {
    const plan = copyArtifact(checked, 'plan');
    const before = calls().length;
    const run = await runBuildspec('plan-review.yml', plan, { ...baseEnv(), ...trustedEnv('pipeline_review_project'), RELEASE_STACK: released.STACK });
    expect(run.status).toBe(0);
    planSha = sha256(fs.readFileSync(path.join(plan, STACK_DIR, 'tfplan')));
    expect(run.exported).toEqual({
      PLAN_SHA256: planSha,
      PLAN_HEADLINE: `${STACK}: 1 to add, 0 to change, 0 to replace, 0 to destroy, 0 to read at apply, 0 to forget`,
      PLAN_LINK: baseEnv().CODEBUILD_BUILD_URL,
    });
    expect(run.output).toContain('  create  aws_lb.web');
    expect(callsSince(before)).toEqual([
      `terraform -chdir=${STACK_DIR} init -input=false -backend=false -lockfile=readonly`,
      `terraform -chdir=${STACK_DIR} show -json tfplan`,
    ]);
  });

  test('plan-review.yml refuses a plan whose configuration has provisioners', async () => {
    fs.writeFileSync(
      path.join(state, 'plan.json'),
      JSON.stringify({
        configuration: { root_module: { resources: [{ address: 'null_resource.x', provisioners: [{ type: 'local-exec' }] }] } },
        resource_changes: [],
      }),
    );
    const run = await runBuildspec('plan-review.yml', path.join(root, 'plan'), {
      ...baseEnv(),
      ...trustedEnv('pipeline_review_project'),
      RELEASE_STACK: released.STACK,
    });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain("the plan's configuration has provisioners");
    expect(run.exported).toEqual({});
  });

  /** A copy of the Plan artifact whose plan file carries `config` as its configuration (tfconfig/). */
  function planCarrying(name: string, config: Record<string, unknown>): string {
    const dir = copyArtifact(path.join(root, 'plan'), name);
    const planDir = fs.mkdtempSync(path.join(root, 'planzip-'));
    fs.mkdirSync(path.join(planDir, 'tfconfig', 'm-'), { recursive: true });
    fs.writeFileSync(path.join(planDir, 'tfplan'), 'binary plan\n');
    fs.writeFileSync(path.join(planDir, 'tfconfig', 'm-', 'cdk.tf.json'), JSON.stringify(config));
    const target = path.join(dir, STACK_DIR, 'tfplan');
    fs.rmSync(target);
    // zip appends .zip to a name without one: write plan.zip, then move it into place.
    const zipped = spawnSync('zip', ['-q', '-r', 'plan.zip', 'tfplan', 'tfconfig'], { cwd: planDir });
    if (zipped.status !== 0) throw new Error(`zip failed: ${String(zipped.stderr)}`);
    fs.renameSync(path.join(planDir, 'plan.zip'), target);
    return dir;
  }

  test.each([
    [
      'a removed block with a destroy-time provisioner (terraform show leaves it out)',
      { removed: [{ from: 'terraform_data.x', lifecycle: { destroy: true }, provisioner: [{ 'local-exec': { when: 'destroy', command: 'curl evil' } }] }] },
      'the configuration inside the plan has provisioners',
    ],
    [
      'a backend that names a profile with a credential_process',
      { terraform: { backend: { s3: { bucket: 'b', profile: 'evil', shared_config_files: ['./evil.cfg'] } } } },
      'the configuration inside the plan sets credentials or endpoints',
    ],
    [
      'an aws provider with custom endpoints',
      { provider: { aws: [{ region: 'us-east-1', endpoints: [{ sts: 'http://evil' }] }] } },
      'the configuration inside the plan sets credentials or endpoints',
    ],
  ])('plan-review.yml refuses a plan carrying %s, before approval', async (_name, config, message) => {
    fs.writeFileSync(path.join(state, 'plan.json'), JSON.stringify({ configuration: { root_module: {} }, resource_changes: [] }));
    const run = await runBuildspec('plan-review.yml', planCarrying(`plan-${message.length}-${Object.keys(config)[0]}`, config), {
      ...baseEnv(),
      ...trustedEnv('pipeline_review_project'),
      RELEASE_STACK: released.STACK,
    });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(message);
    expect(run.exported).toEqual({});
  });

  test('apply.yml (trusted) checks the reviewed sha256, narrows its credentials to the stack, then runs only terraform init and apply with the embedded backend and the deploy role, and marks the release applied', async () => {
    const apply = copyArtifact(path.join(root, 'plan'), 'apply');
    const before = calls().length;
    const credentialsBefore = fs.existsSync(path.join(state, 'terraform-credentials.log'))
      ? fs.readFileSync(path.join(state, 'terraform-credentials.log'), 'utf8').length
      : 0;
    const run = await runBuildspec('apply.yml', apply, { ...baseEnv(), ...applyEnv(planSha, released) });
    expect(run.status).toBe(0);
    expect(callsSince(before)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^aws sts assume-role --role-arn arn:aws:iam::111122223333:role/awsome-infra-dev-apply --role-session-name ${released.RELEASE_ID.replace(/[+.]/g, '\\$&')} --source-identity ${released.RELEASE_ID.replace(/[+.]/g, '\\$&')} --duration-seconds 3600 --policy `,
        ),
      ),
      'useradd --system --create-home --shell /sbin/nologin tfapply',
      expect.stringMatching(/^chown -R tfapply \/tmp\/apply\.\w+$/),
      'runuser -u tfapply (as tfapply)',
      expect.stringMatching(/^terraform -chdir=\/tmp\/apply\.\w+ init -input=false -lockfile=readonly -backend-config=backend\.tfbackend$/),
      'runuser -u tfapply (as tfapply)',
      expect.stringMatching(
        new RegExp(
          `^terraform -chdir=/tmp/apply\\.\\w+ apply -input=false -lock-timeout=5m -var=assume_role_arn=${DEV_DEPLOY_ROLE} -var=release_id=${released.RELEASE_ID.replace(/[+.]/g, '\\$&')} tfplan$`,
        ),
      ),
      expect.stringMatching(/^aws dynamodb update-item --table-name awsome-infra-dev-releases /),
    ]);
    // The apply directory holds only trusted pieces: the reviewed plan, the lock file, the embedded
    // backend and CLI settings, and a config with nothing but the required providers and an empty backend.
    const applyDir = /-chdir=(\/tmp\/apply\.\w+) apply/.exec(callsSince(before).join('\n'))?.[1] as string;
    expect(fs.readdirSync(applyDir).sort()).toEqual(['.terraform.lock.hcl', 'backend.tfbackend', 'main.tf.json', 'terraform.rc', 'tfplan']);
    expect(JSON.parse(fs.readFileSync(path.join(applyDir, 'main.tf.json'), 'utf8'))).toEqual({
      terraform: { required_providers: { aws: expect.objectContaining({ source: expect.any(String) }) }, backend: { s3: {} } },
    });
    expect(fs.readFileSync(path.join(applyDir, 'terraform.rc'), 'utf8')).toContain('include = ["registry.terraform.io/hashicorp/aws"]');
    expect(fs.readFileSync(path.join(home, '.multiregion', 'backend.tfbackend'), 'utf8')).toBe(
      'bucket = "org-awesome-tf-state-dev"\nkey = "research/dev-us-east-1/terraform.tfstate"\nregion = "us-east-1"\nencrypt = true\nkms_key_id = "arn:aws:kms:us-east-1:111122223333:alias/awsome-infra-dev-state"\nuse_lockfile = true\n',
    );
    expect(ledgerItems()).toEqual([expect.objectContaining({ ReleaseTag: { S: TAG }, CommitId: { S: commit }, Status: { S: 'applied' } })]);
    // Terraform ran with the narrowed session, whose policy is the one embedded for this stack.
    expect(fs.readFileSync(path.join(state, 'terraform-credentials.log'), 'utf8').slice(credentialsBefore)).toMatch(
      /^(-chdir=\/tmp\/apply\.\w+ stub-session-token\n){2}$/,
    );
    const embedded = JSON.parse(trustedEnv('pipeline_apply_project').RELEASE_TARGETS) as Record<string, { sessionPolicy: string }>;
    expect(fs.readFileSync(path.join(state, 'session-policy.json'), 'utf8')).toBe(embedded[STACK].sessionPolicy);
  });
});

function applyEnv(expectedSha: string, released: Record<string, string>): Record<string, string> {
  return {
    ...trustedEnv('pipeline_apply_project'),
    EXPECTED_PLAN_SHA256: expectedSha,
    RELEASE_STACK: released.STACK,
    RELEASE_TAG: released.TAG,
    RELEASE_COMMIT: released.COMMIT,
    RELEASE_ID: released.RELEASE_ID,
  };
}

describe('tampering with the artifact: refused or without effect before any privileged command (finding 1)', () => {
  const reviewed = (): { dir: string; sha: string; released: Record<string, string> } => {
    const dir = copyArtifact(path.join(root, 'plan'), `tampered-${Math.random().toString(16).slice(2)}`);
    const sha = sha256(fs.readFileSync(path.join(dir, STACK_DIR, 'tfplan')));
    return { dir, sha, released: { STACK, TAG, COMMIT: commit, RELEASE_ID: `${commit.slice(0, 12)}+dev_us-east-1+research+1.0` } };
  };

  test('GIVEN a plan file changed after review (and its tfplan.sha256 to match) THEN apply refuses before terraform runs', async () => {
    const { dir, sha, released } = reviewed();
    fs.appendFileSync(path.join(dir, STACK_DIR, 'tfplan'), 'destroy everything\n');
    fs.writeFileSync(path.join(dir, STACK_DIR, 'tfplan.sha256'), `${sha256(fs.readFileSync(path.join(dir, STACK_DIR, 'tfplan')))}  tfplan\n`);
    const before = calls().length;
    const run = await runBuildspec('apply.yml', dir, { ...baseEnv(), ...applyEnv(sha, released) });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('is not the plan that was reviewed and approved: refusing to apply');
    expect(privileged(callsSince(before))).toEqual([]);
  });

  test('GIVEN a release.env in the artifact that runs code and names a prod role THEN apply never reads it', async () => {
    const { dir, sha, released } = reviewed();
    fs.mkdirSync(path.join(dir, '.multiregion'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '.multiregion', 'release.env'),
      `touch "$STUB_STATE/release-env-ran"\nexport EXPECTED_PLAN_SHA256='${sha}'\nexport STACK_DIR='${STACK_DIR}'\nexport DEPLOY_ROLE_ARN='arn:aws:iam::555555555558:role/InfraBuildRole'\n`,
    );
    const before = calls().length;
    const run = await runBuildspec('apply.yml', dir, { ...baseEnv(), ...applyEnv(sha, released) });
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(state, 'release-env-ran'))).toBe(false);
    expect(privileged(callsSince(before)).filter((c) => / apply /.test(c))).toEqual([expect.stringContaining(`-var=assume_role_arn=${DEV_DEPLOY_ROLE} `)]);
  });

  test('GIVEN tools/versions.json in the artifact pointing at another terraform (with its sha256) THEN apply installs the embedded pin only', async () => {
    const { dir, sha, released } = reviewed();
    const tools = JSON.parse(fs.readFileSync(path.join(dir, 'tools', 'versions.json'), 'utf8')) as Json;
    tools.tools.terraform = { ...tools.tools.terraform, url: `${base}/1.11.4/evil-terraform/terraform.zip`, sha256: sha256(archives['evil-terraform']) };
    fs.writeFileSync(path.join(dir, 'tools', 'versions.json'), JSON.stringify(tools));
    const run = await runBuildspec('apply.yml', dir, { ...baseEnv(), ...applyEnv(sha, released) });
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(state, 'evil-terraform-ran'))).toBe(false);
  });

  test('GIVEN a terraform pin whose download does not match the embedded sha256 THEN apply refuses to install it', async () => {
    const { dir, sha, released } = reviewed();
    const run = await runBuildspec('apply.yml', dir, {
      ...baseEnv(),
      ...applyEnv(sha, released),
      TERRAFORM_URL: `${base}/1.11.4/evil-terraform/terraform.zip`,
    });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('does not have the pinned sha256: refusing it');
    expect(fs.existsSync(path.join(state, 'evil-terraform-ran'))).toBe(false);
  });

  test('GIVEN the checker in the artifact made a no-op and a changed plan THEN apply still refuses: it runs no code of the artifact', async () => {
    const { dir, sha, released } = reviewed();
    fs.writeFileSync(
      path.join(dir, 'lib', 'ci', 'checksum.ts'),
      'export const sha256File = (): string => "";\nexport const isSha256 = (): boolean => true;\nexport const verifySha256 = (): string => "ok";\n',
    );
    fs.appendFileSync(path.join(dir, STACK_DIR, 'tfplan'), 'x');
    const before = calls().length;
    const run = await runBuildspec('apply.yml', dir, { ...baseEnv(), ...applyEnv(sha, released) });
    expect(run.status).not.toBe(0);
    expect(callsSince(before).filter((c) => /^(npm|npx|terraform) /.test(c))).toEqual([]);
  });

  test('GIVEN a stack of another environment in the pipeline variables THEN apply refuses it: it is not in the embedded table', async () => {
    const { dir, sha, released } = reviewed();
    const run = await runBuildspec('apply.yml', dir, { ...baseEnv(), ...applyEnv(sha, { ...released, STACK: 'research-prod-us-east-1' }) });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('stack research-prod-us-east-1 is not deployed by this pipeline');
  });

  test('GIVEN no sha256 from the plan review THEN apply refuses', async () => {
    const { dir, released } = reviewed();
    const run = await runBuildspec('apply.yml', dir, { ...baseEnv(), ...applyEnv('#{PlanReview.PLAN_SHA256}', released) });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('no plan sha256 from the plan review');
  });
});

describe('tag policy in the trusted trigger (findings 2, 6)', () => {
  test('GIVEN a tag on an unmerged side branch THEN the trigger refuses it before recording, uploading or starting anything', async () => {
    const before = calls().length;
    const run = await runBuildspec('trigger.yml', repo, triggerEnv('dev_us-east-1/research/1.1', sideCommit));
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(`commit ${sideCommit.slice(0, 12)} is not on the first-parent history of the release branch main`);
    expect(privileged(callsSince(before))).toEqual([]);
  });

  test('GIVEN the checker in the tagged commit made a no-op THEN the branch check still refuses: it is not the commit’s code', async () => {
    // The side-branch commit's own lib/ci (and any CLI) could say anything: the trigger never runs it.
    git(repo, 'checkout', '-q', '--force', '--detach', sideCommit);
    fs.writeFileSync(path.join(repo, 'lib', 'ci', 'release.ts'), 'export const resolveRelease = (): never => { throw new Error("never called"); };\n');
    const before = calls().length;
    const run = await runBuildspec('trigger.yml', repo, triggerEnv('dev_us-east-1/research/1.1', sideCommit));
    git(repo, 'checkout', '-q', '--force', '--detach', commit);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('is not on the first-parent history of the release branch main');
    expect(callsSince(before).filter((c) => /^(npm|npx) /.test(c))).toEqual([]);
  });

  test('GIVEN a tag moved after the event THEN the trigger refuses it', async () => {
    git(repo, 'tag', '-f', '-a', '-m', 'moved', 'dev_us-east-1/research/1.2', mergedCommit);
    git(repo, 'push', '-q', '--force', 'origin', 'refs/tags/dev_us-east-1/research/1.2');
    const before = calls().length;
    const run = await runBuildspec('trigger.yml', repo, triggerEnv('dev_us-east-1/research/1.2', commit));
    expect(run.status).not.toBe(0);
    expect(run.output).toContain("release tag 'dev_us-east-1/research/1.2' no longer points at");
    expect(privileged(callsSince(before))).toEqual([]);
  });

  test('GIVEN a released version deleted and pushed again at another (reviewed) commit THEN the ledger refuses it', async () => {
    git(repo, 'tag', '-d', TAG);
    git(repo, 'tag', '-a', '-m', 're-release', TAG, mergedCommit);
    git(repo, 'push', '-q', '--force', 'origin', `refs/tags/${TAG}`);
    const before = calls().length;
    const run = await runBuildspec('trigger.yml', repo, triggerEnv(TAG, mergedCommit));
    git(repo, 'tag', '-d', TAG);
    git(repo, 'tag', '-a', '-m', 'release', TAG, commit);
    git(repo, 'push', '-q', '--force', 'origin', `refs/tags/${TAG}`);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(
      `version 1.0 of ${STACK} was released with commit ${commit.slice(0, 12)}; it can never be released with ${mergedCommit.slice(0, 12)}`,
    );
    expect(privileged(callsSince(before)).filter((c) => !c.startsWith('aws dynamodb put-item'))).toEqual([]);
    expect(ledgerItems().find((i) => i.ReleaseTag.S === TAG)?.CommitId.S).toBe(commit);
  });

  test.each([
    ['a tag of another environment', 'prod_us-east-1/research/1.0', /is for environment 'prod', this is the 'dev' pipeline/],
    ['a tag with shell characters', 'dev_us-east-1/research/1.0;touch${IFS}x', /does not follow <env>_<region\|global>\/<team>\/<version>/],
    ['a team this pipeline does not deploy', 'dev_us-east-1/nobody/1.0', /stack nobody-dev-us-east-1 is not deployed by this pipeline/],
  ])('GIVEN %s THEN the trigger refuses it before any AWS call', async (_what, tag, message) => {
    const before = calls().length;
    const run = await runBuildspec('trigger.yml', repo, triggerEnv(tag, commit));
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(message);
    expect(callsSince(before).filter((c) => c.startsWith('aws '))).toEqual([]);
  });
});

describe('tag policy in the trusted release check, connection source (findings 2, 6)', () => {
  const clone = path.join(root, 'clone');
  const releaseEnv = (tag: string, tagCommit: string): Record<string, string> => ({
    ...baseEnv(),
    ...trustedEnv('pipeline_release_project'),
    PIPELINE_SOURCE: 'connection',
    RELEASE_TAG: tag,
    RELEASE_COMMIT: tagCommit,
  });
  const checkout = (ref: string): void => {
    fs.rmSync(clone, { recursive: true, force: true });
    git(root, 'clone', '-q', origin, clone);
    git(clone, 'checkout', '-q', '--detach', ref);
  };

  beforeAll(() => {
    git(repo, 'tag', '-a', '-m', 'release', 'dev_us-east-1/research/2.0', mergedCommit);
    git(repo, 'push', '-q', '--force', origin, 'refs/tags/dev_us-east-1/research/2.0');
  });

  test('GIVEN a tag of a commit on the release branch THEN the check passes, records it and writes the manifest for the next stage', async () => {
    checkout(mergedCommit);
    const run = await runBuildspec('release.yml', clone, releaseEnv('dev_us-east-1/research/2.0', mergedCommit));
    expect(run.status).toBe(0);
    expect(run.exported.STACK).toBe(STACK);
    expect(JSON.parse(fs.readFileSync(path.join(clone, 'release.json'), 'utf8'))).toMatchObject({ tag: 'dev_us-east-1/research/2.0', commit: mergedCommit });
  });

  test('GIVEN a tag on an unmerged side branch THEN the check refuses it before recording it', async () => {
    checkout(sideCommit);
    const before = calls().length;
    const run = await runBuildspec('release.yml', clone, releaseEnv('dev_us-east-1/research/1.1', sideCommit));
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('is not on the first-parent history of the release branch main');
    expect(privileged(callsSince(before))).toEqual([]);
  });

  test('GIVEN a tag that was moved after the push started the pipeline THEN the check refuses it', async () => {
    checkout(commit);
    const run = await runBuildspec('release.yml', clone, releaseEnv('dev_us-east-1/research/2.0', commit));
    expect(run.status).not.toBe(0);
    expect(run.output).toContain("release tag 'dev_us-east-1/research/2.0' no longer points at");
  });

  test('GIVEN a released version pushed again at another commit THEN the ledger refuses it', async () => {
    git(repo, 'tag', '-f', '-a', '-m', 'again', 'dev_us-east-1/research/2.0', commit);
    git(repo, 'push', '-q', '--force', origin, 'refs/tags/dev_us-east-1/research/2.0');
    checkout(commit);
    const run = await runBuildspec('release.yml', clone, releaseEnv('dev_us-east-1/research/2.0', commit));
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(`version 2.0 of ${STACK} was released with commit ${mergedCommit.slice(0, 12)}`);
  });
});

describe('drift detection plans only applied releases on the release branch (finding 4)', () => {
  test('GIVEN the ledger holds an applied release, a higher version never applied, and an applied one off the branch THEN only the first is planned, without locks', async () => {
    // A version that started but was never applied (say it was rejected): drift must ignore it.
    const item = (tag: string, c: string, status: string, appliedAt?: string): string => {
      const [env, team] = tag.split('/');
      return JSON.stringify({
        ReleaseTag: { S: tag },
        CommitId: { S: c },
        Stack: { S: `${team}-${env.replace('_', '-')}` },
        Status: { S: status },
        ...(appliedAt !== undefined ? { AppliedAt: { S: appliedAt } } : {}),
      });
    };
    const ledger = path.join(state, 'ledger');
    fs.writeFileSync(path.join(ledger, 'unapplied.json'), item('dev_us-east-1/research/999.0', sideCommit, 'started'));
    // A reviewed commit, released but never applied (rejected at approval): not what runs there.
    fs.writeFileSync(path.join(ledger, 'rejected.json'), item('dev_eu-central-1/research/7.0', mergedCommit, 'started'));
    fs.writeFileSync(path.join(ledger, 'off-branch.json'), item('dev_global/research/5.0', sideCommit, 'applied', '2026-01-01T00:00:00Z'));
    git(origin, 'update-ref', '-d', 'refs/heads/side');
    const workspace = path.join(root, 'drift');
    git(root, 'clone', '-q', '--branch', 'main', origin, workspace);
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(workspace, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(state, 'plan.json'), JSON.stringify({ resource_changes: [] }));
    const before = calls().length;
    const run = await runBuildspec('drift.yml', workspace, { ...baseEnv(), ...trustedEnv('drift_build_project'), CODEBUILD_SRC_DIR: workspace });
    expect(run.output).toContain(`in-sync        ${STACK} (${TAG})`);
    expect(run.output).toContain('refused        research-dev-global (dev_global/research/5.0): its commit is not on the release branch');
    expect(run.output).toMatch(/never-released +research-dev-eu-central-1\n/);
    expect(run.status).toBe(0);
    const plans = callsSince(before).filter((c) => / plan /.test(c));
    expect(plans).toEqual([
      expect.stringMatching(
        new RegExp(`plan -input=false -lock=false -detailed-exitcode -var=assume_role_arn=arn:aws:iam::555555555555:role/InfraBuildRole-ReadOnly$`),
      ),
    ]);
    expect(callsSince(before).filter((c) => /dynamodb (put-item|update-item)|s3api put-object/.test(c))).toEqual([]);
    expect(callsSince(before)).toContainEqual(expect.stringMatching(/^aws sns publish --topic-arn /));
  }, 180_000);
});

describe("first-parent history only (a merged branch's intermediate commits were never reviewed as a whole)", () => {
  test('GIVEN a tag on a commit that a --no-ff merge brought into main, then reverted in the same branch THEN the trigger refuses it', async () => {
    const work = path.join(root, 'merge-work');
    git(root, 'clone', '-q', origin, work);
    git(work, 'checkout', '-q', '-b', 'feature', 'origin/main');
    fs.appendFileSync(path.join(work, 'environments', 'dev.yaml'), '\n# payload\n');
    git(work, 'commit', '-q', '-am', 'add a payload');
    const payload = git(work, 'rev-parse', 'HEAD');
    fs.writeFileSync(
      path.join(work, 'environments', 'dev.yaml'),
      fs.readFileSync(path.join(work, 'environments', 'dev.yaml'), 'utf8').replace('\n# payload\n', ''),
    );
    git(work, 'commit', '-q', '-am', 'remove it again: the reviewed diff is empty');
    git(work, 'checkout', '-q', 'main');
    git(work, 'merge', '-q', '--no-ff', '-m', 'merge feature', 'feature');
    git(work, 'tag', '-a', '-m', 'payload', 'dev_us-east-1/research/7.0', payload);
    git(work, 'push', '-q', 'origin', 'main', 'refs/tags/dev_us-east-1/research/7.0');
    expect(git(work, 'merge-base', '--is-ancestor', payload, 'main')).toBe('');
    const before = calls().length;
    const run = await runBuildspec('trigger.yml', repo, triggerEnv('dev_us-east-1/research/7.0', payload));
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(`commit ${payload.slice(0, 12)} is not on the first-parent history of the release branch main`);
    expect(privileged(callsSince(before))).toEqual([]);
  });
});

describe('aliased stack ids (red team 8)', () => {
  test("GIVEN a tag whose team and scope join to another stack's id THEN the trigger refuses it before any AWS call", async () => {
    const targets = JSON.parse(trustedEnv('tag-trigger_build_project').RELEASE_TARGETS) as Record<string, Record<string, string>>;
    // A pipeline that deploys team a-dev-bb in us-east-1: stack a-dev-bb-dev-us-east-1.
    const aliased = { ...targets, 'a-dev-bb-dev-us-east-1': { ...targets[STACK], team: 'a-dev-bb', scope: 'us-east-1' } };
    const before = calls().length;
    const run = await runBuildspec('trigger.yml', repo, { ...triggerEnv('dev_bb-dev-us-east-1/a/1.0', commit), RELEASE_TARGETS: JSON.stringify(aliased) });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain("names stack a-dev-bb-dev-us-east-1 through team 'a' and scope 'bb-dev-us-east-1', which are not that stack's");
    expect(privileged(callsSince(before))).toEqual([]);
  });
});
