import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseToolsManifest } from '../../lib/ci/tools-manifest';

/** The buildspecs of the pipelines, one per stage (files in buildspecs/). */
export type BuildspecName = 'trigger' | 'release' | 'validate' | 'scan' | 'plan' | 'scan-plan' | 'plan-review' | 'health' | 'apply' | 'drift';

/**
 * Buildspecs that run only embedded code (plain bash, git, jq, the AWS CLI and terraform from an
 * embedded pin): they may hold the privileged roles. The others run the tagged commit's code.
 */
export const TRUSTED_BUILDSPECS: readonly BuildspecName[] = ['trigger', 'release', 'plan-review', 'apply'];

let directory: string | undefined;

/** buildspecs/ at the repository root, from the sources (ts-jest) or from dist/ (compiled). */
export function buildspecsDir(): string {
  if (directory !== undefined) return directory;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'buildspecs');
    if (fs.existsSync(path.join(candidate, 'validate.yml'))) return (directory = candidate);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`buildspecs/ not found above ${__dirname}`);
    dir = parent;
  }
}

/**
 * The text of a buildspec. It is embedded in the CodeBuild project when the tooling stack is
 * deployed, so a release tag cannot change the commands that plan and apply it.
 */
export function buildspecText(name: BuildspecName): string {
  return fs.readFileSync(path.join(buildspecsDir(), `${name}.yml`), 'utf8');
}

/**
 * The terraform pin of tools/versions.json as environment variables of a trusted build project,
 * read when the tooling stack is synthesized from the deployer's checkout: a release tag cannot
 * change which terraform binary applies it (threat: tools/versions.json of the artifact pointing
 * at a binary of the attacker's choosing, with a matching checksum).
 */
export function pinnedTerraform(): Record<string, string> {
  const file = path.join(path.dirname(buildspecsDir()), 'tools', 'versions.json');
  const terraform = parseToolsManifest(fs.readFileSync(file, 'utf8'), file).find((t) => t.name === 'terraform');
  if (terraform === undefined || terraform.binary !== 'terraform') throw new Error(`${file}: no terraform pin with binary 'terraform'`);
  return { TERRAFORM_VERSION: terraform.version, TERRAFORM_URL: terraform.url, TERRAFORM_SHA256: terraform.sha256 };
}
