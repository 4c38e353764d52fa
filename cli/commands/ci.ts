import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../lib/errors';
import { backendConfigFile } from '../../lib/ci/backend-config';
import { sha256File } from '../../lib/ci/checksum';
import { acceptedChecksReport, checkovConfig } from '../../lib/ci/checkov';
import { driftReport, parseAppliedReleases, refusedDriftResults } from '../../lib/ci/drift';
import { runDrift } from '../../lib/ci/drift-run';
import { formatEnvFile, parseEnvFile } from '../../lib/ci/env-file';
import { evaluateHealth } from '../../lib/ci/health';
import { planHeadline, planReport, summarizePlan } from '../../lib/ci/plan-summary';
import { parseManifest, planRoleName, resolveRelease, type PipelineContext, type ReleaseManifest, type ReleaseVariables } from '../../lib/ci/release';
import { synthTaggedStack } from '../../lib/ci/synth-tagged';
import { installTool } from '../../lib/ci/tool-install';
import { parseToolsManifest } from '../../lib/ci/tools-manifest';
import { DEFAULT_ENVIRONMENT_PIPELINE } from '../../lib/pipeline-config';
import { stackSpecForTag } from '../../lib/stack-spec';
import { parseReleaseTag } from '../../lib/tag';
import { organisationFor } from '../context';

/**
 * `multiregion ci <step>`: the logic of the pipeline stages, called by buildspecs/*.yml. Each
 * step reads the CodeBuild environment, writes files under .multiregion/ (sourced by the
 * buildspec for exported variables) and fails with one line naming what is wrong.
 */

const WORK_DIR = '.multiregion';
const RELEASE_ENV = path.join(WORK_DIR, 'release.env');
const MANIFEST = 'release.json';

function env(name: string, environment: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = environment[name];
  return value === undefined || value === '' ? undefined : value;
}

function requireEnv(name: string, why: string): string {
  const value = env(name);
  if (value === undefined) throw new UserError(`${name} is not set (${why}); is this running in the pipeline's CodeBuild project?`);
  return value;
}

function writeFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}

/** The pipeline this build belongs to, from the project's environment variables. */
export function pipelineContextFromEnv(environment: NodeJS.ProcessEnv = process.env): PipelineContext {
  const name = env('PIPELINE_ENVIRONMENT', environment);
  if (name === undefined) throw new UserError('PIPELINE_ENVIRONMENT is not set: the tooling stack sets it on every build project');
  const scopes = env('PIPELINE_SCOPES', environment);
  return { environment: name, ...(scopes !== undefined ? { scopes: scopes.split(',') } : {}) };
}

function releaseVariables(variables: ReleaseVariables): Record<string, string> {
  return { ...variables };
}

/** The release written by check-tag, read back from the artifact by every later stage. */
export function loadRelease(file = RELEASE_ENV): ReleaseVariables {
  if (!fs.existsSync(file)) throw new UserError(`${file} is missing: the Validate stage (ci check-tag) writes it into the artifact`);
  const values = parseEnvFile(fs.readFileSync(file, 'utf8'));
  for (const key of ['TAG', 'STACK', 'STACK_DIR', 'ENVIRONMENT']) {
    if (values[key] === undefined) throw new UserError(`${file} has no ${key}`);
  }
  return values as unknown as ReleaseVariables;
}

function registerReleaseSteps(ci: Command): void {
  ci.command('check-tag')
    .description('Validate stage: check the release tag, its commit and manifest; write the release variables')
    .requiredOption('--out <file>', 'env file to write (sourced by the buildspec)')
    .option('--manifest <file>', 'release manifest inside the source artifact (codecommit sources)', MANIFEST)
    .action((options: { out: string; manifest: string }, command: Command) => {
      // The pipeline's own environment: a broken file of another environment does not stop this one.
      const org = organisationFor(command, pipelineContextFromEnv().environment);
      const sourceKind = requireEnv('PIPELINE_SOURCE', 'codecommit or connection');
      // The Release stage (trusted) writes the manifest into the Checked artifact for both source kinds.
      let manifest: ReleaseManifest | undefined;
      if (fs.existsSync(options.manifest)) {
        manifest = parseManifest(fs.readFileSync(options.manifest, 'utf8'), options.manifest);
      } else if (sourceKind === 'codecommit') {
        throw new UserError(`${options.manifest} is missing from the source artifact: codecommit releases are packed by the trigger build`);
      }
      const variables = resolveRelease(
        org,
        pipelineContextFromEnv(),
        {
          tag: env('RELEASE_TAG'),
          commit: env('RELEASE_COMMIT'),
          // An S3 source's resolved version is an object version, not a commit.
          resolvedCommit: sourceKind === 'connection' && manifest === undefined ? env('CODEBUILD_RESOLVED_SOURCE_VERSION') : undefined,
          manifest,
        },
        planRoleName(org),
      );
      writeFile(options.out, formatEnvFile(releaseVariables(variables)));
      process.stdout.write(
        `release ${variables.TAG} at ${variables.COMMIT.slice(0, 12)} -> stack ${variables.STACK} (${variables.TARGET_ACCOUNT}, ${variables.TARGET_REGION})\n`,
      );
    });

  ci.command('synth')
    .description('synthesize only the stack of the release tag into cdktf.out/stacks/<stack>')
    .option('--release <file>', 'release env file', RELEASE_ENV)
    .action((options: { release: string }, command: Command) => {
      const release = loadRelease(options.release);
      const dir = synthTaggedStack(organisationFor(command, release.ENVIRONMENT), release.TAG, process.cwd());
      process.stdout.write(`synthesized ${release.STACK} into ${dir}\n`);
    });

  ci.command('backend-config')
    .description('write the -backend-config file of the release: bucket, key, region and locking derived from the tag')
    .requiredOption('--out <file>', 'file to write')
    .option('--release <file>', 'release env file', RELEASE_ENV)
    .action((options: { out: string; release: string }, command: Command) => {
      const release = loadRelease(options.release);
      const spec = stackSpecForTag(organisationFor(command, release.ENVIRONMENT), parseReleaseTag(release.TAG));
      writeFile(options.out, backendConfigFile(spec.backend));
      process.stdout.write(`state: s3://${spec.backend.bucket}/${spec.backend.key} (${spec.backend.region})\n`);
    });
}

function registerCheckSteps(ci: Command): void {
  ci.command('checkov-config')
    .description("write checkov's config: the environment's accepted checks are skipped (with their reasons logged), nothing is soft-failed")
    .requiredOption('--framework <name>', 'terraform_json (synthesized stack) or terraform_plan (plan JSON)')
    .requiredOption('--out <file>', 'file to write')
    .option('--release <file>', 'release env file', RELEASE_ENV)
    .action((options: { framework: string; out: string; release: string }, command: Command) => {
      if (options.framework !== 'terraform_json' && options.framework !== 'terraform_plan') {
        throw new UserError(`--framework '${options.framework}' is not supported (expected terraform_json or terraform_plan)`);
      }
      const release = loadRelease(options.release);
      const environment = organisationFor(command, release.ENVIRONMENT).environments.find((e) => e.name === release.ENVIRONMENT);
      if (environment === undefined) throw new UserError(`environment '${release.ENVIRONMENT}' is not configured`);
      const accepted = (environment.pipeline ?? DEFAULT_ENVIRONMENT_PIPELINE).acceptedChecks;
      writeFile(options.out, checkovConfig(accepted, options.framework));
      process.stdout.write(acceptedChecksReport(environment.name, accepted));
    });

  ci.command('plan-summary')
    .description('summarize terraform show -json output: plan-summary.txt next to the plan, PLAN_HEADLINE and PLAN_LINK for the approval')
    .requiredOption('--out <file>', 'env file to write')
    .option('--release <file>', 'release env file', RELEASE_ENV)
    .option('--plan-json <file>', 'plan JSON (default: <stack dir>/tfplan.json)')
    .action((options: { out: string; release: string; planJson?: string }) => {
      const release = loadRelease(options.release);
      const file = options.planJson ?? path.join(release.STACK_DIR, 'tfplan.json');
      if (!fs.existsSync(file)) throw new UserError(`${file} is missing: run terraform show -json tfplan first`);
      let json: unknown;
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        throw new UserError(`${file} is not JSON: expected the output of terraform show -json tfplan`);
      }
      const summary = summarizePlan(json);
      const report = planReport(release.STACK, release.TAG, release.COMMIT, summary);
      writeFile(path.join(release.STACK_DIR, 'plan-summary.txt'), report);
      process.stdout.write(report);
      writeFile(options.out, formatEnvFile({ PLAN_HEADLINE: planHeadline(release.STACK, summary), PLAN_LINK: env('CODEBUILD_BUILD_URL') ?? 'unknown' }));
    });

  ci.command('plan-checksum')
    .description('record the sha256 of the saved plan (tfplan.sha256 and PLAN_SHA256)')
    .requiredOption('--out <file>', 'env file to write')
    .option('--release <file>', 'release env file', RELEASE_ENV)
    .action((options: { out: string; release: string }) => {
      const release = loadRelease(options.release);
      const plan = path.join(release.STACK_DIR, 'tfplan');
      if (!fs.existsSync(plan)) throw new UserError(`${plan} is missing: terraform plan -out=tfplan writes it`);
      const sum = sha256File(plan);
      writeFile(`${plan}.sha256`, `${sum}  tfplan\n`);
      writeFile(options.out, formatEnvFile({ PLAN_SHA256: sum }));
      process.stdout.write(`plan sha256 ${sum}\n`);
    });

  ci.command('health-check')
    .description('fail while AWS Health reports an open issue in the target region (input: aws health describe-events JSON)')
    .requiredOption('--events <file>', 'output of aws health describe-events')
    .option('--release <file>', 'release env file', RELEASE_ENV)
    .action((options: { events: string; release: string }) => {
      const release = loadRelease(options.release);
      let json: unknown;
      try {
        json = JSON.parse(fs.readFileSync(options.events, 'utf8'));
      } catch {
        throw new UserError(`${options.events}: not readable JSON; did aws health describe-events fail (it needs a Business or Enterprise support plan)?`);
      }
      const services = env('HEALTH_SERVICES')?.split(',') ?? [];
      const verdict = evaluateHealth(json, { region: release.TARGET_REGION, services });
      if (!verdict.healthy) throw new UserError(verdict.message);
      process.stdout.write(`${verdict.message}\n`);
    });
}

function registerToolSteps(ci: Command): void {
  ci.command('install-tools')
    .description('download the pinned tools of tools/versions.json, verify their sha256, install them')
    .requiredOption('--dest <dir>', 'directory to install the executables into')
    .option('--only <names>', 'comma-separated tool names (default: all)')
    .option('--manifest <file>', 'tools manifest', path.join('tools', 'versions.json'))
    .action(async (options: { dest: string; only?: string; manifest: string }) => {
      const tools = parseToolsManifest(fs.readFileSync(options.manifest, 'utf8'), options.manifest);
      const wanted = options.only?.split(',') ?? tools.map((t) => t.name);
      const unknown = wanted.filter((name) => !tools.some((t) => t.name === name));
      if (unknown.length > 0) throw new UserError(`--only: unknown tool(s) ${unknown.join(', ')} (expected: ${tools.map((t) => t.name).join(', ')})`);
      for (const tool of tools.filter((t) => wanted.includes(t.name))) {
        const installed = await installTool(tool, options.dest);
        process.stdout.write(`installed ${tool.name} ${tool.version} (sha256 ${tool.sha256.slice(0, 12)}...) -> ${installed}\n`);
      }
    });

  ci.command('drift')
    .description('plan the last applied release of every stack of this pipeline with -detailed-exitcode; report drift')
    .requiredOption('--releases <file>', "applied releases on the release branch ('<stack> <tag> <commit>' lines, from drift.yml's trusted selection)")
    .option('--refused <file>', 'applied releases whose commit is not on the release branch (reported, never planned)')
    .requiredOption('--report <file>', 'report text to write')
    .requiredOption('--out <file>', 'JSON to write: attention, subject')
    .action(async (options: { releases: string; refused?: string; report: string; out: string }, command: Command) => {
      const context = pipelineContextFromEnv();
      const org = organisationFor(command, context.environment);
      const applied = parseAppliedReleases(fs.readFileSync(options.releases, 'utf8'), options.releases);
      const refused = options.refused !== undefined && fs.existsSync(options.refused) ? fs.readFileSync(options.refused, 'utf8') : '';
      const results = [...(await runDrift(org, context, process.cwd(), applied)), ...refusedDriftResults(refused)];
      const report = driftReport(context.environment, results);
      writeFile(options.report, report.text);
      writeFile(options.out, `${JSON.stringify({ attention: report.attention, subject: report.subject })}\n`);
      process.stdout.write(report.text);
    });
}

export function registerCiCommands(program: Command): void {
  const ci = program
    .command('ci')
    .description('pipeline steps called by buildspecs/*.yml (tag check, synth, backend, plan summary and checksum, health, tools, drift)');
  registerReleaseSteps(ci);
  registerCheckSteps(ci);
  registerToolSteps(ci);
}
