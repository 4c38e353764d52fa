import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCAL_CREDENTIALS } from './aws-http';
import { run, start, type ProcessResult, type RunningProcess } from './processes';
import type { LocalStateServers } from './servers';

// Resolved from PATH (or TERRAFORM_BINARY) by test/prerequisites.js in jest's global setup.
export const TERRAFORM = process.env.TERRAFORM_BINARY ?? 'terraform';
const RUN_TIMEOUT_MS = 45_000;

// Nothing listens on port 9 (discard): a request that was meant for AWS fails at once instead
// of leaving the machine. Go never proxies loopback addresses, so the local servers are unaffected.
const NOWHERE = 'http://127.0.0.1:9';

let runs = 0;
/** How many terraform commands this process has started. */
export function terraformRunCount(): number {
  return runs;
}

/**
 * The backend settings that point Terraform's S3 backend at the local servers. Test-only: they are
 * added to the backend block the framework synthesizes, never part of it.
 */
export function localBackendOverrides(servers: LocalStateServers): Record<string, unknown> {
  return {
    endpoints: { s3: servers.s3Endpoint, dynamodb: servers.dynamodbEndpoint, sts: NOWHERE, iam: NOWHERE },
    use_path_style: true,
    // These three would otherwise call STS, IAM and the EC2 metadata service.
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
  };
}

/** A `terraform_data` resource of the probe configuration. */
export interface ProbeResource {
  /** Stored as the resource's input, to tell the writers of a state apart. */
  readonly input: string;
  /**
   * Hold the apply (and so the state lock) while creating this resource: create the file
   * `started`, then wait until the file `release` exists (at most 30 s, then fail).
   */
  readonly hold?: { readonly started?: string; readonly release: string };
}

/**
 * A Terraform working directory with its own data dir, holding a probe configuration: the given
 * S3 backend block and only `terraform_data` resources (built into Terraform: no provider to
 * download).
 */
export class ProbeWorkspace {
  readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    root: string,
    name: string,
    private readonly backend: Record<string, unknown>,
  ) {
    this.dir = path.join(root, name);
    fs.mkdirSync(this.dir, { recursive: true });
    const home = path.join(root, 'home');
    const cliConfig = path.join(root, 'terraform.rc');
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(cliConfig, '');
    // A complete environment, not process.env: no AWS profile, proxy, plugin cache or CLI config
    // of this machine reaches terraform, and ~/.terraform.d is the empty temp home.
    this.env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      TMPDIR: root,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      TF_DATA_DIR: path.join(this.dir, '.terraform'),
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: '1',
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: path.join(home, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'aws-credentials'),
      HTTP_PROXY: NOWHERE,
      HTTPS_PROXY: NOWHERE,
    };
  }

  /** Writes main.tf.json with the backend and these resources (replacing any earlier ones). */
  writeResources(resources: Readonly<Record<string, ProbeResource>>): this {
    const resource = Object.fromEntries(
      Object.entries(resources).map(([name, r]) => [
        name,
        {
          input: r.input,
          ...(r.hold !== undefined ? { provisioner: [{ 'local-exec': { command: holdCommand(r.hold.started, r.hold.release) } }] } : {}),
        },
      ]),
    );
    const config = { terraform: { backend: { s3: this.backend } }, resource: { terraform_data: resource } };
    fs.writeFileSync(path.join(this.dir, 'main.tf.json'), `${JSON.stringify(config, null, 2)}\n`);
    return this;
  }

  private args(command: string, ...extra: string[]): string[] {
    return [command, '-input=false', '-no-color', ...extra];
  }

  private run(args: string[]): Promise<ProcessResult> {
    runs++;
    return run(TERRAFORM, args, { cwd: this.dir, env: this.env, timeoutMs: RUN_TIMEOUT_MS });
  }

  init(): Promise<ProcessResult> {
    return this.run(this.args('init'));
  }

  /** `terraform apply` that fails at once when the state is locked (-lock-timeout=0s). */
  apply(): Promise<ProcessResult> {
    return this.run(this.applyArgs());
  }

  /** Starts an apply without waiting for it. */
  startApply(): RunningProcess {
    runs++;
    return start(TERRAFORM, this.applyArgs(), { cwd: this.dir, env: this.env, timeoutMs: RUN_TIMEOUT_MS });
  }

  private applyArgs(): string[] {
    return this.args('apply', '-auto-approve', '-lock-timeout=0s');
  }
}

function holdCommand(started: string | undefined, release: string): string {
  for (const file of [started, release]) {
    if (file !== undefined && /['\\]/.test(file)) throw new Error(`cannot quote ${file} for sh`);
  }
  const announce = started !== undefined ? `: > '${started}'; ` : '';
  return `${announce}i=0; while [ ! -e '${release}' ]; do i=$((i+1)); if [ $i -gt 600 ]; then echo 'gave up waiting for ${release}' >&2; exit 1; fi; sleep 0.05; done`;
}

/** The parts of a Terraform state file the tests check. */
export interface TerraformState {
  readonly version: number;
  readonly terraform_version: string;
  readonly serial: number;
  readonly lineage: string;
  readonly resources: readonly {
    readonly type: string;
    readonly name: string;
    readonly instances: readonly { readonly attributes: { readonly input?: { readonly value?: unknown } } }[];
  }[];
}

export function parseState(body: string): TerraformState {
  const state = JSON.parse(body) as TerraformState;
  if (state.version !== 4 || !Array.isArray(state.resources)) throw new Error(`not a Terraform state file: ${body.slice(0, 200)}`);
  return state;
}

/** The state's terraform_data resources: name -> input. */
export function probeResourcesOf(state: TerraformState): Record<string, unknown> {
  return Object.fromEntries(state.resources.filter((r) => r.type === 'terraform_data').map((r) => [r.name, r.instances[0]?.attributes.input?.value]));
}
