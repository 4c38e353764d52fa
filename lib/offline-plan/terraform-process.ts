import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { UserError } from '../errors';
import { firstLineOf, runCaptured } from '../subprocess';
import type { ProviderSchema } from './offline-config';
import { MINIMUM_TERRAFORM_FOR_MOCKS } from './test-file';

/** How the offline plan starts terraform and the provider: environment, closed port, debug mode. */

export const TERRAFORM_TIMEOUT_MS = 900_000;
export const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

/**
 * The environment of terraform and the provider, built from nothing but PATH (and a HOME and
 * TMPDIR the caller chooses, the scratch directory's): no AWS profile, keys, credential files, CA
 * bundle, `~/.aws` or `~/.terraform.d` of the user reaches the run, and with a port every SDK
 * endpoint is that port, where nothing answers. (An AWS_CA_BUNDLE from the caller also made the
 * provider refuse a second configuration: "unable to add custom RootCAs HTTPClient".)
 */
export function terraformEnv(extra: Record<string, string>, port?: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    TF_CLI_CONFIG_FILE: '/dev/null',
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    ...(port !== undefined ? { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` } : {}),
    ...extra,
  };
}

/** terraform's version, refused when it has no mock providers. */
export async function terraformVersion(terraform: string): Promise<string> {
  const result = await runCaptured(terraform, ['version', '-json'], { timeoutMs: 60_000, env: terraformEnv({}) });
  if (result.status !== 0) {
    const reason = firstLineOf(result.stderr) || `exit ${result.status}`;
    throw new UserError(
      process.env.TERRAFORM_BINARY
        ? `TERRAFORM_BINARY=${terraform} cannot be run (${reason}): point it at terraform ≥ ${MINIMUM_TERRAFORM_FOR_MOCKS}, or unset it to use terraform from PATH`
        : `${terraform} cannot be run (${reason}): install terraform ≥ ${MINIMUM_TERRAFORM_FOR_MOCKS} on PATH, or set TERRAFORM_BINARY=<path>`,
    );
  }
  const version = (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  const [major, minor] = version.split('.').map((p) => Number.parseInt(p, 10));
  if (major < 1 || (major === 1 && minor < 7)) {
    throw new UserError(`terraform ${version} has no mock providers: the offline plan needs terraform ≥ ${MINIMUM_TERRAFORM_FOR_MOCKS}`);
  }
  return version;
}

/**
 * A loopback port held for the whole run where every connection is reset at once: every AWS
 * request fails immediately, on this machine. Held rather than closed, so that no other process
 * can take the port in the meantime.
 */
export async function closedPort(): Promise<{ readonly port: number; close(): void }> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ port, close: () => server.close() });
    });
  });
}

export interface InitFailure {
  readonly message: string;
  /** The first error's summary. */
  readonly reason: string;
  /** Everything terraform wrote, to find the stacks the error names. */
  readonly output: string;
}

/**
 * `terraform init` from the plugin directory only. A failure is thrown as one line, or with
 * `tolerate` returned, so that the caller can set aside the stack it names and init again.
 */
export async function initFromPluginDir(
  terraform: string,
  dir: string,
  pluginDir: string,
  env: NodeJS.ProcessEnv,
  tolerate = false,
): Promise<InitFailure | undefined> {
  const init = await runCaptured(terraform, ['init', '-backend=false', `-plugin-dir=${pluginDir}`, '-input=false', '-no-color'], {
    cwd: dir,
    env,
    timeoutMs: TERRAFORM_TIMEOUT_MS,
  });
  if (init.status === 0) return undefined;
  const output = `${init.stdout}\n${init.stderr}`;
  const reason = (output.split('\n').find((l) => /Error:/.test(l)) ?? firstLineOf(init.stderr)).replace(/^.*Error:\s*/, '').trim();
  const providerMissing = /provider|registry/i.test(reason);
  const message = `terraform init with --plugin-dir ${pluginDir} failed: ${reason}${providerMissing ? ' (every provider the stacks require must be in the plugin directory)' : ''}`;
  if (!tolerate) throw new UserError(message);
  return { message, reason, output };
}

export async function awsProviderSchema(terraform: string, dir: string, env: NodeJS.ProcessEnv): Promise<ProviderSchema> {
  const result = await runCaptured(terraform, ['providers', 'schema', '-json'], { cwd: dir, env, timeoutMs: TERRAFORM_TIMEOUT_MS });
  if (result.status !== 0) throw new Error(`terraform providers schema failed: ${firstLineOf(result.stderr)}`);
  return (JSON.parse(result.stdout) as { provider_schemas: Record<string, ProviderSchema> }).provider_schemas[AWS_PROVIDER];
}

/**
 * The provider in its debug mode (TF_REATTACH_PROVIDERS), for one terraform process that tests
 * many stacks one after the other. Terraform then reads the 600 MB provider's schema once per
 * process instead of starting the provider nine times per stack: on the 2-core VM, 9 stacks took
 * 6.5 s and 10 CPU-seconds this way, 37 s and 47 CPU-seconds without. Each run configures the
 * provider again before it plans, so stacks may differ in region; two configurations of one
 * stack (aliases) would overwrite each other, so such stacks do not use it.
 */
export async function startProvider(binary: string, port?: number, home?: string): Promise<{ reattach?: string; stop: () => void }> {
  // The provider makes the AWS calls: it, not terraform, must see the closed port.
  const child = spawn(binary, ['-debug'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: terraformEnv(home !== undefined ? { HOME: home, TMPDIR: home } : {}, port),
  });
  // A debug-mode provider outlives a terraform that dies; it must not outlive the command.
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  const stop = (): void => {
    process.removeListener('exit', kill);
    kill();
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
  return { ...(reattach !== undefined ? { reattach } : {}), stop };
}
