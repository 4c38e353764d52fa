import * as fs from 'node:fs';
import * as path from 'node:path';
import { providerBinary, providerVersions, relaxForProvider, startProvider, type ProviderSchema, type Removal } from '../../../lib/offline-plan';
import { run, succeeded } from './processes';
import { TERRAFORM } from './terraform';

export { findPluginDir, relaxForProvider, type ProviderSchema } from '../../../lib/offline-plan';

/**
 * `terraform validate` of synthesized stacks against a real hashicorp/aws provider from a local
 * plugin directory (no download). Our bindings target provider 6.25; machines such as CI carry an
 * offline 5.x, so the test copy relaxes the version constraint and drops exactly the arguments
 * that provider 6 added (the per-resource `region`), listing every removal. Nothing else changes.
 */

export interface ValidationReport {
  readonly stacks: readonly string[];
  readonly removals: readonly Removal[];
  /** One line per error or warning diagnostic: `<stack>: <summary>: <detail>`. */
  readonly diagnostics: readonly string[];
}

const TERRAFORM_TIMEOUT_MS = 300_000;

/**
 * One running hashicorp/aws provider that terraform attaches to (TF_REATTACH_PROVIDERS, the
 * provider's documented debug mode) instead of starting one process per provider configuration.
 * Validation never configures a provider, so one process can answer every stack: with 43 stacks
 * that is one start of a 600 MB binary instead of 43, about 17 CPU-seconds less, with the same
 * diagnostics (compared by hand with and without: identical). `undefined` when the provider does
 * not offer debug mode; terraform then starts its own as usual.
 */
export interface ProviderServer {
  /** The value of TF_REATTACH_PROVIDERS, or undefined to let terraform start the provider. */
  readonly reattach: string | undefined;
  stop(): void;
}

export async function startProviderServer(pluginDir: string): Promise<ProviderServer> {
  const [version] = providerVersions(pluginDir);
  const binary = version === undefined ? undefined : providerBinary(pluginDir, version);
  if (binary === undefined) return { reattach: undefined, stop: () => undefined };
  const { reattach, stop } = await startProvider(binary);
  return { reattach, stop };
}

/** The provider's schema (what validateStacks needs to relax a stack), read once per provider. */
export async function providerSchema(pluginDir: string, workDir: string, server?: ProviderServer): Promise<ProviderSchema> {
  const probe = path.join(workDir, 'probe');
  fs.mkdirSync(probe, { recursive: true });
  fs.writeFileSync(path.join(probe, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } } }));
  const env = terraformEnv(path.join(probe, '.terraform'), server);
  succeeded(await run(TERRAFORM, ['init', '-backend=false', `-plugin-dir=${pluginDir}`, '-input=false'], { cwd: probe, env, timeoutMs: TERRAFORM_TIMEOUT_MS }));
  const schemaRun = succeeded(await run(TERRAFORM, ['providers', 'schema', '-json'], { cwd: probe, env, timeoutMs: TERRAFORM_TIMEOUT_MS }));
  const providers = (JSON.parse(schemaRun.stdout) as { provider_schemas: Record<string, ProviderSchema> }).provider_schemas;
  return providers['registry.terraform.io/hashicorp/aws'];
}

function terraformEnv(dataDir: string, server: ProviderServer | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_DATA_DIR: dataDir };
  delete env.TF_REATTACH_PROVIDERS;
  if (server?.reattach !== undefined) env.TF_REATTACH_PROVIDERS = server.reattach;
  return env;
}

/**
 * Validates every stack under `<outdir>/stacks` in one terraform run: each stack becomes a module
 * of one root configuration, so terraform and the provider's schema are loaded once rather than
 * once per stack. Module boundaries keep the stacks' names apart, as their own roots would.
 */
export async function validateStacks(
  outdir: string,
  pluginDir: string,
  workDir: string,
  schema: ProviderSchema,
  server?: ProviderServer,
): Promise<ValidationReport> {
  const env = terraformEnv(path.join(workDir, '.terraform'), server);
  const stacks = fs.readdirSync(path.join(outdir, 'stacks')).sort();
  fs.mkdirSync(workDir, { recursive: true });

  const root = path.join(workDir, 'root');
  const removals: Removal[] = [];
  const modules: Record<string, { source: string }> = {};
  for (const stack of stacks) {
    const config = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>;
    const relaxed = relaxForProvider(stack, config, schema);
    removals.push(...relaxed.removals);
    fs.mkdirSync(path.join(root, stack), { recursive: true });
    fs.writeFileSync(path.join(root, stack, 'main.tf.json'), JSON.stringify(relaxed.config));
    modules[stack] = { source: `./${stack}` };
  }
  fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify({ module: modules }));
  succeeded(await run(TERRAFORM, ['init', '-backend=false', `-plugin-dir=${pluginDir}`, '-input=false'], { cwd: root, env, timeoutMs: TERRAFORM_TIMEOUT_MS }));
  const validation = await run(TERRAFORM, ['validate', '-json'], { cwd: root, env, timeoutMs: TERRAFORM_TIMEOUT_MS });
  const parsed = JSON.parse(validation.stdout) as { diagnostics: { severity: string; summary: string; detail?: string; range?: { filename?: string } }[] };
  const diagnostics = parsed.diagnostics
    .map(
      (d) => `${d.range?.filename?.split('/')[0] ?? '(root)'}: ${d.severity}: ${d.summary}${d.detail !== undefined && d.detail !== '' ? `: ${d.detail}` : ''}`,
    )
    .sort();
  return { stacks, removals, diagnostics };
}
