import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where a hashicorp/aws provider is found without a download: a plugin directory in the layout
 * `terraform providers mirror` and `-plugin-dir` use,
 * `<dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/terraform-provider-aws_*`.
 */

/** Where the provider is looked for when neither a flag nor `MULTIREGION_TF_PLUGIN_DIR` names one. */
export const CANDIDATE_PLUGIN_DIRS: readonly string[] = [
  '/opt/tf-plugins',
  path.join(os.homedir(), '.terraform.d', 'plugins'),
  '/usr/local/share/terraform/plugins',
  '/usr/share/terraform/plugins',
];

export const AWS_PROVIDER_PATH = path.join('registry.terraform.io', 'hashicorp', 'aws');

/** terraform's name of this machine's platform (`linux_amd64`). */
export function terraformPlatform(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return `${process.platform}_${arch}`;
}

/** The provider versions a plugin directory holds for this platform, highest first. */
export function providerVersions(pluginDir: string): string[] {
  const versions = path.join(pluginDir, AWS_PROVIDER_PATH);
  if (!fs.existsSync(versions)) return [];
  return fs
    .readdirSync(versions)
    .filter((version) => {
      const dir = path.join(versions, version, terraformPlatform());
      return fs.existsSync(dir) && fs.readdirSync(dir).some((file) => file.startsWith('terraform-provider-aws'));
    })
    .sort((a, b) => compareVersions(b, a));
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** How to get a provider onto an offline machine; the end of every "no provider" message. */
export const HOW_TO_GET_A_PROVIDER =
  'on a machine with network access, run `terraform providers mirror <dir>` in a directory whose configuration requires hashicorp/aws (or unzip terraform-provider-aws from releases.hashicorp.com into <dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/), then pass --plugin-dir <dir> or set MULTIREGION_TF_PLUGIN_DIR';

/**
 * The plugin directory holding hashicorp/aws for this platform, or why there is none. An
 * explicit directory (the flag, else `MULTIREGION_TF_PLUGIN_DIR`) is the only one looked at;
 * otherwise the usual places are, in order.
 */
export function findPluginDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): { dir: string; version: string } | { missing: string } {
  const configured = explicit ?? (env.MULTIREGION_TF_PLUGIN_DIR || undefined);
  const candidates = configured !== undefined ? [configured] : CANDIDATE_PLUGIN_DIRS;
  for (const dir of candidates) {
    const [version] = providerVersions(dir);
    if (version !== undefined) return { dir: path.resolve(dir), version };
  }
  const where = `${AWS_PROVIDER_PATH}/<version>/${terraformPlatform()}/`;
  return {
    missing:
      configured !== undefined
        ? `${explicit !== undefined ? '--plugin-dir' : 'MULTIREGION_TF_PLUGIN_DIR'}=${configured} has no ${where} provider`
        : `no hashicorp/aws provider in a local plugin directory (looked in ${CANDIDATE_PLUGIN_DIRS.join(', ')})`,
  };
}

/** The provider binary of one version, for starting it in debug mode. */
export function providerBinary(pluginDir: string, version: string): string | undefined {
  const dir = path.join(pluginDir, AWS_PROVIDER_PATH, version, terraformPlatform());
  const binary = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith('terraform-provider-aws')) : undefined;
  return binary === undefined ? undefined : path.join(dir, binary);
}
