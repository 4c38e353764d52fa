import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { STAGES } from '../../../modules/pipeline/release-pipeline';
import { TRUSTED_BUILDSPECS } from '../../../modules/pipeline/buildspecs';
import { REPO, byId, exampleOrg, only, orgWith, resources, synthTooling, type Json } from '../../pipeline/helpers';
import { renderedLiteral } from '../../../lib/terraform-literal';

const org = exampleOrg();
const dev = synthTooling(org, 'tooling-dev');
const prod = synthTooling(org, 'tooling-prod');

const stageNames = (json: Json): string[] => (only(json, 'aws_codepipeline').stage as Json[]).map((s) => s.name as string);
const action = (json: Json, stage: string, name: string): Json => {
  const found = (only(json, 'aws_codepipeline').stage as Json[]).find((s) => s.name === stage);
  return (found?.action as Json[]).find((a) => a.name === name) as Json;
};
const actionEnv = (a: Json): Record<string, string> =>
  Object.fromEntries(
    (JSON.parse((a.configuration.EnvironmentVariables as string | undefined) ?? '[]') as Json[]).map((v) => [
      v.name as string,
      renderedLiteral(v.value as string),
    ]),
  );
const project = (json: Json, stage: string): Json => byId(json, 'aws_codebuild_project', `pipeline_${stage}_project`);
const projectEnv = (p: Json): Record<string, string> =>
  Object.fromEntries(((p.environment as Json).environment_variable as Json[]).map((v) => [v.name as string, renderedLiteral(v.value as string)]));
const commandsOf = (p: Json): string[] => {
  const spec = parse(renderedLiteral(p.source.buildspec as string)) as Json;
  return ['install', 'pre_build', 'build', 'post_build'].flatMap((phase) => (spec.phases[phase]?.commands ?? []) as string[]);
};

describe('ReleasePipeline stages', () => {
  test('GIVEN prod asks for health check and approval WHEN synthesized THEN the stages run in the documented order', () => {
    expect(stageNames(prod)).toEqual([...STAGES]);
  });

  test('GIVEN dev has no approval and no health check THEN those stages are absent and the order is kept', () => {
    expect(stageNames(dev)).toEqual(['Source', 'Release', 'Validate', 'SecurityScan', 'Plan', 'Apply']);
  });

  test('is a V2 pipeline in QUEUED mode with a KMS-encrypted artifact store', () => {
    const pipeline = only(dev, 'aws_codepipeline');
    expect(pipeline.pipeline_type).toBe('V2');
    expect(pipeline.execution_mode).toBe('QUEUED');
    expect(pipeline.artifact_store[0].encryption_key).toEqual({ id: expect.stringMatching(/^\$\{aws_kms_key\.pipeline-key/), type: 'KMS' });
  });

  test('the trusted Release check runs first on the source and hands a Checked artifact to Validate', () => {
    const check = action(dev, 'Release', 'CheckRelease');
    expect(check).toMatchObject({ input_artifacts: ['Source'], output_artifacts: ['Checked'], namespace: 'Release' });
    expect(actionEnv(check)).toEqual({ RELEASE_TAG: '#{variables.RELEASE_TAG}', RELEASE_COMMIT: '#{variables.RELEASE_COMMIT}' });
    expect(action(dev, 'Validate', 'Validate').input_artifacts).toEqual(['Checked']);
  });
});

describe('ReleasePipeline trust: privileged stages take only what trusted stages produced', () => {
  test('Apply takes the plan sha256 from the trusted review, never from the Plan build (which runs the tagged code)', () => {
    const apply = action(dev, 'Apply', 'Apply');
    expect(apply.input_artifacts).toEqual(['Plan']);
    const env = actionEnv(apply);
    expect(env.EXPECTED_PLAN_SHA256).toBe('#{PlanReview.PLAN_SHA256}');
    expect(env.RELEASE_STACK).toBe('#{Release.STACK}');
    // Finding 1: no variable of the untrusted Plan build reaches Apply.
    expect(Object.values(env).filter((v) => v.includes('#{Plan.'))).toEqual([]);
    expect(action(dev, 'Plan', 'Plan').namespace).toBeUndefined();
  });

  test('the plan review runs after the plan, in the Plan stage, and exports the sha256 and summary', () => {
    const review = action(dev, 'Plan', 'ReviewPlan');
    expect(review).toMatchObject({ run_order: 2, input_artifacts: ['Plan'], namespace: 'PlanReview' });
    expect(action(dev, 'Plan', 'CheckovPlan')).toMatchObject({ run_order: 2, input_artifacts: ['Plan'] });
  });

  test('the approval text and link come from the release check and the plan review only', () => {
    const approve = action(prod, 'Approval', 'Approve');
    expect(approve.configuration.CustomData).toContain('#{PlanReview.PLAN_HEADLINE}');
    expect(approve.configuration.CustomData).toContain('#{PlanReview.PLAN_SHA256}');
    expect(approve.configuration.ExternalEntityLink).toBe('#{PlanReview.PLAN_LINK}');
    const referenced = `${approve.configuration.CustomData as string} ${approve.configuration.ExternalEntityLink as string}`.match(/#\{([A-Za-z]+)\./g) ?? [];
    expect([...new Set(referenced)].sort()).toEqual(['#{PlanReview.', '#{Release.']);
    expect(approve.configuration.NotificationArn).toMatch(/^\$\{aws_sns_topic\.topic\.arn\}$/);
  });

  test.each(['release', 'review', 'apply'])('the trusted %s project embeds the stack table and the terraform pin, not the artifact', (stage) => {
    const env = projectEnv(project(dev, stage));
    const targets = JSON.parse(env.RELEASE_TARGETS) as Record<string, Json>;
    expect(Object.keys(targets)).toContain('research-dev-us-east-1');
    expect(Object.keys(targets).every((s) => s.includes('-dev-'))).toBe(true);
    expect(targets['research-dev-us-east-1']).toMatchObject({
      account: '555555555555',
      deployRole: 'arn:aws:iam::555555555555:role/InfraBuildRole',
      planRole: 'arn:aws:iam::555555555555:role/InfraBuildRole-ReadOnly',
    });
    expect(targets['research-dev-us-east-1'].backendConfig).toContain('kms_key_id = "arn:aws:kms:us-east-1:111122223333:alias/awsome-infra-dev-state"');
    const pins = JSON.parse(fs.readFileSync(path.join(REPO, 'tools', 'versions.json'), 'utf8')) as Json;
    expect(env).toMatchObject({
      TERRAFORM_URL: pins.tools.terraform.url,
      TERRAFORM_SHA256: pins.tools.terraform.sha256,
      LEDGER_TABLE: 'awsome-infra-dev-releases',
    });
  });

  test.each(['validate', 'scan', 'plan', 'scan-plan'])('the %s project, which runs the tagged code, gets no trusted variables', (stage) => {
    const env = projectEnv(project(dev, stage));
    expect(Object.keys(env).sort()).toEqual(['PIPELINE_ENVIRONMENT', 'PIPELINE_SOURCE']);
  });

  test.each(TRUSTED_BUILDSPECS.filter((b) => b !== 'trigger'))(
    'the trusted %s buildspec runs no code of the artifact: no npm, no npx, no sourced file, no tools/versions.json',
    (name) => {
      const stage = name === 'plan-review' ? 'review' : name;
      const commands = commandsOf(project(dev, stage));
      for (const command of commands) {
        expect(command).not.toMatch(/\bnpm\b|\bnpx\b|\bnode\b|tools\/versions\.json/);
        // A sourced file runs as shell code: `. file` or `source file` at the start of a command.
        expect(command).not.toMatch(/(^|[;&|]|\bthen|\bdo)[ \t]*(\.|source)[ \t]+[^\s=]/m);
      }
    },
  );

  test('every build project embeds its buildspec from buildspecs/ and uses the pinned image without privileged mode', () => {
    for (const p of resources(dev, 'aws_codebuild_project')) {
      expect(p.environment.image).toBe('aws/codebuild/amazonlinux-x86_64-standard:5.0');
      expect(p.environment.privileged_mode).toBe(false);
      expect(p.encryption_key).toMatch(/aws_kms_key/);
      expect(p.logs_config.s3_logs.status).toBe('DISABLED');
    }
    // As terraform renders it: bash's ${...} is escaped so terraform takes the text literally.
    expect(renderedLiteral(project(dev, 'validate').source.buildspec as string)).toBe(fs.readFileSync(path.join(REPO, 'buildspecs', 'validate.yml'), 'utf8'));
    const apply = fs.readFileSync(path.join(REPO, 'buildspecs', 'apply.yml'), 'utf8');
    expect(apply).toContain('${');
    expect(project(dev, 'apply').source.buildspec).toBe(apply.split('${').join('$${'));
    expect(project(dev, 'apply').source.buildspec).not.toMatch(/(^|[^$])\$\{/);
    for (const group of resources(dev, 'aws_cloudwatch_log_group')) {
      expect(group.retention_in_days).toBe(90);
      expect(group.kms_key_id).toMatch(/aws_kms_key/);
    }
  });

  test('each stage runs with its own role', () => {
    const roleOf = (stage: string): string => project(dev, stage).service_role as string;
    const stages = ['release', 'validate', 'scan', 'plan', 'review', 'apply'];
    expect(stages.map(roleOf)).toEqual(stages.map((s) => `\${aws_iam_role.roles_${s}_role_${/_([0-9A-F]{8})\}?/.exec(roleOf(s))?.[1] ?? ''}.arn}`));
    expect(new Set(stages.map(roleOf)).size).toBe(stages.length);
    expect(roleOf('scan-plan')).toBe(roleOf('scan'));
  });

  test('failed executions notify the topic; succeeded ones only when asked', () => {
    const rule = only(dev, 'aws_codestarnotifications_notification_rule');
    expect(rule.event_type_ids).toEqual(['codepipeline-pipeline-pipeline-execution-failed']);
    const loud = synthTooling(
      orgWith((f) => (f['dev.yaml'] = f['dev.yaml'].replace('pipeline:\n', 'pipeline:\n  notifications:\n    onSuccess: true\n'))),
      'tooling-dev',
    );
    expect(only(loud, 'aws_codestarnotifications_notification_rule').event_type_ids).toContain('codepipeline-pipeline-pipeline-execution-succeeded');
  });
});

describe('ReleasePipeline with a connection source', () => {
  const connectionOrg = orgWith((f) => {
    f['project.yaml'] = f['project.yaml']
      .replace('kind: codecommit ', 'kind: connection ')
      .replace(
        'repository: awsome-infra ',
        'repository: my-org/awsome-infra\n    connectionArn: arn:aws:codeconnections:us-east-1:111122223333:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n    #',
      );
  });
  const json = synthTooling(connectionOrg, 'tooling-dev');

  test('the source is a git clone so the trusted release check can verify tag and branch with git', () => {
    expect(action(json, 'Source', 'Source').configuration).toMatchObject({
      FullRepositoryId: 'my-org/awsome-infra',
      BranchName: 'main',
      DetectChanges: 'false',
      OutputArtifactFormat: 'CODEBUILD_CLONE_REF',
    });
    expect(actionEnv(action(json, 'Release', 'CheckRelease'))).toEqual({
      RELEASE_TAG: '#{SourceVariables.TagName}',
      RELEASE_COMMIT: '#{SourceVariables.CommitId}',
    });
    expect(projectEnv(project(json, 'release'))).toMatchObject({ PIPELINE_SOURCE: 'connection', RELEASE_BRANCH: 'main' });
  });

  test('the V2 git-tag trigger takes the environment globs; no EventBridge tag rule exists', () => {
    const trigger = (only(json, 'aws_codepipeline').trigger as Json[])[0];
    expect(trigger.provider_type).toBe('CodeStarSourceConnection');
    expect(trigger.git_configuration.push[0].tags.includes).toEqual(['dev_*/*/*']);
    expect(resources(json, 'aws_cloudwatch_event_rule').map((r) => r.name)).toEqual(['awsome-infra-dev-drift']);
  });
});
