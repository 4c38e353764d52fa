import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './support/multiregion';
import { run, stopAllProcesses, succeeded } from './support/processes';
import {
  findPluginDir,
  providerSchema,
  startProviderServer,
  validateStacks,
  type ProviderSchema,
  type ProviderServer,
  type ValidationReport,
} from './support/provider-validation';

/**
 * Every stack synthesized from the example organisation and from a config that turns every
 * feature on passes `terraform validate` with the real hashicorp/aws provider. Where no provider
 * is available offline, the suite says so and skips (see docs/development.md).
 */
const plugin = findPluginDir();
const describeWithProvider = 'dir' in plugin ? describe : describe.skip;
if ('missing' in plugin) process.stderr.write(`provider validation skipped: ${plugin.missing}\n`);

const ORGANISATIONS = {
  'example organisation': path.join(REPO_ROOT, 'environments'),
  'every feature on': path.join(REPO_ROOT, 'test', 'integration', 'fixtures', 'all-features'),
};

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-validate-'));
});
afterAll(() => {
  stopAllProcesses();
  fs.rmSync(work, { recursive: true, force: true });
});

async function synthAll(environments: string, outdir: string): Promise<void> {
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, ENVIRONMENTS_DIR: environments, CDKTF_OUTDIR: outdir, MULTIREGION_SKIP_BUILD: '1' };
  for (const name of ['DEPLOY_TAG', 'STACKS', 'MULTIREGION_BOOTSTRAP']) delete env[name];
  succeeded(await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'app.js')], { cwd: REPO_ROOT, env, timeoutMs: 120_000 }));
}

describeWithProvider('terraform validate with the real AWS provider', () => {
  const pluginDir = (plugin as { dir: string }).dir;
  // One provider process and one schema read serve every validation below.
  let server: ProviderServer;
  let schema: ProviderSchema;
  const outdirs: Record<string, string> = {};
  beforeAll(async () => {
    server = await startProviderServer(pluginDir);
    if (server.reattach === undefined) process.stderr.write('provider validation: the provider has no debug mode; terraform starts one per stack (slower)\n');
    schema = await providerSchema(pluginDir, work, server);
  }, 120_000);
  afterAll(() => server?.stop());

  test.each(Object.entries(ORGANISATIONS))(
    'GIVEN the %s WHEN every stack is synthesized and validated THEN terraform reports no error or warning',
    async (name, environments) => {
      const outdir = path.join(work, name.replace(/ /g, '-'), 'out');
      await synthAll(environments, outdir);
      outdirs[name] = outdir;
      const report: ValidationReport = await validateStacks(outdir, pluginDir, path.join(work, name.replace(/ /g, '-'), 'validate'), schema, server);

      expect(report.stacks.length).toBeGreaterThan(0);
      expect(report.stacks.some((s) => s.startsWith('tooling-'))).toBe(true);
      expect(report.diagnostics).toEqual([]);
      // The only arguments the test copy drops are provider 6's per-resource `region`; list them.
      expect(report.removals.every((r) => r.argument === 'region')).toBe(true);
      const removedTypes = [...new Set(report.removals.map((r) => r.address.replace(/\.[^.]+$/, '')))].sort();
      process.stdout.write(
        `${name}: ${report.stacks.length} stacks valid; removed 'region' (provider 6 only) from ${report.removals.length} blocks of ${removedTypes.join(', ') || 'no type'}\n`,
      );
    },
    300_000,
  );

  test('GIVEN a stack with an unknown argument and a CIDR the provider rejects WHEN validated THEN both are reported, naming the stack', async () => {
    const source = outdirs['example organisation'] ?? path.join(work, 'broken-source');
    if (outdirs['example organisation'] === undefined) await synthAll(ORGANISATIONS['example organisation'], source);
    const stack = 'research-dev-us-east-1';
    const broken = path.join(work, 'broken', 'out');
    fs.mkdirSync(path.join(broken, 'stacks', stack), { recursive: true });
    const json = JSON.parse(fs.readFileSync(path.join(source, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    const [group] = Object.values(json.resource.aws_autoscaling_group as Record<string, Record<string, unknown>>);
    group.bogus_argument = 'x';
    const [securityGroup] = Object.values(json.resource.aws_security_group as Record<string, Record<string, unknown>>);
    securityGroup.egress = [
      {
        from_port: 0,
        to_port: 0,
        protocol: '-1',
        cidr_blocks: ['not-a-cidr'],
        description: '',
        ipv6_cidr_blocks: [],
        prefix_list_ids: [],
        security_groups: [],
        self: false,
      },
    ];
    fs.writeFileSync(path.join(broken, 'stacks', stack, 'cdk.tf.json'), JSON.stringify(json));

    const report = await validateStacks(broken, pluginDir, path.join(work, 'broken', 'validate'), schema, server);
    expect(report.diagnostics).toEqual([
      `${stack}: error: "not-a-cidr" is not a valid CIDR block: invalid CIDR address: not-a-cidr`,
      `${stack}: error: Extraneous JSON object property: No argument or block type is named "bogus_argument".`,
    ]);
  }, 300_000);
});
