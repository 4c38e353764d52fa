import { Construct } from 'constructs';
import { codebuildProjectArn, codepipelineArn, eventsRuleArn, iamRoleArn } from '../../lib/arn';
import {
  assumeWorkloadRoles,
  healthStatement,
  logsStatement,
  pipelineStatements,
  publishStatement,
  readArtifacts,
  sourceReadStatements,
  startBuildsStatement,
  stateStatements,
  triggerStatements,
  writeArtifact,
  type ToolingArns,
} from '../../lib/pipeline-policies';
import type { ToolingSpec } from '../../lib/pipeline-spec';
import type { ReleaseLedger } from './release-ledger';
import { StageRole } from './stage-role';

export interface PipelineRolesProps {
  /** The environment (and region) whose pipeline the roles serve. */
  readonly spec: ToolingSpec;
}

/**
 * One role per pipeline stage. Stages that run the tagged commit's code (validate, scan, plan,
 * health, drift) hold roles that cannot touch what the trusted stages rely on: the release ledger,
 * the Checked and Plan artifacts of other stages, state writes, the deploy roles. Only the
 * trusted stages (trigger, release, review, apply: embedded buildspecs) hold those.
 */
export class PipelineRoles extends Construct {
  readonly pipeline: StageRole;
  /** Release check (trusted): tag, branch, ledger. */
  readonly release: StageRole;
  readonly validate: StageRole;
  /** Checkov on the synthesized stack and on the plan JSON. */
  readonly scan: StageRole;
  readonly plan: StageRole;
  /** Plan review (trusted): records the plan's sha256 and the approval summary. */
  readonly review: StageRole;
  readonly health: StageRole;
  /** Apply (trusted). */
  readonly apply: StageRole;
  /** Tag trigger (trusted), codecommit sources only. */
  readonly trigger: StageRole | undefined;
  readonly drift: StageRole | undefined;
  readonly events: StageRole | undefined;
  private readonly spec: ToolingSpec;

  constructor(scope: Construct, id: string, props: PipelineRolesProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;
    const { names, partition, account } = spec;
    const project = (stage: string, region = spec.region): string => codebuildProjectArn(partition, region, account, names.project(stage));
    const build = (stage: string, roleName: string, description: string, region?: string): StageRole =>
      new StageRole(this, stage, { roleName, description, service: 'codebuild.amazonaws.com', account, sourceArn: project(stage, region) });
    this.pipeline = new StageRole(this, 'pipeline', {
      roleName: names.pipelineRole,
      description: `CodePipeline of ${spec.stack}`,
      service: 'codepipeline.amazonaws.com',
      account,
      sourceArn: codepipelineArn(partition, spec.region, account, names.pipeline),
    });
    this.release = build('release', names.releaseRole, `Release check of ${spec.stack} (trusted): tag, branch, ledger`);
    this.validate = build('validate', names.validateRole, `Validate build of ${spec.stack}: synthesizes the tagged stack`);
    // `scan*` covers the scan and scan-plan projects.
    this.scan = new StageRole(this, 'scan', {
      roleName: names.scanRole,
      description: `Checkov builds of ${spec.stack}`,
      service: 'codebuild.amazonaws.com',
      account,
      sourceArn: `${project('scan')}*`,
    });
    this.plan = build('plan', names.planRole, `Plan build of ${spec.stack}: view-only in ${spec.environment}`);
    this.review = build('review', names.reviewRole, `Plan review of ${spec.stack} (trusted): sha256 and summary`);
    this.health = build('health', names.healthRole, `AWS Health gate of ${spec.stack}`);
    this.apply = new StageRole(this, 'apply', {
      roleName: names.applyRole,
      description: `Apply build of ${spec.stack} (trusted): deploys ${spec.environment} only`,
      service: 'codebuild.amazonaws.com',
      account,
      sourceArn: project('apply'),
      // The apply step narrows its credentials to the one stack it applies (lib/apply-session-policy.ts).
      narrowsItself: { partition },
    });
    const codecommit = spec.pipeline.source.kind === 'codecommit';
    const drift = spec.settings.driftSchedule !== undefined;
    this.trigger = codecommit ? build('trigger', names.triggerRole, `Tag trigger of ${spec.stack} (trusted)`, spec.repositoryRegion) : undefined;
    this.drift = drift ? build('drift', names.driftRole, `Drift detection of ${spec.stack}: view-only, no writes`) : undefined;
    this.events =
      codecommit || drift
        ? new StageRole(this, 'events', {
            roleName: names.eventsRole,
            description: `EventBridge rules of ${spec.stack}`,
            service: 'events.amazonaws.com',
            account,
            sourceArn: eventsRuleArn(partition, '*', account, `${spec.name}-*`),
          })
        : undefined;
  }

  /** Roles of the builds the pipeline runs (they use the pipeline key for artifacts and logs). */
  get pipelineBuildRoles(): StageRole[] {
    return [this.release, this.validate, this.scan, this.plan, this.review, this.health, this.apply];
  }

  /** Every principal that may touch the environment's state and locks. */
  get stateRoles(): StageRole[] {
    return [this.plan, this.apply, ...(this.drift !== undefined ? [this.drift] : [])];
  }

  /** Principals that write pipeline artifacts (the bucket policy refuses every other writer). */
  get artifactWriters(): StageRole[] {
    return [this.pipeline, this.release, this.validate, this.plan];
  }

  /**
   * What each stage may do: the access table of the pipeline (docs/security.md). Each line is
   * scoped against a threat named in lib/pipeline-policies.ts.
   */
  grantStageNeeds(arns: ToolingArns, ledger: ReleaseLedger, scheduledProjects: readonly string[]): void {
    const { spec } = this;
    const { partition } = spec;
    this.pipeline.grant(pipelineStatements(spec, arns));
    // Release check: reads the source, records the release; nothing in the workload accounts.
    this.release.grant(
      readArtifacts(arns, ['Source']),
      writeArtifact(arns, 'Checked'),
      spec.pipeline.source.kind === 'connection' ? sourceReadStatements(spec) : [],
      logsStatement(arns),
    );
    ledger.grantRecord(this.release);
    // Validate: the tagged code synthesizes its stack; it writes the Synth artifact, nothing else.
    this.validate.grant(readArtifacts(arns, ['Checked']), writeArtifact(arns, 'Synth'), logsStatement(arns));
    this.scan.grant(readArtifacts(arns, ['Synth', 'Plan']), logsStatement(arns));
    // Plan: view-only in the workload accounts, reads state, takes locks, writes its own output.
    this.plan.grant(
      assumeWorkloadRoles(spec, spec.pipeline.planRoleName, 'AssumeViewOnlyRolesOfThisEnvironment'),
      stateStatements(spec, arns, { writeState: false, locks: true }),
      readArtifacts(arns, ['Synth']),
      writeArtifact(arns, 'Plan'),
      logsStatement(arns),
    );
    this.review.grant(readArtifacts(arns, ['Plan']), logsStatement(arns));
    this.health.grant(healthStatement(), readArtifacts(arns, ['Synth']), logsStatement(arns));
    // Apply: the deploy roles and the state of this environment; it writes no artifact.
    this.apply.grant(
      assumeWorkloadRoles(spec, spec.deployRoleName, 'AssumeDeployRolesOfThisEnvironment'),
      stateStatements(spec, arns, { writeState: true, locks: true }),
      readArtifacts(arns, ['Plan']),
      logsStatement(arns),
    );
    this.apply.grant({
      Sid: 'NarrowOwnSession',
      Effect: 'Allow',
      Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
      Resource: [iamRoleArn(partition, spec.account, spec.names.applyRole)],
    });
    ledger.grantMarkApplied(this.apply);
    if (this.trigger !== undefined) {
      this.trigger.grant(sourceReadStatements(spec), triggerStatements(spec, arns), logsStatement(arns));
      ledger.grantRecord(this.trigger);
    }
    if (this.drift !== undefined) {
      // Drift: view-only, reads state without locks (-lock=false), reads the ledger, reports.
      this.drift.grant(
        assumeWorkloadRoles(spec, spec.pipeline.planRoleName, 'AssumeViewOnlyRolesOfThisEnvironment'),
        stateStatements(spec, arns, { writeState: false, locks: false }),
        sourceReadStatements(spec),
        publishStatement(arns, 'PublishDriftReports'),
        logsStatement(arns),
      );
      ledger.grantRead(this.drift);
    }
    this.events?.grant(startBuildsStatement(scheduledProjects));
  }
}
