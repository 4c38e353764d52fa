import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, succeeded } from './processes';
import { TERRAFORM } from './terraform';

/**
 * `terraform validate` of synthesized stacks against a real hashicorp/aws provider from a local
 * plugin directory (no download). Our bindings target provider 6.25; machines such as CI carry an
 * offline 5.x, so the test copy relaxes the version constraint and drops exactly the arguments
 * that provider 6 added (the per-resource `region`), listing every removal. Nothing else changes.
 */

/** Where the provider is looked for when `MULTIREGION_TF_PLUGIN_DIR` is unset. */
const CANDIDATE_PLUGIN_DIRS = [
  '/opt/tf-plugins',
  path.join(os.homedir(), '.terraform.d', 'plugins'),
  '/usr/local/share/terraform/plugins',
  '/usr/share/terraform/plugins',
];
const AWS_PROVIDER = path.join('registry.terraform.io', 'hashicorp', 'aws');

/** The plugin directory holding hashicorp/aws, or why there is none. */
export function findPluginDir(env: NodeJS.ProcessEnv = process.env): { dir: string } | { missing: string } {
  const configured = env.MULTIREGION_TF_PLUGIN_DIR;
  const candidates = configured !== undefined && configured !== '' ? [configured] : CANDIDATE_PLUGIN_DIRS;
  for (const dir of candidates) {
    const versions = path.join(dir, AWS_PROVIDER);
    if (fs.existsSync(versions) && fs.readdirSync(versions).length > 0) return { dir };
  }
  return {
    missing:
      configured !== undefined && configured !== ''
        ? `MULTIREGION_TF_PLUGIN_DIR=${configured} has no ${AWS_PROVIDER}/<version>/<os_arch>/ provider`
        : `no hashicorp/aws provider in a local plugin directory (looked in ${CANDIDATE_PLUGIN_DIRS.join(', ')}); set MULTIREGION_TF_PLUGIN_DIR=<dir> to run provider validation`,
  };
}

/** One argument removed from a test copy because the offline provider does not accept it. */
export interface Removal {
  readonly stack: string;
  readonly address: string;
  readonly argument: string;
}

interface BlockSchema {
  readonly attributes?: Record<string, { readonly optional?: boolean; readonly required?: boolean }>;
}
export interface ProviderSchema {
  readonly resource_schemas: Record<string, { readonly block: BlockSchema }>;
  readonly data_source_schemas: Record<string, { readonly block: BlockSchema }>;
}

/** Arguments only provider 6 has; each is dropped where the offline provider cannot take it. */
const PROVIDER_6_ONLY_ARGUMENTS = ['region'];

function configurable(block: BlockSchema | undefined, argument: string): boolean {
  const attribute = block?.attributes?.[argument];
  return attribute !== undefined && (attribute.optional === true || attribute.required === true);
}

/** The test copy of one stack: no backend, a relaxed constraint, provider-6-only arguments gone. */
export function relaxForProvider(
  stack: string,
  config: Record<string, unknown>,
  schema: ProviderSchema,
): { config: Record<string, unknown>; removals: Removal[] } {
  const copy = JSON.parse(JSON.stringify(config)) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
  const removals: Removal[] = [];
  const terraform = copy.terraform as unknown as { backend?: unknown; required_providers?: { aws?: { version?: string } } };
  delete terraform.backend;
  if (terraform.required_providers?.aws !== undefined) terraform.required_providers.aws.version = '>= 5.0';
  for (const [kind, schemas, prefix] of [
    ['resource', schema.resource_schemas, ''],
    ['data', schema.data_source_schemas, 'data.'],
  ] as const) {
    for (const [type, instances] of Object.entries(copy[kind] ?? {})) {
      for (const [name, body] of Object.entries(instances)) {
        for (const argument of PROVIDER_6_ONLY_ARGUMENTS) {
          if (argument in body && !configurable(schemas[type]?.block, argument)) {
            delete body[argument];
            removals.push({ stack, address: `${prefix}${type}.${name}`, argument });
          }
        }
      }
    }
  }
  return { config: copy, removals };
}

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
  const versions = path.join(pluginDir, AWS_PROVIDER);
  const version = fs.readdirSync(versions).sort().pop()!;
  const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  const dir = path.join(versions, version, platform);
  const binary = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith('terraform-provider-aws')) : undefined;
  if (binary === undefined) return { reattach: undefined, stop: () => undefined };
  const child = spawn(path.join(dir, binary), ['-debug'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const reattach = await new Promise<string | undefined>((resolve) => {
    let output = '';
    const timer = setTimeout(() => resolve(undefined), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output);
      if (line !== null) {
        clearTimeout(timer);
        resolve(line[1]);
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
  if (reattach === undefined) stop();
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
