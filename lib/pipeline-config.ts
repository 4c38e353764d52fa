/**
 * The `pipeline` sections of the organisation config: project-wide settings in project.yaml
 * (where the code comes from, the build image, the roles) and per-environment settings in
 * `<env>.yaml` (approval, health check, drift detection, accepted checkov checks,
 * notifications). The JSON Schemas check shapes; the semantic checks here report one problem per
 * line through the `report` callback, which adds `file:line: field.path:`.
 */
import { keyAdministratorProblems } from './key-administrators';

export type SourceKind = 'codecommit' | 'connection';

export interface PipelineSource {
  readonly kind: SourceKind;
  /** CodeCommit repository name, or `owner/name` of the repository behind a connection. */
  readonly repository: string;
  /** The release branch: the connection source action tracks it; tags are cut from it. */
  readonly branch: string;
  /** CodeConnections ARN; set only for `connection`. */
  readonly connectionArn: string | undefined;
}

export interface ProjectPipelineSettings {
  readonly source: PipelineSource;
  /** CodeBuild image: CodeBuild-managed (`aws/codebuild/...`) or ECR pinned by digest. */
  readonly image: string;
  /** CloudWatch Logs retention of every build log group, in days. */
  readonly logRetentionDays: number;
  /** Read-only role in each workload account that the plan stage assumes. */
  readonly planRoleName: string;
  /** Role an administrator assumes in a workload account to deploy its access stack the first time. */
  readonly bootstrapRoleName: string;
  /** At least two stable IAM roles of the tooling account that administer the keys and may use state by hand. */
  readonly administrators: readonly string[];
  /** Managed policies attached to the deploy role in each workload account; undefined: AdministratorAccess of the partition. */
  readonly deployPolicyArns: readonly string[] | undefined;
}

export interface AcceptedCheck {
  readonly id: string;
  readonly reason: string;
}

export interface EnvironmentPipelineSettings {
  /** Manual approval between plan and apply. */
  readonly approval: boolean;
  /** Wait out open AWS Health issues in the target region before approval and apply. */
  readonly healthCheck: boolean;
  /** EventBridge schedule expression of the drift detection run, or undefined for none. */
  readonly driftSchedule: string | undefined;
  /** Checkov checks this environment accepts, each with the reason why. */
  readonly acceptedChecks: readonly AcceptedCheck[];
  /** E-mail addresses subscribed to the environment's notification topic. */
  readonly notificationEmails: readonly string[];
  /** Notify on succeeded executions too, not only failed ones. */
  readonly notifyOnSuccess: boolean;
}

export const DEFAULT_BUILD_IMAGE = 'aws/codebuild/amazonlinux-x86_64-standard:5.0';
export const DEFAULT_LOG_RETENTION_DAYS = 90;
export const DEFAULT_BOOTSTRAP_ROLE_NAME = 'OrganizationAccountAccessRole';
export const MIN_ACCEPTED_CHECK_REASON = 10;

/** Retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Approval on, everything optional off: an environment that says nothing still asks a human. */
export const DEFAULT_ENVIRONMENT_PIPELINE: EnvironmentPipelineSettings = {
  approval: true,
  healthCheck: false,
  driftSchedule: undefined,
  acceptedChecks: [],
  notificationEmails: [],
  notifyOnSuccess: false,
};

export interface RawProjectPipeline {
  source: { kind: SourceKind; repository: string; branch?: string; connectionArn?: string };
  image?: string;
  logRetentionDays?: number;
  planRoleName?: string;
  bootstrapRoleName?: string;
  administrators?: string[];
  deployPolicyArns?: string[];
}

export interface RawEnvironmentPipeline {
  approval?: boolean;
  healthCheck?: boolean;
  driftDetection?: { schedule: string };
  acceptedChecks?: Record<string, string>;
  notifications?: { emails?: string[]; onSuccess?: boolean };
}

/** Reports one problem at a field path (relative to the document root). */
export type Reporter = (fieldPath: (string | number)[], message: string) => void;

const CONNECTION_ARN = /^arn:aws(-[a-z]+)*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection\/[0-9a-f-]{36}$/;
const MANAGED_IMAGE = /^aws\/codebuild\/[a-z0-9._-]+:[0-9][0-9.]*$/;
const ECR_IMAGE = /^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9._/-]+(:[A-Za-z0-9._-]+)?@sha256:[0-9a-f]{64}$/;
const ECR_HOST = /^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

/**
 * Why a build image is not acceptable, or undefined. Docker Hub images are refused: anonymous
 * pulls are rate limited per IP (CodeBuild shares IPs) and tags are mutable. ECR images must be
 * pinned by digest so every build runs the same bits.
 */
export function buildImageProblem(image: string): string | undefined {
  if (MANAGED_IMAGE.test(image) || ECR_IMAGE.test(image)) return undefined;
  if (ECR_HOST.test(image)) {
    return `ECR image '${image}' is not pinned: append its digest, e.g. ...@sha256:<64 hex digits>, so every build runs the same image`;
  }
  return `'${image}' is neither a CodeBuild-managed image (aws/codebuild/<name>:<version>) nor an ECR image pinned by digest; Docker Hub images are refused (pull rate limits, mutable tags): copy the image to ECR`;
}

/** Why an EventBridge schedule expression is not acceptable, or undefined. */
export function scheduleProblem(expression: string): string | undefined {
  const rate = /^rate\(([1-9][0-9]*) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate !== null) {
    const count = Number(rate[1]);
    const singular = !rate[2].endsWith('s');
    if (singular !== (count === 1)) return `'${expression}': use '${rate[2].replace(/s$/, '')}' with 1 and '${rate[2].replace(/s?$/, 's')}' otherwise`;
    const minutes = count * (rate[2].startsWith('minute') ? 1 : rate[2].startsWith('hour') ? 60 : 1440);
    if (minutes < 60) return `'${expression}' runs more often than hourly: drift detection plans every stack, use at least rate(1 hour)`;
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron !== null) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6)
      return `'${expression}' has ${fields.length} fields, an EventBridge cron has 6 (minutes hours day-of-month month day-of-week year), e.g. cron(0 6 * * ? *)`;
    if (fields[2] !== '?' && fields[4] !== '?') return `'${expression}': one of day-of-month and day-of-week must be '?', e.g. cron(0 6 * * ? *)`;
    if (!/^[0-9]+$/.test(fields[0])) return `'${expression}': the minutes field must be one number (at most one run per hour)`;
    return undefined;
  }
  return `'${expression}' is not an EventBridge schedule expression (expected rate(1 day) or cron(0 6 * * ? *))`;
}

/** Resolves and checks the project-level `pipeline` section. */
export function projectPipelineFrom(
  raw: RawProjectPipeline | undefined,
  deployRoleName: string,
  toolingAccount: string,
  report: Reporter,
): ProjectPipelineSettings | undefined {
  if (raw === undefined) return undefined;
  const { source } = raw;
  if (source.kind === 'connection') {
    if (source.connectionArn === undefined) {
      report(['pipeline', 'source'], `missing field 'connectionArn': a connection source needs the CodeConnections connection ARN`);
    } else if (!CONNECTION_ARN.test(source.connectionArn)) {
      report(
        ['pipeline', 'source', 'connectionArn'],
        `'${source.connectionArn}' is not a CodeConnections ARN (expected arn:aws:codeconnections:<region>:<account>:connection/<uuid>)`,
      );
    }
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(source.repository)) {
      report(['pipeline', 'source', 'repository'], `'${source.repository}' is not an owner/name repository id (a connection source needs e.g. my-org/infra)`);
    }
  } else {
    if (source.connectionArn !== undefined) {
      report(['pipeline', 'source', 'connectionArn'], `a codecommit source has no connection: remove connectionArn or set kind: connection`);
    }
    if (!/^[A-Za-z0-9_.-]{1,100}$/.test(source.repository)) {
      report(
        ['pipeline', 'source', 'repository'],
        `'${source.repository}' is not a CodeCommit repository name (letters, digits, '.', '_' and '-', at most 100)`,
      );
    }
  }
  const image = raw.image ?? DEFAULT_BUILD_IMAGE;
  const imageProblem = buildImageProblem(image);
  if (imageProblem !== undefined) report(['pipeline', 'image'], imageProblem);
  const retention = raw.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
    report(['pipeline', 'logRetentionDays'], `${retention} is not a retention CloudWatch Logs accepts (expected one of ${LOG_RETENTION_DAYS.join(', ')})`);
  }
  const planRoleName = raw.planRoleName ?? `${deployRoleName}-ReadOnly`.slice(0, 64);
  if (planRoleName === deployRoleName) {
    report(['pipeline', 'planRoleName'], `'${planRoleName}' is the deploy role: the plan stage needs its own read-only role`);
  }
  for (const [i, message] of keyAdministratorProblems(raw.administrators, toolingAccount)) {
    report(['pipeline', 'administrators', ...(i !== undefined ? [i] : [])], message);
  }
  return {
    source: { kind: source.kind, repository: source.repository, branch: source.branch ?? 'main', connectionArn: source.connectionArn },
    image,
    logRetentionDays: retention,
    planRoleName,
    bootstrapRoleName: raw.bootstrapRoleName ?? DEFAULT_BOOTSTRAP_ROLE_NAME,
    administrators: raw.administrators ?? [],
    deployPolicyArns: raw.deployPolicyArns,
  };
}

/** Resolves and checks an environment's `pipeline` section (defaults when it is absent). */
export function environmentPipelineFrom(raw: RawEnvironmentPipeline | undefined, report: Reporter): EnvironmentPipelineSettings {
  if (raw === undefined) return DEFAULT_ENVIRONMENT_PIPELINE;
  const schedule = raw.driftDetection?.schedule;
  if (schedule !== undefined) {
    const problem = scheduleProblem(schedule);
    if (problem !== undefined) report(['pipeline', 'driftDetection', 'schedule'], problem);
  }
  const acceptedChecks: AcceptedCheck[] = [];
  for (const [id, reason] of Object.entries(raw.acceptedChecks ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (reason.trim().length < MIN_ACCEPTED_CHECK_REASON) {
      report(
        ['pipeline', 'acceptedChecks', id],
        `accepting ${id} needs a reason of at least ${MIN_ACCEPTED_CHECK_REASON} characters saying why the finding is acceptable here`,
      );
    }
    acceptedChecks.push({ id, reason: reason.trim() });
  }
  return {
    approval: raw.approval ?? DEFAULT_ENVIRONMENT_PIPELINE.approval,
    healthCheck: raw.healthCheck ?? DEFAULT_ENVIRONMENT_PIPELINE.healthCheck,
    driftSchedule: schedule,
    acceptedChecks,
    notificationEmails: raw.notifications?.emails ?? [],
    notifyOnSuccess: raw.notifications?.onSuccess ?? false,
  };
}
