import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { codecommitRepositoryArn } from '../../lib/arn';
import type { ToolingSpec } from '../../lib/pipeline-spec';
import type { BuildDefaults } from './build-defaults';
import { BuildProject } from './build-project';
import type { StageRole } from './stage-role';

export interface TagTriggerProps {
  readonly spec: ToolingSpec;
  /** The trigger build's role (trusted: it records releases and writes the source bucket). */
  readonly role: StageRole;
  /** EventBridge's role, allowed to start this build. */
  readonly eventsRole: StageRole;
  readonly builds: BuildDefaults;
  /** KMS key of the trigger's logs (a key of the repository's region). */
  readonly kmsKeyArn: string;
}

/**
 * CodeCommit sources: an EventBridge rule on newly created release tags of this environment starts
 * the trusted trigger build (buildspecs/trigger.yml) with the tag as the source version.
 */
export class TagTrigger extends Construct {
  readonly projectArn: string;

  constructor(scope: Construct, id: string, props: TagTriggerProps) {
    super(scope, id);
    const { spec, builds } = props;
    const { names } = spec;
    const repository = spec.pipeline.source.repository;
    const project = new BuildProject(this, 'build', {
      projectName: names.project('trigger'),
      description: `Check a pushed ${spec.environment} tag (trusted), record it and start ${names.pipeline}`,
      serviceRoleArn: props.role.arn,
      buildspec: 'trigger',
      image: builds.image,
      kmsKeyArn: props.kmsKeyArn,
      logRetentionDays: builds.logRetentionDays,
      environmentVariables: {
        ...builds.environment,
        ...builds.trustedEnvironment,
        // The trigger runs where the repository is; the bucket and pipeline may be in another region.
        SOURCE_BUCKET: names.sourceBucket,
        SOURCE_KEY: names.sourceKey,
        PIPELINE_NAME: names.pipeline,
        PIPELINE_REGION: spec.region,
        RELEASE_BRANCH: spec.pipeline.source.branch,
      },
      // Full history: the trigger checks that the tagged commit is on the release branch.
      source: { kind: 'codecommit', cloneUrl: `https://git-codecommit.${spec.repositoryRegion}.amazonaws.com/v1/repos/${repository}`, depth: 0 },
      region: spec.repositoryRegion,
      // One at a time: two tags pushed together are recorded and started in order.
      concurrentBuildLimit: 1,
    });
    const rule = new CloudwatchEventRule(this, 'rule', {
      name: `${spec.name}-release-tags`,
      description: `New tags ${spec.tagPrefixes.join(', ')}... of ${repository} start the ${spec.environment} release`,
      region: spec.repositoryRegion,
      eventPattern: JSON.stringify(tagEventPattern(codecommitRepositoryArn(spec.partition, spec.repositoryRegion, spec.account, repository), spec.tagPrefixes)),
    });
    new CloudwatchEventTarget(this, 'target', {
      rule: rule.name,
      arn: project.arn,
      roleArn: props.eventsRole.arn,
      region: spec.repositoryRegion,
      inputTransformer: {
        inputPaths: { tag: '$.detail.referenceName', commit: '$.detail.commitId' },
        // StartBuild parameters: build exactly the pushed tag, and say which commit it named.
        inputTemplate:
          '{"sourceVersion": "<tag>", "environmentVariablesOverride": [{"name": "RELEASE_TAG", "value": "<tag>", "type": "PLAINTEXT"}, {"name": "RELEASE_COMMIT", "value": "<commit>", "type": "PLAINTEXT"}]}',
      },
    });
    this.projectArn = project.arn;
  }
}

/**
 * The EventBridge pattern of an environment's release tags: CodeCommit tag *creations* of one
 * repository whose tag name starts with `<env>_` (or `<env>_<scope>/`). The underscore anchors the
 * environment, so `dev_` never matches `development_x/...` or `dev-x_...`. A moved tag
 * (`referenceUpdated`) never starts a release: tags are immutable, and a version is released once.
 */
export function tagEventPattern(repositoryArn: string, prefixes: readonly string[]): object {
  return {
    source: ['aws.codecommit'],
    'detail-type': ['CodeCommit Repository State Change'],
    resources: [repositoryArn],
    detail: {
      event: ['referenceCreated'],
      referenceType: ['tag'],
      referenceName: prefixes.map((prefix) => ({ prefix })),
    },
  };
}
