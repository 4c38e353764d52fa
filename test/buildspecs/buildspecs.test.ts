import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { formatEnvFile } from '../../lib/ci/env-file';
import { TRUSTED_BUILDSPECS } from '../../modules/pipeline/buildspecs';
import { REPO } from '../pipeline/helpers';

/**
 * The buildspecs as CodeBuild runs them, statically: every command passes shellcheck, the
 * trusted ones (embedded when the tooling stack is deployed, holding the privileged roles) run no
 * code from the artifact or the tagged commit, the others call tested CLI steps. The local runs
 * from the tag push to the apply, and the tampering cases, are in pipeline-run.test.ts.
 */

const BUILDSPECS = path.join(REPO, 'buildspecs');
const names = fs
  .readdirSync(BUILDSPECS)
  .filter((f) => f.endsWith('.yml'))
  .sort();

interface Buildspec {
  version: number;
  env?: { shell?: string; 'exported-variables'?: string[] };
  phases: Record<string, { commands?: string[] }>;
  artifacts?: { files: string[]; 'exclude-paths'?: string[] };
}

const load = (name: string): Buildspec => parse(fs.readFileSync(path.join(BUILDSPECS, name), 'utf8')) as Buildspec;
const commandsOf = (spec: Buildspec): string[] => ['install', 'pre_build', 'build', 'post_build'].flatMap((phase) => spec.phases[phase]?.commands ?? []);
const trusted = (name: string): boolean => (TRUSTED_BUILDSPECS as readonly string[]).includes(name.replace(/\.yml$/, ''));

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { onPath } = require('../prerequisites') as { onPath: (name: string) => string | undefined };

/** shellcheck, which the test prerequisites (test/prerequisites.js) already require on PATH. */
function shellcheckPath(): string {
  const found = onPath('shellcheck');
  if (found === undefined)
    throw new Error('shellcheck is not on PATH: install it (apt-get install -y shellcheck; .ci/run does) to lint the buildspec commands');
  return found;
}

/** Lints commands as one bash script, run from a directory holding a sample of the sourced env files. */
function shellcheck(commands: readonly string[]): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-shellcheck-'));
  try {
    fs.mkdirSync(path.join(dir, '.multiregion'));
    const sample = formatEnvFile({ TAG: 'dev_us-east-1/research/1.0', STACK_DIR: 'cdktf.out/stacks/research-dev-us-east-1' });
    for (const file of ['release.env', 'plan.env', 'checksum.env']) fs.writeFileSync(path.join(dir, '.multiregion', file), sample);
    fs.writeFileSync(path.join(dir, 'script.sh'), `#!/bin/bash\n${commands.join('\n')}\n`);
    const result = spawnSync(shellcheckPath(), ['--external-sources', '--shell=bash', '--severity=style', 'script.sh'], { cwd: dir, encoding: 'utf8' });
    return { status: result.status, output: result.stdout + result.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('buildspecs', () => {
  test('there is one buildspec per stage', () => {
    expect(names).toEqual([
      'apply.yml',
      'drift.yml',
      'health.yml',
      'plan-review.yml',
      'plan.yml',
      'release.yml',
      'scan-plan.yml',
      'scan.yml',
      'trigger.yml',
      'validate.yml',
    ]);
  });

  test.each(names)('%s is CodeBuild buildspec 0.2 running bash, no soft-fail, tags parsed by a tested grammar', (name) => {
    const spec = load(name);
    expect(spec.version).toBe(0.2);
    expect(spec.env?.shell).toBe('bash');
    const commands = commandsOf(spec);
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      expect(command).not.toMatch(/soft-fail/);
      expect(command).not.toMatch(/\bcut\b|\bawk\b|\bsed\b/); // tags are parsed by the grammar (CLI or the trusted regex), never split in shell
      expect(command).not.toMatch(/wget|pip install/);
      // The CLI's pipeline steps, and in Validate the guardrails of the tagged stack (multiregion check).
      if (/\bnpx\b/.test(command)) expect(command).toMatch(/^npx --no-install multiregion (ci |check --tag "\$TAG"$)/);
    }
  });

  test.each(names.filter(trusted))('%s is trusted: no npm, npx, node, sourced file or artifact tools manifest (findings 1, 2)', (name) => {
    for (const command of commandsOf(load(name))) {
      expect(command).not.toMatch(/\bnpm\b|\bnpx\b|\bnode\b|multiregion ci|tools\/versions\.json/);
      expect(command).not.toMatch(/(^|[;&|]|\bthen|\bdo)[ \t]*(\.|source)[ \t]+[^\s=]/m);
    }
  });

  test.each(names)('%s downloads a tool only to check it against the sha256 embedded in its project', (name) => {
    const text = commandsOf(load(name)).join('\n');
    const downloads = text.match(/curl [^\n]*/g) ?? [];
    for (const download of downloads) expect(download).toMatch(/--output "\$TOOLS\/terraform\.zip" "\$TERRAFORM_URL"/);
    if (downloads.length > 0) expect(text).toContain('echo "$TERRAFORM_SHA256  $TOOLS/terraform.zip" | sha256sum --check --strict');
    if (!trusted(name) && name !== 'drift.yml') expect(downloads).toEqual([]);
  });

  test('the apply stage checks the plan sha256 before anything else touches the artifact', () => {
    const commands = commandsOf(load('apply.yml'));
    const check = commands.findIndex((c) => c.includes('sha256sum --check --strict -') && c.includes('$STACK_DIR/tfplan'));
    expect(check).toBe(0);
    // Terraform runs only as the unprivileged apply user, in the directory built from trusted pieces.
    expect(commands.filter((c) => /(^|\s)terraform /.test(c) && !c.includes('\n'))).toEqual([
      'as_apply_user terraform -chdir="$APPLY_DIR" init -input=false -lockfile=readonly -backend-config=backend.tfbackend',
      'as_apply_user terraform -chdir="$APPLY_DIR" apply -input=false -lock-timeout=5m -var="assume_role_arn=$DEPLOY_ROLE_ARN" -var="release_id=$RELEASE_ID" tfplan',
    ]);
    const setup = commands.find((c) => c.includes('as_apply_user()')) ?? '';
    expect(setup).toContain('runuser -u tfapply -- env -i ');
    expect(setup).not.toMatch(/AWS_CONTAINER_CREDENTIALS/);
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
