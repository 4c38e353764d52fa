import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './support/multiregion';
import { run, stopAllProcesses, succeeded } from './support/processes';

/**
 * The same sources on both engines write the same Terraform: the example organisation is
 * synthesized with cdktf (this suite's engine) and with CDK Terrain (engines/cdktn/run.js), and
 * every stack must be equal once the differences listed here, and in docs/engines.md, are set
 * aside. Skipped with a message where the cdktn engine is not installed.
 */
const ENGINE_DIR = path.join(REPO_ROOT, 'engines', 'cdktn');
const installed = fs.existsSync(path.join(ENGINE_DIR, 'node_modules', 'cdktn'));
if (!installed) process.stderr.write('engine comparison skipped: the CDK Terrain engine is not installed (npm ci --prefix engines/cdktn)\n');
const describeWithEngine = installed && process.env.MULTIREGION_ENGINE !== 'cdktn' ? describe : describe.skip;

type Json = Record<string, unknown>;

/**
 * The known differences, each taken out of a copy and returned, so the test can check both that
 * nothing else differs and that these are what they are said to be.
 */
function setAsideEngineDifferences(stack: Json): { rest: Json; differences: Json } {
  const copy = JSON.parse(JSON.stringify(stack)) as Json;
  const terraform = copy.terraform as { required_providers?: { aws?: { source?: string; version?: string } } };
  const aws = terraform.required_providers?.aws ?? {};
  const metadata = (copy['//'] as { metadata?: { version?: string } } | undefined)?.metadata ?? {};
  const differences = { providerSource: aws.source, providerVersion: aws.version, engineVersion: metadata.version };
  delete aws.source;
  delete aws.version;
  delete metadata.version;
  return { rest: copy, differences };
}

afterAll(() => stopAllProcesses());

describeWithEngine('cdktf and CDK Terrain synthesize the same stacks', () => {
  test('GIVEN the example organisation WHEN synthesized on both engines THEN every stack is equal but for the provider source and version and the engine version', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-engines-'));
    const env = (outdir: string): NodeJS.ProcessEnv => {
      const e: NodeJS.ProcessEnv = {
        ...process.env,
        CDKTF_OUTDIR: outdir,
        ENVIRONMENTS_DIR: path.join(REPO_ROOT, 'environments'),
        MULTIREGION_SKIP_BUILD: '1',
      };
      for (const name of ['DEPLOY_TAG', 'STACKS', 'MULTIREGION_BOOTSTRAP', 'MULTIREGION_ENGINE']) delete e[name];
      return e;
    };
    const cdktfOut = path.join(work, 'cdktf');
    const cdktnOut = path.join(work, 'cdktn');
    succeeded(await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'app.js')], { cwd: REPO_ROOT, env: env(cdktfOut), timeoutMs: 120_000 }));
    succeeded(await run(process.execPath, [path.join(ENGINE_DIR, 'run.js'), 'synth'], { cwd: REPO_ROOT, env: env(cdktnOut), timeoutMs: 180_000 }));

    const stacks = fs.readdirSync(path.join(cdktfOut, 'stacks')).sort();
    expect(fs.readdirSync(path.join(cdktnOut, 'stacks')).sort()).toEqual(stacks);
    const read = (out: string, stack: string): Json => JSON.parse(fs.readFileSync(path.join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Json;
    for (const stack of stacks) {
      const a = setAsideEngineDifferences(read(cdktfOut, stack));
      const b = setAsideEngineDifferences(read(cdktnOut, stack));
      expect({ stack, json: b.rest }).toEqual({ stack, json: a.rest });
      // cdktf 0.21's bindings: provider 6.25 under the short source `aws`; cdktn 0.24's: a later 6.x under `hashicorp/aws` (the same registry provider).
      expect(a.differences).toEqual({ providerSource: 'aws', providerVersion: '6.25.0', engineVersion: '0.21.0' });
      expect(b.differences).toEqual({ providerSource: 'hashicorp/aws', providerVersion: expect.stringMatching(/^6\.\d+\.\d+$/), engineVersion: '0.24.0' });
    }
    fs.rmSync(work, { recursive: true, force: true });
  }, 300_000);

  test.each([
    ['cdktf', () => [path.join(REPO_ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf'), 'synth']],
    ['cdktn', () => [path.join(ENGINE_DIR, 'run.js'), 'cli', 'synth']],
  ])(
    "GIVEN the %s CLI WHEN it runs synth offline THEN it runs cdktf.json's app on its engine and writes every stack",
    async (name, args) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `multiregion-${name}-cli-`));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CHECKPOINT_DISABLE: '1',
        ENVIRONMENTS_DIR: path.join(REPO_ROOT, 'environments'),
        MULTIREGION_SKIP_BUILD: '1',
      };
      for (const variable of ['DEPLOY_TAG', 'STACKS', 'MULTIREGION_BOOTSTRAP', 'MULTIREGION_ENGINE', 'CDKTF_OUTDIR']) delete env[variable];
      succeeded(await run(process.execPath, [...args(), '--output', outdir], { cwd: REPO_ROOT, env, timeoutMs: 180_000 }));
      const stacks = fs.readdirSync(path.join(outdir, 'stacks'));
      expect(stacks.length).toBeGreaterThan(30);
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'research-dev-us-east-1', 'cdk.tf.json'), 'utf8')) as {
        '//': { metadata: { version: string } };
      };
      expect(json['//'].metadata.version).toBe(name === 'cdktf' ? '0.21.0' : '0.24.0');
      fs.rmSync(outdir, { recursive: true, force: true });
    },
    300_000,
  );
});
