import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { ToolingSpec } from '../../lib/pipeline-spec';
import type { BuildDefaults } from './build-defaults';
import { BuildProject, type BuildSource } from './build-project';
import type { StageRole } from './stage-role';

export interface DriftDetectionProps {
  readonly spec: ToolingSpec;
  /** EventBridge schedule expression. */
  readonly schedule: string;
  /** The drift build's role: view-only, state read without locks, ledger read, the topic. */
  readonly role: StageRole;
  readonly eventsRole: StageRole;
  readonly builds: BuildDefaults;
  readonly topicArn: string;
}

/**
 * Scheduled drift detection (buildspecs/drift.yml): plans the last applied release of every stack
 * that the release ledger records, if its commit is on the release branch, and reports drift to
 * the environment's topic. It writes no artifact, no lock and no state.
 */
export class DriftDetection extends Construct {
  readonly projectArn: string;

  constructor(scope: Construct, id: string, props: DriftDetectionProps) {
    super(scope, id);
    const { spec, builds } = props;
    const source = spec.pipeline.source;
    const driftSource: BuildSource =
      source.kind === 'codecommit'
        ? { kind: 'codecommit', cloneUrl: `https://git-codecommit.${spec.repositoryRegion}.amazonaws.com/v1/repos/${source.repository}`, depth: 0 }
        : { kind: 'connection', repositoryUrl: `https://github.com/${source.repository}.git`, connectionArn: source.connectionArn ?? '', depth: 0 };
    const project = new BuildProject(this, 'build', {
      projectName: spec.names.project('drift'),
      description: `Scheduled drift detection of ${spec.environment}`,
      serviceRoleArn: props.role.arn,
      buildspec: 'drift',
      image: builds.image,
      kmsKeyArn: builds.kmsKeyArn,
      logRetentionDays: builds.logRetentionDays,
      environmentVariables: { ...builds.environment, ...builds.trustedEnvironment, TOPIC_ARN: props.topicArn, RELEASE_BRANCH: source.branch },
      source: driftSource,
      timeoutMinutes: 240,
    });
    const rule = new CloudwatchEventRule(this, 'schedule', {
      name: `${spec.name}-drift`,
      description: `Drift detection of ${spec.environment}`,
      scheduleExpression: props.schedule,
    });
    new CloudwatchEventTarget(this, 'target', { rule: rule.name, arn: project.arn, roleArn: props.eventsRole.arn });
    this.projectArn = project.arn;
  }
}
