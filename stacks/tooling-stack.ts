import { TerraformOutput } from 'cdktf';
import { GuardedStack, guardrailsFor } from './guarded-stack';
import { configureStateBackend } from './stack-backend';
import type { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { codebuildProjectArn, codepipelineArn, logGroupArn, s3Arn } from '../lib/arn';
import type { Organisation } from '../lib/config';
import type { ToolingArns } from '../lib/pipeline-policies';
import type { ToolingSpec } from '../lib/pipeline-spec';
import { releaseTargets } from '../lib/release-targets';
import type { BuildDefaults } from '../modules/pipeline/build-defaults';
import { pinnedTerraform } from '../modules/pipeline/buildspecs';
import { DriftDetection } from '../modules/pipeline/drift-detection';
import { EncryptionKey, type KeyServiceGrant } from '../modules/pipeline/encryption-key';
import { PipelineRoles } from '../modules/pipeline/pipeline-roles';
import { ReleaseLedger } from '../modules/pipeline/release-ledger';
import { ReleasePipeline } from '../modules/pipeline/release-pipeline';
import { SecureBucket } from '../modules/pipeline/secure-bucket';
import { TagTrigger } from '../modules/pipeline/tag-trigger';
import { StateBackendResources } from '../modules/state/state-store';

export { STAGES } from '../modules/pipeline/release-pipeline';
export { tagEventPattern } from '../modules/pipeline/tag-trigger';

export interface ToolingStackProps {
  /** The validated organisation. */
  readonly org: Organisation;
  /** The environment (and region, in the regional layout) this stack serves. */
  readonly spec: ToolingSpec;
  /** Keep this stack's own state in this local file (an absolute path): the first deploy, before its bucket exists. @default - S3 state */
  readonly localStatePath?: string;
}

/**
 * The tooling stack of one environment (`tooling-<env>`, or `tooling-<env>-<region>` in the
 * regional layout), deployed into the tooling account: the environment's state bucket and lock
 * table, the release ledger, a tag-started CodePipeline V2 with one role per stage, the tag
 * trigger (CodeCommit), notifications and optional drift detection. Composed of constructs from
 * modules/pipeline/; the trust model is in docs/security.md.
 */
export class ToolingStack extends GuardedStack {
  readonly spec: ToolingSpec;
  readonly pipelineArn: string;

  constructor(scope: Construct, props: ToolingStackProps) {
    const { spec, org } = props;
    super(scope, spec.stack, ...guardrailsFor(org, 'tooling', spec));
    this.spec = spec;
    const { names, pipeline: project, settings, partition, account } = spec;
    const codecommit = project.source.kind === 'codecommit';

    configureStateBackend(this, spec.backend, props.localStatePath);
    new AwsProvider(this, 'aws', {
      region: spec.region,
      allowedAccountIds: [account],
      defaultTags: [
        { tags: { ...org.project.tags, Project: org.project.project, Environment: spec.environment, Stack: spec.stack, ManagedBy: 'multiregion' } },
      ],
    });

    // The configured administrators (at least two stable roles, checked by the config) and whoever
    // deploys this stack administer its keys and may use the state by hand.
    const caller = new DataAwsCallerIdentity(this, 'caller');
    const session = new DataAwsIamSessionContext(this, 'deployer', { arn: caller.arn });
    const administrators = [...project.administrators, session.issuerArn];

    const roles = new PipelineRoles(this, 'roles', { spec });
    const logGroups = logGroupArn(partition, '*', account, `/aws/codebuild/${spec.name}-*`);
    const logsGrant = (region: string): KeyServiceGrant => ({
      service: `logs.${region}.amazonaws.com`,
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(partition, region, account, `/aws/codebuild/${spec.name}-*`) } },
    });
    const triggerInPipelineRegion = roles.trigger !== undefined && spec.repositoryRegion === spec.region;
    const pipelineKey = new EncryptionKey(this, 'pipeline-key', {
      description: `Artifacts, ledger, logs and notifications of ${spec.stack}`,
      alias: names.keyAlias('pipeline'),
      administrators,
      users: [roles.pipeline, ...roles.pipelineBuildRoles, ...(roles.trigger !== undefined ? [roles.trigger] : [])].map((r) => r.arn),
      readers: roles.drift !== undefined ? [roles.drift.arn] : [],
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
      users: [roles.plan.arn, roles.apply.arn, ...administrators],
      // Threat: drift (which runs released code on a schedule) writing state or locks.
      readers: roles.drift !== undefined ? [roles.drift.arn] : [],
      // Regional layout: the other regions' state roles read the global states kept here.
      laterReaders: spec.state.remoteReaders,
      account,
      region: spec.state.region,
      preventDestroy: true,
    });
    // A trigger in another region (regional layout) needs a key of its own region for its logs.
    const triggerKey =
      roles.trigger !== undefined && !triggerInPipelineRegion
        ? new EncryptionKey(this, 'trigger-key', {
            description: `Logs of the tag trigger of ${spec.stack}`,
            alias: names.keyAlias('trigger'),
            administrators,
            users: [roles.trigger.arn],
            services: [logsGrant(spec.repositoryRegion)],
            region: spec.repositoryRegion,
          })
        : pipelineKey;

    const state = new StateBackendResources(this, 'state', {
      store: spec.state,
      kmsKeyArn: stateKey.arn,
      partition,
      principals: [...roles.stateRoles.map((r) => r.arn), ...spec.state.remoteReaders, ...administrators],
    });
    // Threat: a stage (or any principal of the account) replacing an artifact another stage trusts.
    const artifacts = new SecureBucket(this, 'artifacts', {
      bucketName: names.artifactsBucket,
      kmsKeyArn: pipelineKey.arn,
      partition,
      noncurrentVersionDays: 30,
      onlyWriters: roles.artifactWriters.map((r) => r.arn),
      enforceKmsKeyIds: [pipelineKey.arn],
    });
    const source =
      roles.trigger !== undefined
        ? new SecureBucket(this, 'source', {
            bucketName: names.sourceBucket,
            kmsKeyArn: pipelineKey.arn,
            partition,
            noncurrentVersionDays: 30,
            // Only the trusted trigger packs releases: the release check trusts release.json in them.
            onlyWriters: [roles.trigger.arn],
            enforceKmsKeyIds: [pipelineKey.arn],
          })
        : undefined;
    const ledger = new ReleaseLedger(this, 'ledger', { tableName: names.ledgerTable, kmsKeyArn: pipelineKey.arn });

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
    settings.notificationEmails.forEach(
      (email, i) => new SnsTopicSubscription(this, `subscriber-${i}`, { topicArn: topic.arn, protocol: 'email', endpoint: email }),
    );

    const arns: ToolingArns = {
      pipelineKey: pipelineKey.arn,
      stateKey: stateKey.arn,
      artifactsBucket: artifacts.arn,
      sourceBucket: source?.arn ?? s3Arn(partition, names.sourceBucket),
      topic: topic.arn,
      pipeline: codepipelineArn(partition, spec.region, account, names.pipeline),
      logGroups,
      projects: codebuildProjectArn(partition, spec.region, account, `${spec.name}-*`),
    };
    const scheduledProjects = [
      ...(codecommit ? [codebuildProjectArn(partition, spec.repositoryRegion, account, names.project('trigger'))] : []),
      ...(settings.driftSchedule !== undefined ? [codebuildProjectArn(partition, spec.region, account, names.project('drift'))] : []),
    ];
    roles.grantStageNeeds(arns, ledger, scheduledProjects);

    const builds: BuildDefaults = {
      image: project.image,
      kmsKeyArn: pipelineKey.arn,
      logRetentionDays: project.logRetentionDays,
      environment: {
        PIPELINE_ENVIRONMENT: spec.environment,
        PIPELINE_SOURCE: project.source.kind,
        ...(org.project.backend.layout === 'regional' ? { PIPELINE_SCOPES: spec.scopes.join(',') } : {}),
      },
      // Decided now, by whoever deploys this stack: never by the code being released.
      trustedEnvironment: { RELEASE_TARGETS: JSON.stringify(releaseTargets(spec)), LEDGER_TABLE: names.ledgerTable, ...pinnedTerraform() },
    };
    const pipeline = new ReleasePipeline(this, 'pipeline', {
      spec,
      roles,
      builds,
      artifactsBucket: artifacts.name,
      sourceBucket: source?.name,
      topicArn: topic.arn,
    });
    this.pipelineArn = pipeline.arn;
    if (roles.trigger !== undefined && roles.events !== undefined) {
      new TagTrigger(this, 'tag-trigger', { spec, role: roles.trigger, eventsRole: roles.events, builds, kmsKeyArn: triggerKey.arn });
    }
    if (settings.driftSchedule !== undefined && roles.drift !== undefined && roles.events !== undefined) {
      new DriftDetection(this, 'drift', { spec, schedule: settings.driftSchedule, role: roles.drift, eventsRole: roles.events, builds, topicArn: topic.arn });
    }

    new TerraformOutput(this, 'pipeline_name', { value: pipeline.name });
    new TerraformOutput(this, 'state_bucket', { value: state.bucket.name });
    new TerraformOutput(this, 'plan_role_arn', { value: roles.plan.arn });
    new TerraformOutput(this, 'apply_role_arn', { value: roles.apply.arn });
    new TerraformOutput(this, 'topic_arn', { value: topic.arn });
  }
}
