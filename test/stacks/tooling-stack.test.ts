import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { STAGES } from '../../stacks/tooling-stack';
import {
  REPO,
  allowedResources,
  byId,
  codeCommitTagEvent,
  codePipelineGlobMatches,
  eventPatternMatches,
  exampleOrg,
  only,
  orgWith,
  resources,
  rolePolicy,
  synthTooling,
  toolingSpec,
  type Json,
} from '../pipeline/helpers';

const org = exampleOrg();
const dev = synthTooling(org, 'tooling-dev');
const prod = synthTooling(org, 'tooling-prod');
const REPO_ARN = 'arn:aws:codecommit:us-east-1:111122223333:awsome-infra';
const PROD_ACCOUNTS = ['555555555558', '444455556669'];
const DEV_ACCOUNTS = ['555555555555', '444455556666'];

const stageNames = (json: Json): string[] => (only(json, 'aws_codepipeline').stage as Json[]).map((s) => s.name as string);
const action = (json: Json, stage: string, name: string): Json => {
  const found = (only(json, 'aws_codepipeline').stage as Json[]).find((s) => s.name === stage);
  return (found?.action as Json[]).find((a) => a.name === name) as Json;
};

describe('ToolingStack pipeline', () => {
  test('GIVEN prod asks for health check and approval WHEN synthesized THEN the stages run in the documented order', () => {
    expect(stageNames(prod)).toEqual([...STAGES]);
  });

  test('GIVEN dev has no approval and no health check THEN those stages are absent and the order is kept', () => {
    expect(stageNames(dev)).toEqual(['Source', 'Validate', 'SecurityScan', 'Plan', 'Apply']);
  });

  test('is a V2 pipeline in QUEUED mode with a KMS-encrypted artifact store', () => {
    const pipeline = only(dev, 'aws_codepipeline');
    expect(pipeline.pipeline_type).toBe('V2');
    expect(pipeline.execution_mode).toBe('QUEUED');
    expect(pipeline.artifact_store[0].encryption_key).toEqual({ id: expect.stringMatching(/^\$\{aws_kms_key\.pipeline-key/), type: 'KMS' });
  });

  test('the apply stage consumes the Plan artifact and checks the exported plan sha256; nothing re-plans', () => {
    expect(action(dev, 'Plan', 'Plan').output_artifacts).toEqual(['Plan']);
    expect(action(dev, 'Plan', 'Plan').namespace).toBe('Plan');
    const apply = action(dev, 'Apply', 'Apply');
    expect(apply.input_artifacts).toEqual(['Plan']);
    const env = JSON.parse(apply.configuration.EnvironmentVariables as string) as Json[];
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'EXPECTED_PLAN_SHA256', value: '#{Plan.PLAN_SHA256}', type: 'PLAINTEXT' },
        { name: 'EXPECTED_TAG', value: '#{Release.TAG}', type: 'PLAINTEXT' },
      ]),
    );
    const applyProject = byId(dev, 'aws_codebuild_project', 'apply-build');
    const commands = (parse(applyProject.source.buildspec as string) as Json).phases.build.commands as string[];
    expect(commands.some((c) => /^terraform .* apply .* tfplan$/.test(c))).toBe(true);
    expect(commands.filter((c) => /^terraform .* plan( |$)/.test(c))).toEqual([]);
  });

  test('the checkov scan of the plan JSON runs after the plan, inside the Plan stage', () => {
    const scan = action(dev, 'Plan', 'CheckovPlan');
    expect(scan.run_order).toBe(2);
    expect(scan.input_artifacts).toEqual(['Plan']);
  });

  test('the approval shows the plan headline and links the plan build, and notifies the environment topic', () => {
    const approve = action(prod, 'Approval', 'Approve');
    expect(approve.configuration.CustomData).toContain('#{Plan.PLAN_HEADLINE}');
    expect(approve.configuration.ExternalEntityLink).toBe('#{Plan.PLAN_LINK}');
    expect(approve.configuration.NotificationArn).toMatch(/^\$\{aws_sns_topic\.topic\.arn\}$/);
  });

  test('failed executions notify the topic; succeeded ones only when asked', () => {
    const rule = only(dev, 'aws_codestarnotifications_notification_rule');
    expect(rule.event_type_ids).toEqual(['codepipeline-pipeline-pipeline-execution-failed']);
    const loud = synthTooling(orgWith((f) => (f['dev.yaml'] = f['dev.yaml'].replace('pipeline:\n', 'pipeline:\n  notifications:\n    onSuccess: true\n'))), 'tooling-dev');
    expect(only(loud, 'aws_codestarnotifications_notification_rule').event_type_ids).toContain('codepipeline-pipeline-pipeline-execution-succeeded');
  });

  test('every build project embeds its buildspec from buildspecs/ and uses the pinned image without privileged mode', () => {
    for (const project of resources(dev, 'aws_codebuild_project')) {
      expect(project.environment.image).toBe('aws/codebuild/amazonlinux-x86_64-standard:5.0');
      expect(project.environment.privileged_mode).toBe(false);
      expect(project.encryption_key).toMatch(/aws_kms_key/);
      expect(project.logs_config.s3_logs.status).toBe('DISABLED');
    }
    const validate = byId(dev, 'aws_codebuild_project', 'validate-build');
    expect(validate.source.buildspec).toBe(fs.readFileSync(path.join(REPO, 'buildspecs', 'validate.yml'), 'utf8'));
    for (const group of resources(dev, 'aws_cloudwatch_log_group')) {
      expect(group.retention_in_days).toBe(90);
      expect(group.kms_key_id).toMatch(/aws_kms_key/);
    }
  });
});

describe('ToolingStack source trigger (codecommit)', () => {
  const rule = byId(dev, 'aws_cloudwatch_event_rule', 'tag-rule');
  const pattern = JSON.parse(rule.event_pattern as string) as Record<string, unknown>;

  test.each([
    ['dev_us-east-1/research/1.0', true],
    ['dev_global/research/2.1.3', true],
    ['development_x/research/1.0', false],
    ['dev-x_us-east-1/research/1.0', false],
    ['prod_us-east-1/research/1.0', false],
    ['xdev_us-east-1/research/1.0', false],
  ])('the dev rule matches tag %s: %s', (tag, expected) => {
    expect(eventPatternMatches(pattern, codeCommitTagEvent(REPO_ARN, tag))).toBe(expected);
  });

  test('matches created and updated tags, but not branches and not other repositories', () => {
    expect(eventPatternMatches(pattern, codeCommitTagEvent(REPO_ARN, 'dev_us-east-1/research/1.0', 'referenceUpdated'))).toBe(true);
    expect(eventPatternMatches(pattern, codeCommitTagEvent(REPO_ARN, 'dev_us-east-1/research/1.0', 'referenceDeleted'))).toBe(false);
    const branch = codeCommitTagEvent(REPO_ARN, 'dev_us-east-1/research/1.0');
    (branch.detail as Json).referenceType = 'branch';
    expect(eventPatternMatches(pattern, branch)).toBe(false);
    expect(eventPatternMatches(pattern, codeCommitTagEvent('arn:aws:codecommit:us-east-1:111122223333:other', 'dev_us-east-1/research/1.0'))).toBe(false);
  });

  test('the trigger build checks out the pushed tag itself: its source version is the tag', () => {
    const target = byId(dev, 'aws_cloudwatch_event_target', 'tag-target');
    expect(target.arn).toMatch(/aws_codebuild_project\.trigger-build/);
    const event = codeCommitTagEvent(REPO_ARN, 'dev_eu-central-1/risk/1.4');
    // Apply the input transformer as EventBridge does: each placeholder becomes its JSON path's value.
    const paths = target.input_transformer.input_paths as Record<string, string>;
    let body = target.input_transformer.input_template as string;
    for (const [name, jsonPath] of Object.entries(paths)) {
      const value = jsonPath.slice(2).split('.').reduce<unknown>((o, k) => (o as Json)[k], event);
      body = body.split(`<${name}>`).join(String(value));
    }
    const startBuild = JSON.parse(body) as Json;
    expect(startBuild.sourceVersion).toBe('dev_eu-central-1/risk/1.4');
    expect(startBuild.environmentVariablesOverride).toEqual(
      expect.arrayContaining([
        { name: 'RELEASE_TAG', value: 'dev_eu-central-1/risk/1.4', type: 'PLAINTEXT' },
        { name: 'RELEASE_COMMIT', value: 'a'.repeat(40), type: 'PLAINTEXT' },
      ]),
    );
    const trigger = byId(dev, 'aws_codebuild_project', 'trigger-build');
    expect(trigger.source).toMatchObject({ type: 'CODECOMMIT', location: 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/awsome-infra' });
  });

  test('the pipeline only starts from the trigger build: the S3 source does not poll and takes the release from pipeline variables', () => {
    expect(action(dev, 'Source', 'Source').configuration.PollForSourceChanges).toBe('false');
    const env = JSON.parse(action(dev, 'Validate', 'Validate').configuration.EnvironmentVariables as string) as Json[];
    expect(env).toContainEqual({ name: 'RELEASE_TAG', value: '#{variables.RELEASE_TAG}', type: 'PLAINTEXT' });
  });
});

describe('ToolingStack source trigger (connection)', () => {
  const connectionOrg = orgWith((f) => {
    f['project.yaml'] = f['project.yaml']
      .replace('kind: codecommit ', 'kind: connection ')
      .replace('repository: awsome-infra ', 'repository: my-org/awsome-infra\n    connectionArn: arn:aws:codeconnections:us-east-1:111122223333:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n    #');
  });
  const json = synthTooling(connectionOrg, 'tooling-dev');
  const trigger = (only(json, 'aws_codepipeline').trigger as Json[])[0];

  test('uses a CodePipeline V2 git-tag trigger and no EventBridge tag rule', () => {
    expect(trigger.provider_type).toBe('CodeStarSourceConnection');
    expect(trigger.git_configuration.push[0].tags.includes).toEqual(['dev_*/*/*']);
    expect(resources(json, 'aws_cloudwatch_event_rule').map((r) => r.name)).toEqual(['awsome-infra-dev-drift']);
  });

  test.each([
    ['dev_us-east-1/research/1.0', true],
    ['dev_global/research/1.0-rc.1', true],
    ['development_x/research/1.0', false],
    ['dev-x_us-east-1/research/1.0', false],
    ['dev_us-east-1/research', false],
  ])('the trigger glob matches %s: %s', (tag, expected) => {
    const globs = trigger.git_configuration.push[0].tags.includes as string[];
    expect(globs.some((g) => codePipelineGlobMatches(g, tag))).toBe(expected);
  });

  test('Validate receives the triggering tag and commit from the source action', () => {
    const env = JSON.parse(action(json, 'Validate', 'Validate').configuration.EnvironmentVariables as string) as Json[];
    expect(env).toEqual(expect.arrayContaining([{ name: 'RELEASE_TAG', value: '#{SourceVariables.TagName}', type: 'PLAINTEXT' }, { name: 'RELEASE_COMMIT', value: '#{SourceVariables.CommitId}', type: 'PLAINTEXT' }]));
    expect(action(json, 'Source', 'Source').configuration).toMatchObject({ FullRepositoryId: 'my-org/awsome-infra', BranchName: 'main', DetectChanges: 'false' });
  });
});

describe('ToolingStack least privilege', () => {
  test('the dev apply role can assume only the deploy role of dev accounts, never a prod account', () => {
    const targets = allowedResources(rolePolicy(dev, 'apply-policy'), 'sts:AssumeRole');
    expect(targets.sort()).toEqual(DEV_ACCOUNTS.map((a) => `arn:aws:iam::${a}:role/InfraBuildRole`).sort());
    for (const account of PROD_ACCOUNTS) expect(JSON.stringify(rolePolicy(dev, 'apply-policy'))).not.toContain(account);
  });

  test('the dev plan role can assume only the read-only role of dev accounts', () => {
    const targets = allowedResources(rolePolicy(dev, 'plan-policy'), 'sts:AssumeRole');
    expect(targets.sort()).toEqual(DEV_ACCOUNTS.map((a) => `arn:aws:iam::${a}:role/InfraBuildRole-ReadOnly`).sort());
  });

  test('dev build roles cannot read the prod state bucket; they reach only dev state keys and their lock objects', () => {
    for (const id of ['plan-policy', 'apply-policy']) {
      const policy = rolePolicy(dev, id);
      expect(JSON.stringify(policy)).not.toContain('org-awesome-tf-state-prod');
      const readable = allowedResources(policy, 's3:GetObject').filter((r) => r.startsWith('arn:aws:s3:::org-awesome-tf-state'));
      expect(readable.length).toBeGreaterThan(0);
      for (const arn of readable) expect(arn).toMatch(/^arn:aws:s3:::org-awesome-tf-state-dev\/(research|risk)\/dev-[a-z0-9-]+\/terraform\.tfstate(\.tflock)?$/);
    }
    expect(allowedResources(rolePolicy(dev, 'plan-policy'), 's3:PutObject').filter((r) => r.includes('tf-state')).every((r) => r.endsWith('.tflock'))).toBe(true);
    expect(allowedResources(rolePolicy(dev, 'apply-policy'), 's3:PutObject')).toContain('arn:aws:s3:::org-awesome-tf-state-dev/research/dev-us-east-1/terraform.tfstate');
  });

  test('GIVEN dynamodb locking THEN the lock table exists and roles may only touch their own lock items', () => {
    const locked = orgWith((f) => (f['project.yaml'] = f['project.yaml'].replace('locking: lockfile', 'locking: dynamodb')));
    const json = synthTooling(locked, 'tooling-dev');
    const table = only(json, 'aws_dynamodb_table');
    expect(table).toMatchObject({ name: 'org-awesome-tf-state-lock-dev', hash_key: 'LockID', billing_mode: 'PAY_PER_REQUEST', deletion_protection_enabled: true });
    expect(table.server_side_encryption).toMatchObject({ enabled: true });
    expect(table.point_in_time_recovery).toEqual({ enabled: true });
    expect(table.lifecycle).toEqual({ prevent_destroy: true });
    const locks = rolePolicy(json, 'plan-policy').Statement.find((s) => s.Sid === 'DynamoDbLocks') as Json;
    expect(locks.Resource).toEqual(['arn:aws:dynamodb:us-east-1:111122223333:table/org-awesome-tf-state-lock-dev']);
    expect(locks.Condition['ForAllValues:StringEquals']['dynamodb:LeadingKeys']).toContain('org-awesome-tf-state-dev/research/dev-global/terraform.tfstate-md5');
    expect(resources(dev, 'aws_dynamodb_table')).toEqual([]);
  });

  test('service trust policies are bound to the tooling account and the calling resource', () => {
    const trust = (id: string): Json => JSON.parse(byId(dev, 'aws_iam_role', id).assume_role_policy as string).Statement[0] as Json;
    expect(trust('pipeline-role')).toMatchObject({
      Principal: { Service: 'codepipeline.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' }, ArnLike: { 'aws:SourceArn': 'arn:aws:codepipeline:us-east-1:111122223333:awsome-infra-dev-release' } },
    });
    expect(trust('apply-role').Condition.ArnLike['aws:SourceArn']).toBe('arn:aws:codebuild:us-east-1:111122223333:project/awsome-infra-dev-apply');
    expect(trust('plan-role').Condition.ArnLike['aws:SourceArn']).toBe('arn:aws:codebuild:us-east-1:111122223333:project/awsome-infra-dev-*');
  });

  test('KMS key policies name principals and never grant the account root', () => {
    for (const key of resources(dev, 'aws_kms_key')) {
      expect(key.enable_key_rotation).toBe(true);
      const policy = JSON.parse(key.policy as string) as { Statement: Json[] };
      expect(JSON.stringify(policy)).not.toMatch(/:root"/);
      expect(policy.Statement.every((s) => s.Principal !== '*' && s.Principal.AWS !== '*')).toBe(true);
    }
  });
});

describe('ToolingStack storage', () => {
  test('every bucket is versioned, SSE-KMS encrypted, fully blocked from public access and TLS-only', () => {
    const buckets = resources(dev, 'aws_s3_bucket');
    expect(buckets.map((b) => b.bucket).sort()).toEqual(['awsome-infra-dev-artifacts-111122223333', 'awsome-infra-dev-source-111122223333', 'org-awesome-tf-state-dev']);
    expect(resources(dev, 'aws_s3_bucket_versioning').map((v) => v.versioning_configuration.status)).toEqual(['Enabled', 'Enabled', 'Enabled']);
    for (const sse of resources(dev, 'aws_s3_bucket_server_side_encryption_configuration')) {
      expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
      expect(sse.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/aws_kms_key/);
    }
    for (const block of resources(dev, 'aws_s3_bucket_public_access_block')) {
      expect(block).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    }
    for (const policy of resources(dev, 'aws_s3_bucket_policy')) {
      const deny = (JSON.parse(policy.policy as string) as { Statement: Json[] }).Statement.find((s) => s.Sid === 'DenyInsecureTransport') as Json;
      expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    }
    for (const lifecycle of resources(dev, 'aws_s3_bucket_lifecycle_configuration')) {
      expect(lifecycle.rule[0].noncurrent_version_expiration[0].noncurrent_days).toBeGreaterThan(0);
    }
  });

  test('the state bucket and its key refuse terraform destroy', () => {
    expect(byId(dev, 'aws_s3_bucket', 'state').lifecycle).toEqual({ prevent_destroy: true });
    expect(byId(dev, 'aws_kms_key', 'state-key').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('the tooling stack keeps its own state in the bucket it creates, or locally for the bootstrap', () => {
    expect(dev.terraform.backend.s3).toEqual({ bucket: 'org-awesome-tf-state-dev', key: 'tooling/dev/terraform.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true });
    const bootstrap = synthTooling(org, 'tooling-dev', '/project/bootstrap-state/tooling-dev.tfstate');
    expect(bootstrap.terraform.backend).toEqual({ local: { path: '/project/bootstrap-state/tooling-dev.tfstate' } });
  });

  test('the notification topic is encrypted with the pipeline key', () => {
    expect(only(dev, 'aws_sns_topic').kms_master_key_id).toMatch(/aws_kms_key\.pipeline-key/);
    expect(resources(prod, 'aws_sns_topic_subscription')).toEqual([expect.objectContaining({ protocol: 'email', endpoint: 'platform-oncall@example.com' })]);
  });
});

describe('ToolingStack regional layout', () => {
  const regional = orgWith((f) => (f['project.yaml'] = f['project.yaml'].replace('layout: central', 'layout: regional')));

  test('one tooling stack per environment and region, each with its regional state bucket', () => {
    const spec = toolingSpec(regional, 'tooling-dev-eu-central-1');
    expect(spec.state.bucket).toBe('org-awesome-tf-state-euc1-dev');
    expect(spec.region).toBe('eu-central-1');
    expect(spec.tagPrefixes).toEqual(['dev_eu-central-1/']);
    expect(toolingSpec(regional, 'tooling-dev-us-east-1').tagPrefixes).toEqual(['dev_global/', 'dev_us-east-1/']);
  });

  test('the eu-central-1 pipeline ignores global and other regions, and its trigger runs in the repository region', () => {
    const json = synthTooling(regional, 'tooling-dev-eu-central-1');
    const rule = byId(json, 'aws_cloudwatch_event_rule', 'tag-rule');
    expect(rule.region).toBe('us-east-1');
    const pattern = JSON.parse(rule.event_pattern as string) as Record<string, unknown>;
    expect(eventPatternMatches(pattern, codeCommitTagEvent(REPO_ARN, 'dev_eu-central-1/research/1.0'))).toBe(true);
    expect(eventPatternMatches(pattern, codeCommitTagEvent(REPO_ARN, 'dev_global/research/1.0'))).toBe(false);
    expect(eventPatternMatches(pattern, codeCommitTagEvent(REPO_ARN, 'dev_us-east-1/research/1.0'))).toBe(false);
    expect(byId(json, 'aws_s3_bucket', 'state').region).toBe('eu-central-1');
    expect(JSON.stringify(rolePolicy(json, 'apply-policy'))).not.toContain('org-awesome-tf-state-use1-dev');
  });

  test('the trigger build runs in the repository region but uploads and starts the pipeline in its own region', () => {
    const json = synthTooling(regional, 'tooling-dev-eu-central-1');
    const trigger = byId(json, 'aws_codebuild_project', 'trigger-build');
    expect(trigger.region).toBe('us-east-1');
    const variables = (trigger.environment as Json).environment_variable as Json[];
    expect(variables).toContainEqual(expect.objectContaining({ name: 'PIPELINE_REGION', value: 'eu-central-1' }));
    // Full history, so the trigger can check that the tagged commit is on the release branch.
    expect(variables).toContainEqual(expect.objectContaining({ name: 'RELEASE_BRANCH', value: 'main' }));
    expect((trigger.source as Json).git_clone_depth).toBe(0);
  });
});
