import { Construct } from 'constructs';
import { Codepipeline, type CodepipelineStage, type CodepipelineStageAction } from '@cdktf/provider-aws/lib/codepipeline';
import { CodestarnotificationsNotificationRule } from '@cdktf/provider-aws/lib/codestarnotifications-notification-rule';
import { iamRoleArn } from '../../lib/arn';
import type { ArtifactName } from '../../lib/pipeline-policies';
import type { ToolingSpec } from '../../lib/pipeline-spec';
import type { BuildDefaults } from './build-defaults';
import { BuildProject } from './build-project';
import type { BuildspecName } from './buildspecs';
import type { PipelineRoles } from './pipeline-roles';
import type { StageRole } from './stage-role';

export interface ReleasePipelineProps {
  readonly spec: ToolingSpec;
  readonly roles: PipelineRoles;
  readonly builds: BuildDefaults;
  readonly artifactsBucket: string;
  /** The S3 object the codecommit trigger uploads; undefined for a connection source. */
  readonly sourceBucket: string | undefined;
  /** The approvers' and failures' topic. */
  readonly topicArn: string;
}

/** Stage names, in order. HealthCheck and Approval are present when the environment asks for them. */
export const STAGES = ['Source', 'Release', 'Validate', 'SecurityScan', 'Plan', 'HealthCheck', 'Approval', 'Apply'] as const;

/** The AWS Health API endpoint region of each partition (Health is served from one region). */
const HEALTH_API_REGION: Record<string, string> = { aws: 'us-east-1', 'aws-cn': 'cn-northwest-1', 'aws-us-gov': 'us-gov-west-1' };

interface ActionOptions {
  readonly output?: ArtifactName;
  readonly namespace?: string;
  readonly env?: Record<string, string>;
  readonly runOrder?: number;
}

const codeBuildAction = (name: string, project: BuildProject, input: ArtifactName, options: ActionOptions = {}): CodepipelineStageAction => ({
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
 * The tag-started CodePipeline V2 of one environment: Source, then the trusted Release check,
 * Validate, SecurityScan, Plan (with checkov on the plan and the trusted plan review), an
 * optional HealthCheck and Approval, and the trusted Apply. Each stage has its own role; the
 * trusted stages take only variables that trusted stages exported (namespaces Release and
 * PlanReview), never those of a stage that ran the tagged code.
 */
export class ReleasePipeline extends Construct {
  readonly arn: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: ReleasePipelineProps) {
    super(scope, id);
    const { spec, roles, builds } = props;
    const { names, settings } = spec;
    const codecommit = spec.pipeline.source.kind === 'codecommit';
    const build = (
      stage: string,
      buildspec: BuildspecName,
      role: StageRole,
      description: string,
      extra: { env?: Record<string, string>; trusted?: boolean; timeout?: number } = {},
    ): BuildProject =>
      new BuildProject(this, stage, {
        projectName: names.project(stage),
        description,
        serviceRoleArn: role.arn,
        buildspec,
        image: builds.image,
        kmsKeyArn: builds.kmsKeyArn,
        logRetentionDays: builds.logRetentionDays,
        environmentVariables: { ...builds.environment, ...(extra.trusted === true ? builds.trustedEnvironment : {}), ...(extra.env ?? {}) },
        ...(extra.timeout !== undefined ? { timeoutMinutes: extra.timeout } : {}),
      });
    const release = build('release', 'release', roles.release, `Release check (trusted): tag, release branch, ledger (${spec.environment})`, {
      trusted: true,
      env: { RELEASE_BRANCH: spec.pipeline.source.branch },
    });
    const validate = build('validate', 'validate', roles.validate, `Synthesize the tagged stack, terraform validate, tflint (${spec.environment})`);
    const scan = build('scan', 'scan', roles.scan, `Checkov on the synthesized stack (${spec.environment})`);
    const plan = build('plan', 'plan', roles.plan, `Saved plan with the view-only role (${spec.environment})`, { timeout: 60 });
    const scanPlan = build('scan-plan', 'scan-plan', roles.scan, `Checkov on the plan JSON (${spec.environment})`);
    const review = build('review', 'plan-review', roles.review, `Plan review (trusted): sha256 and approval summary (${spec.environment})`, { trusted: true });
    const health = settings.healthCheck
      ? build('health', 'health', roles.health, `AWS Health gate (${spec.environment})`, { env: { HEALTH_API_REGION: HEALTH_API_REGION[spec.partition] } })
      : undefined;
    const apply = build('apply', 'apply', roles.apply, `Apply the approved plan (trusted) (${spec.environment})`, {
      trusted: true,
      timeout: 120,
      env: { APPLY_ROLE_ARN: iamRoleArn(spec.partition, spec.account, names.applyRole) },
    });

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
          configuration: { S3Bucket: props.sourceBucket ?? names.sourceBucket, S3ObjectKey: names.sourceKey, PollForSourceChanges: 'false' },
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
            ConnectionArn: spec.pipeline.source.connectionArn ?? '',
            FullRepositoryId: spec.pipeline.source.repository,
            BranchName: spec.pipeline.source.branch,
            // A git clone, so the release check can verify the tag and the branch with plain git.
            OutputArtifactFormat: 'CODEBUILD_CLONE_REF',
            DetectChanges: 'false',
          },
        };
    const triggerVariables = codecommit
      ? { RELEASE_TAG: '#{variables.RELEASE_TAG}', RELEASE_COMMIT: '#{variables.RELEASE_COMMIT}' }
      : { RELEASE_TAG: '#{SourceVariables.TagName}', RELEASE_COMMIT: '#{SourceVariables.CommitId}' };
    // Only the trusted Release stage's variables reach later stages.
    const released = {
      RELEASE_TAG: '#{Release.TAG}',
      RELEASE_COMMIT: '#{Release.COMMIT}',
      RELEASE_STACK: '#{Release.STACK}',
      RELEASE_ID: '#{Release.RELEASE_ID}',
    };
    const stages: CodepipelineStage[] = [
      { name: 'Source', action: [sourceAction] },
      { name: 'Release', action: [codeBuildAction('CheckRelease', release, 'Source', { output: 'Checked', namespace: 'Release', env: triggerVariables })] },
      { name: 'Validate', action: [codeBuildAction('Validate', validate, 'Checked', { output: 'Synth', env: released })] },
      { name: 'SecurityScan', action: [codeBuildAction('Checkov', scan, 'Synth')] },
      {
        name: 'Plan',
        action: [
          codeBuildAction('Plan', plan, 'Synth', { output: 'Plan', env: released }),
          codeBuildAction('CheckovPlan', scanPlan, 'Plan', { runOrder: 2 }),
          codeBuildAction('ReviewPlan', review, 'Plan', { runOrder: 2, namespace: 'PlanReview', env: released }),
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
              NotificationArn: props.topicArn,
              // Every value here comes from a trusted stage: the release check and the plan review.
              CustomData:
                'Apply #{Release.TAG} (commit #{Release.COMMIT}) to #{Release.TARGET_ACCOUNT}: #{PlanReview.PLAN_HEADLINE} (plan sha256 #{PlanReview.PLAN_SHA256})',
              ExternalEntityLink: '#{PlanReview.PLAN_LINK}',
            },
          },
        ],
      });
    }
    stages.push({
      name: 'Apply',
      action: [codeBuildAction('Apply', apply, 'Plan', { env: { ...released, EXPECTED_PLAN_SHA256: '#{PlanReview.PLAN_SHA256}' } })],
    });

    const pipeline = new Codepipeline(this, 'pipeline', {
      name: names.pipeline,
      pipelineType: 'V2',
      // Two tags of one environment never race on the same state: executions run one by one.
      executionMode: 'QUEUED',
      roleArn: roles.pipeline.arn,
      artifactStore: [{ location: props.artifactsBucket, type: 'S3', encryptionKey: { id: builds.kmsKeyArn, type: 'KMS' } }],
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
    new CodestarnotificationsNotificationRule(this, 'notifications', {
      name: `${spec.name}-release`.slice(0, 64),
      resource: pipeline.arn,
      detailType: 'FULL',
      eventTypeIds: [
        'codepipeline-pipeline-pipeline-execution-failed',
        ...(settings.notifyOnSuccess ? ['codepipeline-pipeline-pipeline-execution-succeeded'] : []),
      ],
      target: [{ address: props.topicArn, type: 'SNS' }],
    });
    this.arn = pipeline.arn;
    this.name = pipeline.name;
  }
}
