import { TerraformOutput } from 'cdktf';
import { GuardedStack, isProduction } from './guarded-stack';
import { configureStateBackend } from './state-backend';
import type { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { Codepipeline, type CodepipelineStage, type CodepipelineStageAction } from '@cdktf/provider-aws/lib/codepipeline';
import { CodestarnotificationsNotificationRule } from '@cdktf/provider-aws/lib/codestarnotifications-notification-rule';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { Organisation } from '../lib/config';
import {
  applyRolePolicy,
  eventsRolePolicy,
  pipelineRolePolicy,
  planRolePolicy,
  serviceTrustPolicy,
  triggerRolePolicy,
  type PolicyDocument,
  type ToolingArns,
} from '../lib/pipeline-policies';
import type { ToolingSpec } from '../lib/pipeline-spec';
import { BuildProject, type BuildSource } from '../modules/pipeline/build-project';
import type { BuildspecName } from '../modules/pipeline/buildspecs';
import { EncryptionKey, type KeyServiceGrant } from '../modules/pipeline/encryption-key';
import { SecureBucket } from '../modules/pipeline/secure-bucket';
import { StateBackendResources } from '../modules/state/state-backend';

export interface ToolingStackProps {
  /** The validated organisation. */
  readonly org: Organisation;
  /** The environment (and region, in the regional layout) this stack serves. */
  readonly spec: ToolingSpec;
  /** Keep this stack's own state in this local file (an absolute path): the first deploy, before its bucket exists. @default - S3 state */
  readonly localStatePath?: string;
}

/** Stage names, in order. HealthCheck and Approval are present when the environment asks for them. */
export const STAGES = ['Source', 'Validate', 'SecurityScan', 'Plan', 'HealthCheck', 'Approval', 'Apply'] as const;

/** The AWS Health API endpoint region of each partition (Health is served from one region). */
const HEALTH_API_REGION: Record<string, string> = { aws: 'us-east-1', 'aws-cn': 'cn-northwest-1', 'aws-us-gov': 'us-gov-west-1' };

const codeBuildAction = (name: string, project: BuildProject, input: string, options: { output?: string; namespace?: string; env?: Record<string, string>; runOrder?: number } = {}): CodepipelineStageAction => ({
  name,
  category: 'Build',
  owner: 'AWS',
  provider: 'CodeBuild',
  version: '1',
  runOrder: options.runOrder ?? 1,
  inputArtifacts: [input],
  ...(options.output !== undefined ? { outputArtifacts: [options.output] } : {}),
  ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
  configuration: {
    ProjectName: project.name,
    ...(options.env !== undefined
      ? { EnvironmentVariables: JSON.stringify(Object.entries(options.env).map(([n, value]) => ({ name: n, value, type: 'PLAINTEXT' }))) }
      : {}),
  },
});

/**
 * The tooling stack of one environment (`tooling-<env>`, or `tooling-<env>-<region>` in the
 * regional layout), deployed into the tooling account: the environment's state bucket and lock
 * table, a tag-triggered CodePipeline V2 with its CodeBuild projects and least-privilege roles,
 * notifications, and optional drift detection.
 */
export class ToolingStack extends GuardedStack {
  readonly spec: ToolingSpec;
  readonly pipelineArn: string;

  constructor(scope: Construct, props: ToolingStackProps) {
    const { spec, org } = props;
    super(scope, spec.stack, { stack: spec.stack, kind: 'tooling', account: spec.account, region: spec.region, environment: spec.environment, production: isProduction(org, spec.environment) });
    this.spec = spec;
    const { names, pipeline: project, settings } = spec;
    const partition = spec.partition;
    const account = spec.account;
    const codecommit = project.source.kind === 'codecommit';

    configureStateBackend(this, spec.backend, props.localStatePath);
    new AwsProvider(this, 'aws', {
      region: spec.region,
      allowedAccountIds: [account],
      defaultTags: [{ tags: { ...org.project.tags, Project: org.project.project, Environment: spec.environment, Stack: spec.stack, ManagedBy: 'multiregion' } }],
    });

    // Whoever deploys this stack administers its keys (plus the configured break-glass roles).
    const caller = new DataAwsCallerIdentity(this, 'caller');
    const session = new DataAwsIamSessionContext(this, 'deployer', { arn: caller.arn });
    const administrators = [...project.administrators, session.issuerArn];

    const arnOf = (service: string, region: string, resource: string): string => `arn:${partition}:${service}:${region}:${account}:${resource}`;
    const pipelineArn = arnOf('codepipeline', spec.region, names.pipeline);
    const projectArn = (stage: string, region = spec.region): string => arnOf('codebuild', region, `project/${names.project(stage)}`);
    const role = (id: string, name: string, trust: PolicyDocument, description: string): IamRole =>
      new IamRole(this, id, { name, description, assumeRolePolicy: JSON.stringify(trust), maxSessionDuration: 3600 });

    const pipelineRole = role('pipeline-role', names.pipelineRole, serviceTrustPolicy('codepipeline.amazonaws.com', account, pipelineArn), `CodePipeline of ${spec.stack}`);
    const planRole = role('plan-role', names.planRole, serviceTrustPolicy('codebuild.amazonaws.com', account, projectArn('*')), `Validate, scan, plan, health and drift builds of ${spec.stack}: read-only in ${spec.environment}`);
    const applyRole = role('apply-role', names.applyRole, serviceTrustPolicy('codebuild.amazonaws.com', account, projectArn('apply')), `Apply build of ${spec.stack}: deploys ${spec.environment} only`);
    const triggerRole = codecommit
      ? role('trigger-role', names.triggerRole, serviceTrustPolicy('codebuild.amazonaws.com', account, projectArn('trigger', spec.repositoryRegion)), `Tag checkout build of ${spec.stack}`)
      : undefined;
    const needsEvents = codecommit || settings.driftSchedule !== undefined;
    const eventsRole = needsEvents
      ? role('events-role', names.eventsRole, serviceTrustPolicy('events.amazonaws.com', account, arnOf('events', '*', `rule/${spec.name}-*`)), `EventBridge rules of ${spec.stack}`)
      : undefined;

    const logsGrant = (region: string): KeyServiceGrant => ({
      service: `logs.${region}.amazonaws.com`,
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': arnOf('logs', region, `log-group:/aws/codebuild/${spec.name}-*`) } },
    });
    const buildRoles = [pipelineRole.arn, planRole.arn, applyRole.arn, ...(triggerRole !== undefined ? [triggerRole.arn] : [])];
    const pipelineKey = new EncryptionKey(this, 'pipeline-key', {
      description: `Artifacts, logs and notifications of ${spec.stack}`,
      alias: names.keyAlias('pipeline'),
      administrators,
      users: buildRoles,
      services: [
        logsGrant(spec.region),
        {
          service: 'codestar-notifications.amazonaws.com',
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          conditions: { StringEquals: { 'kms:ViaService': `sns.${spec.region}.amazonaws.com` } },
        },
      ],
    });
    const stateKey = new EncryptionKey(this, 'state-key', {
      description: `Terraform state of ${spec.environment} (${spec.state.bucket})`,
      alias: names.keyAlias('state'),
      administrators,
      // Administrators use the state by hand (bootstrap, `cdktf deploy` from a workstation).
      users: [planRole.arn, applyRole.arn, ...administrators],
      region: spec.state.region,
      preventDestroy: true,
    });
    // A trigger in another region (regional layout) needs a key of its own region for its logs.
    const triggerKey =
      codecommit && spec.repositoryRegion !== spec.region
        ? new EncryptionKey(this, 'trigger-key', {
            description: `Logs of the tag checkout build of ${spec.stack}`,
            alias: names.keyAlias('trigger'),
            administrators,
            users: [triggerRole!.arn],
            services: [logsGrant(spec.repositoryRegion)],
            region: spec.repositoryRegion,
          })
        : pipelineKey;

    const state = new StateBackendResources(this, 'state', { store: spec.state, kmsKeyArn: stateKey.arn, partition });
    const artifacts = new SecureBucket(this, 'artifacts', { bucketName: names.artifactsBucket, kmsKeyArn: pipelineKey.arn, partition, noncurrentVersionDays: 30 });
    const source = codecommit ? new SecureBucket(this, 'source', { bucketName: names.sourceBucket, kmsKeyArn: pipelineKey.arn, partition, noncurrentVersionDays: 30 }) : undefined;

    const topic = new SnsTopic(this, 'topic', { name: names.topic, kmsMasterKeyId: pipelineKey.arn });
    new SnsTopicPolicy(this, 'topic-policy', {
      arn: topic.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PipelineNotifications',
            Effect: 'Allow',
            Principal: { Service: 'codestar-notifications.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topic.arn,
            Condition: { StringEquals: { 'aws:SourceAccount': account } },
          },
        ],
      }),
    });
    settings.notificationEmails.forEach((email, i) => new SnsTopicSubscription(this, `subscriber-${i}`, { topicArn: topic.arn, protocol: 'email', endpoint: email }));

    const arns: ToolingArns = {
      pipelineKey: pipelineKey.arn,
      stateKey: stateKey.arn,
      artifactsBucket: artifacts.arn,
      sourceBucket: source?.arn ?? `arn:${partition}:s3:::${names.sourceBucket}`,
      topic: topic.arn,
      pipeline: pipelineArn,
      logGroups: arnOf('logs', '*', `log-group:/aws/codebuild/${spec.name}-*`),
      projects: projectArn('*'),
      scheduledProjects: [...(codecommit ? [projectArn('trigger', spec.repositoryRegion)] : []), ...(settings.driftSchedule !== undefined ? [projectArn('drift')] : [])],
    };
    const policy = (id: string, target: IamRole, document: PolicyDocument): IamRolePolicy =>
      new IamRolePolicy(this, id, { name: 'least-privilege', role: target.id, policy: JSON.stringify(document) });
    policy('pipeline-policy', pipelineRole, pipelineRolePolicy(spec, arns));
    policy('plan-policy', planRole, planRolePolicy(spec, arns));
    policy('apply-policy', applyRole, applyRolePolicy(spec, arns));
    if (triggerRole !== undefined) policy('trigger-policy', triggerRole, triggerRolePolicy(spec, arns));
    if (eventsRole !== undefined) policy('events-policy', eventsRole, eventsRolePolicy(arns));

    const baseEnv: Record<string, string> = {
      PIPELINE_ENVIRONMENT: spec.environment,
      PIPELINE_SOURCE: project.source.kind,
      ...(org.project.backend.layout === 'regional' ? { PIPELINE_SCOPES: spec.scopes.join(',') } : {}),
    };
    const build = (stage: string, buildspec: BuildspecName, roleArn: string, description: string, extra: { env?: Record<string, string>; source?: BuildSource; region?: string; keyArn?: string; timeout?: number } = {}): BuildProject =>
      new BuildProject(this, `${stage}-build`, {
        projectName: names.project(stage),
        description,
        serviceRoleArn: roleArn,
        buildspec,
        image: project.image,
        kmsKeyArn: extra.keyArn ?? pipelineKey.arn,
        logRetentionDays: project.logRetentionDays,
        environmentVariables: { ...baseEnv, ...(extra.env ?? {}) },
        ...(extra.source !== undefined ? { source: extra.source } : {}),
        ...(extra.region !== undefined ? { region: extra.region } : {}),
        ...(extra.timeout !== undefined ? { timeoutMinutes: extra.timeout } : {}),
      });
    const validate = build('validate', 'validate', planRole.arn, `Validate the release tag, synthesize its stack, terraform validate, tflint (${spec.environment})`);
    const scan = build('scan', 'scan', planRole.arn, `Checkov on the synthesized stack (${spec.environment})`);
    const plan = build('plan', 'plan', planRole.arn, `Saved plan with the read-only role, summary and sha256 (${spec.environment})`, { timeout: 60 });
    const scanPlan = build('scan-plan', 'scan-plan', planRole.arn, `Checkov on the plan JSON (${spec.environment})`);
    const health = settings.healthCheck ? build('health', 'health', planRole.arn, `AWS Health gate (${spec.environment})`, { env: { HEALTH_API_REGION: HEALTH_API_REGION[partition] } }) : undefined;
    const apply = build('apply', 'apply', applyRole.arn, `Apply the approved plan (${spec.environment})`, { timeout: 120 });

    const sourceAction: CodepipelineStageAction = codecommit
      ? {
          name: 'Source',
          category: 'Source',
          owner: 'AWS',
          provider: 'S3',
          version: '1',
          outputArtifacts: ['Source'],
          namespace: 'SourceVariables',
          // The trigger build starts each execution on the exact object version it uploaded.
          configuration: { S3Bucket: source?.name ?? names.sourceBucket, S3ObjectKey: names.sourceKey, PollForSourceChanges: 'false' },
        }
      : {
          name: 'Source',
          category: 'Source',
          owner: 'AWS',
          provider: 'CodeStarSourceConnection',
          version: '1',
          outputArtifacts: ['Source'],
          namespace: 'SourceVariables',
          configuration: {
            ConnectionArn: project.source.connectionArn ?? '',
            FullRepositoryId: project.source.repository,
            BranchName: project.source.branch,
            OutputArtifactFormat: 'CODE_ZIP',
            DetectChanges: 'false',
          },
        };
    const releaseEnv = codecommit
      ? { RELEASE_TAG: '#{variables.RELEASE_TAG}', RELEASE_COMMIT: '#{variables.RELEASE_COMMIT}' }
      : { RELEASE_TAG: '#{SourceVariables.TagName}', RELEASE_COMMIT: '#{SourceVariables.CommitId}' };
    const stages: CodepipelineStage[] = [
      { name: 'Source', action: [sourceAction] },
      { name: 'Validate', action: [codeBuildAction('Validate', validate, 'Source', { output: 'Synth', namespace: 'Release', env: releaseEnv })] },
      { name: 'SecurityScan', action: [codeBuildAction('Checkov', scan, 'Synth')] },
      {
        name: 'Plan',
        action: [
          codeBuildAction('Plan', plan, 'Synth', { output: 'Plan', namespace: 'Plan' }),
          codeBuildAction('CheckovPlan', scanPlan, 'Plan', { runOrder: 2 }),
        ],
      },
    ];
    if (health !== undefined) stages.push({ name: 'HealthCheck', action: [codeBuildAction('AwsHealth', health, 'Synth')] });
    if (settings.approval) {
      stages.push({
        name: 'Approval',
        action: [
          {
            name: 'Approve',
            category: 'Approval',
            owner: 'AWS',
            provider: 'Manual',
            version: '1',
            configuration: {
              NotificationArn: topic.arn,
              CustomData: 'Apply #{Release.TAG} (commit #{Release.COMMIT}) to #{Release.TARGET_ACCOUNT}: #{Plan.PLAN_HEADLINE}',
              ExternalEntityLink: '#{Plan.PLAN_LINK}',
            },
          },
        ],
      });
    }
    stages.push({
      name: 'Apply',
      action: [codeBuildAction('Apply', apply, 'Plan', { env: { EXPECTED_PLAN_SHA256: '#{Plan.PLAN_SHA256}', EXPECTED_TAG: '#{Release.TAG}' } })],
    });

    const codepipeline = new Codepipeline(this, 'pipeline', {
      name: names.pipeline,
      pipelineType: 'V2',
      // Two tags of one environment never race on the same state: executions run one by one.
      executionMode: 'QUEUED',
      roleArn: pipelineRole.arn,
      artifactStore: [{ location: artifacts.name, type: 'S3', encryptionKey: { id: pipelineKey.arn, type: 'KMS' } }],
      stage: stages,
      ...(codecommit
        ? {
            variable: [
              { name: 'RELEASE_TAG', description: 'The release tag; set by the trigger build' },
              { name: 'RELEASE_COMMIT', description: 'The tagged commit; set by the trigger build' },
            ],
          }
        : {
            trigger: [
              {
                providerType: 'CodeStarSourceConnection',
                gitConfiguration: { sourceActionName: 'Source', push: [{ tags: { includes: [...spec.tagGlobs] } }] },
              },
            ],
          }),
    });
    this.pipelineArn = codepipeline.arn;

    if (codecommit) {
      const repositoryArn = arnOf('codecommit', spec.repositoryRegion, project.source.repository);
      const trigger = build('trigger', 'trigger', triggerRole!.arn, `Check out a pushed ${spec.environment} tag and start ${names.pipeline}`, {
        // The trigger runs where the repository is; the bucket and pipeline may be in another region.
        env: { SOURCE_BUCKET: names.sourceBucket, SOURCE_KEY: names.sourceKey, PIPELINE_NAME: names.pipeline, PIPELINE_REGION: spec.region, RELEASE_BRANCH: project.source.branch },
        // Full history: the trigger checks that the tagged commit is on the release branch.
        source: { kind: 'codecommit', cloneUrl: `https://git-codecommit.${spec.repositoryRegion}.amazonaws.com/v1/repos/${project.source.repository}`, depth: 0 },
        region: spec.repositoryRegion,
        keyArn: triggerKey.arn,
      });
      const rule = new CloudwatchEventRule(this, 'tag-rule', {
        name: `${spec.name}-release-tags`,
        description: `Tags ${spec.tagPrefixes.join(', ')}... of ${project.source.repository} start the ${spec.environment} release`,
        region: spec.repositoryRegion,
        eventPattern: JSON.stringify(tagEventPattern(repositoryArn, spec.tagPrefixes)),
      });
      new CloudwatchEventTarget(this, 'tag-target', {
        rule: rule.name,
        arn: trigger.arn,
        roleArn: eventsRole!.arn,
        region: spec.repositoryRegion,
        inputTransformer: {
          inputPaths: { tag: '$.detail.referenceName', commit: '$.detail.commitId' },
          // StartBuild parameters: build exactly the pushed tag, and say which commit it named.
          inputTemplate: '{"sourceVersion": "<tag>", "environmentVariablesOverride": [{"name": "RELEASE_TAG", "value": "<tag>", "type": "PLAINTEXT"}, {"name": "RELEASE_COMMIT", "value": "<commit>", "type": "PLAINTEXT"}]}',
        },
      });
    }

    if (settings.driftSchedule !== undefined) {
      const driftSource: BuildSource = codecommit
        ? { kind: 'codecommit', cloneUrl: `https://git-codecommit.${spec.repositoryRegion}.amazonaws.com/v1/repos/${project.source.repository}`, depth: 0 }
        : { kind: 'connection', repositoryUrl: `https://github.com/${project.source.repository}.git`, connectionArn: project.source.connectionArn ?? '', depth: 0 };
      const drift = build('drift', 'drift', planRole.arn, `Scheduled drift detection of ${spec.environment}`, { env: { TOPIC_ARN: topic.arn }, source: driftSource, timeout: 240 });
      const schedule = new CloudwatchEventRule(this, 'drift-schedule', {
        name: `${spec.name}-drift`,
        description: `Drift detection of ${spec.environment}`,
        scheduleExpression: settings.driftSchedule,
      });
      new CloudwatchEventTarget(this, 'drift-target', { rule: schedule.name, arn: drift.arn, roleArn: eventsRole!.arn });
    }

    new CodestarnotificationsNotificationRule(this, 'notifications', {
      name: `${spec.name}-release`.slice(0, 64),
      resource: codepipeline.arn,
      detailType: 'FULL',
      eventTypeIds: [
        'codepipeline-pipeline-pipeline-execution-failed',
        ...(settings.notifyOnSuccess ? ['codepipeline-pipeline-pipeline-execution-succeeded'] : []),
      ],
      target: [{ address: topic.arn, type: 'SNS' }],
    });

    new TerraformOutput(this, 'pipeline_name', { value: codepipeline.name });
    new TerraformOutput(this, 'state_bucket', { value: state.bucket.name });
    new TerraformOutput(this, 'plan_role_arn', { value: planRole.arn });
    new TerraformOutput(this, 'apply_role_arn', { value: applyRole.arn });
    new TerraformOutput(this, 'topic_arn', { value: topic.arn });
  }
}

/**
 * The EventBridge pattern of an environment's release tags: CodeCommit tag events of one
 * repository whose tag name starts with `<env>_` (or `<env>_<scope>/`). The underscore anchors the
 * environment, so `dev_` never matches `development_x/...` or `dev-x_...`.
 */
export function tagEventPattern(repositoryArn: string, prefixes: readonly string[]): object {
  return {
    source: ['aws.codecommit'],
    'detail-type': ['CodeCommit Repository State Change'],
    resources: [repositoryArn],
    detail: {
      event: ['referenceCreated', 'referenceUpdated'],
      referenceType: ['tag'],
      referenceName: prefixes.map((prefix) => ({ prefix })),
    },
  };
}
