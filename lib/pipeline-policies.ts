import type { ToolingSpec } from './pipeline-spec';

/**
 * IAM policy documents of a tooling stack's roles, as plain data: each role reaches only its own
 * environment's accounts, state keys, lock items, buckets and projects. ARNs of resources created
 * in the same stack are passed in (they may be Terraform references).
 */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Principal?: { readonly Service?: string; readonly AWS?: string[] };
  readonly Resource?: string[] | string;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

export interface ToolingArns {
  readonly pipelineKey: string;
  readonly stateKey: string;
  readonly artifactsBucket: string;
  readonly sourceBucket: string;
  readonly topic: string;
  readonly pipeline: string;
  /** Log groups of the build projects (`arn:...:log-group:/aws/codebuild/<base>-*`). */
  readonly logGroups: string;
  /** CodeBuild projects of this pipeline (`arn:...:project/<base>-*`). */
  readonly projects: string;
  /** Projects EventBridge starts: the codecommit trigger build and the drift build. */
  readonly scheduledProjects: readonly string[];
}

const doc = (statements: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

function s3Arn(spec: ToolingSpec, bucket: string, key?: string): string {
  return `arn:${spec.partition}:s3:::${bucket}${key !== undefined ? `/${key}` : ''}`;
}

function lockTableArn(spec: ToolingSpec): string | undefined {
  const { lockTable, region } = spec.state;
  return lockTable === null ? undefined : `arn:${spec.partition}:dynamodb:${region}:${spec.account}:table/${lockTable}`;
}

/** The roles in the workload accounts of this environment, by name. */
export function workloadRoleArns(spec: ToolingSpec, roleName: string): string[] {
  return spec.targets.map((t) => `arn:${spec.partition}:iam::${t.account}:role/${roleName}`);
}

function logsStatement(arns: ToolingArns): PolicyStatement {
  return { Sid: 'WriteBuildLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [arns.logGroups, `${arns.logGroups}:*`] };
}

function artifactsStatements(arns: ToolingArns, write: boolean): PolicyStatement[] {
  return [
    {
      Sid: write ? 'ReadWritePipelineArtifacts' : 'ReadPipelineArtifacts',
      Effect: 'Allow',
      Action: write ? ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'] : ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: [`${arns.artifactsBucket}/*`],
    },
    { Sid: 'UsePipelineKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: [arns.pipelineKey] },
  ];
}

/**
 * State access of one environment: read the stacks' state keys, and write only their lock
 * objects (S3 native locking) or lock items (DynamoDB, `dynamodb:LeadingKeys` per state file).
 * `write` adds writing the state itself (the apply role).
 */
function stateStatements(spec: ToolingSpec, arns: ToolingArns, write: boolean): PolicyStatement[] {
  const { bucket } = spec.state;
  const keys = spec.state.stackKeys;
  const statements: PolicyStatement[] = [
    {
      Sid: 'ListOwnStateKeys',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [s3Arn(spec, bucket)],
      Condition: { StringLike: { 's3:prefix': keys.map((k) => k.slice(0, k.lastIndexOf('/') + 1) + '*') } },
    },
    {
      Sid: write ? 'ReadWriteState' : 'ReadState',
      Effect: 'Allow',
      Action: write ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'],
      Resource: keys.map((k) => s3Arn(spec, bucket, k)),
    },
    { Sid: 'UseStateKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: [arns.stateKey] },
  ];
  if (spec.state.useLockfile) {
    statements.push({
      Sid: 'S3NativeLocks',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: keys.map((k) => s3Arn(spec, bucket, `${k}.tflock`)),
    });
  }
  const table = lockTableArn(spec);
  if (table !== undefined) {
    statements.push({
      Sid: 'DynamoDbLocks',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable'],
      Resource: [table],
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': keys.flatMap((k) => [`${bucket}/${k}`, `${bucket}/${k}-md5`]) } },
    });
  }
  return statements;
}

/** Validate, scan, plan, health check and drift detection: read-only in the workload accounts. */
export function planRolePolicy(spec: ToolingSpec, arns: ToolingArns): PolicyDocument {
  return doc([
    { Sid: 'AssumeReadOnlyRolesOfThisEnvironment', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: workloadRoleArns(spec, spec.pipeline.planRoleName) },
    ...stateStatements(spec, arns, false),
    ...artifactsStatements(arns, true),
    logsStatement(arns),
    { Sid: 'ReadAwsHealth', Effect: 'Allow', Action: ['health:DescribeEvents'], Resource: '*' },
    { Sid: 'PublishDriftReports', Effect: 'Allow', Action: ['sns:Publish'], Resource: [arns.topic] },
    ...sourceReadStatements(spec),
  ]);
}

/** Apply: the deploy role of this environment's accounts and its state, nothing else. */
export function applyRolePolicy(spec: ToolingSpec, arns: ToolingArns): PolicyDocument {
  return doc([
    { Sid: 'AssumeDeployRolesOfThisEnvironment', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: workloadRoleArns(spec, spec.deployRoleName) },
    ...stateStatements(spec, arns, true),
    ...artifactsStatements(arns, false),
    logsStatement(arns),
  ]);
}

/** The codecommit trigger build: clone the repository, upload the source, start this pipeline. */
export function triggerRolePolicy(spec: ToolingSpec, arns: ToolingArns): PolicyDocument {
  return doc([
    ...sourceReadStatements(spec),
    { Sid: 'UploadReleaseSource', Effect: 'Allow', Action: ['s3:PutObject'], Resource: [`${arns.sourceBucket}/${spec.names.sourceKey}`] },
    { Sid: 'EncryptReleaseSource', Effect: 'Allow', Action: ['kms:GenerateDataKey*', 'kms:Encrypt', 'kms:DescribeKey'], Resource: [arns.pipelineKey] },
    { Sid: 'StartThisPipeline', Effect: 'Allow', Action: ['codepipeline:StartPipelineExecution'], Resource: [arns.pipeline] },
    logsStatement(arns),
  ]);
}

/** CodePipeline's own role: artifacts, the source object, its build projects, the topic. */
export function pipelineRolePolicy(spec: ToolingSpec, arns: ToolingArns): PolicyDocument {
  const statements: PolicyStatement[] = [
    ...artifactsStatements(arns, true),
    { Sid: 'ReadReleaseSource', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetBucketVersioning'], Resource: [arns.sourceBucket, `${arns.sourceBucket}/${spec.names.sourceKey}`] },
    { Sid: 'RunOwnBuilds', Effect: 'Allow', Action: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild'], Resource: [arns.projects] },
    { Sid: 'NotifyApprovers', Effect: 'Allow', Action: ['sns:Publish'], Resource: [arns.topic] },
  ];
  if (spec.pipeline.source.kind === 'connection' && spec.pipeline.source.connectionArn !== undefined) {
    statements.push({ Sid: 'UseConnection', Effect: 'Allow', Action: ['codeconnections:UseConnection', 'codestar-connections:UseConnection'], Resource: [spec.pipeline.source.connectionArn] });
  }
  return doc(statements);
}

/** EventBridge: start the trigger build (CodeCommit events) and the drift build (schedule). */
export function eventsRolePolicy(arns: ToolingArns): PolicyDocument {
  return doc([{ Sid: 'StartTriggerAndDriftBuilds', Effect: 'Allow', Action: ['codebuild:StartBuild'], Resource: [...arns.scheduledProjects] }]);
}

function sourceReadStatements(spec: ToolingSpec): PolicyStatement[] {
  const { source } = spec.pipeline;
  if (source.kind === 'codecommit') {
    return [{ Sid: 'CloneRepository', Effect: 'Allow', Action: ['codecommit:GitPull'], Resource: [`arn:${spec.partition}:codecommit:${spec.repositoryRegion}:${spec.account}:${source.repository}`] }];
  }
  return source.connectionArn === undefined ? [] : [{ Sid: 'CloneThroughConnection', Effect: 'Allow', Action: ['codeconnections:UseConnection', 'codestar-connections:UseConnection', 'codeconnections:GetConnectionToken', 'codestar-connections:GetConnectionToken'], Resource: [source.connectionArn] }];
}

/** A service trust policy bound to this account and, where known, the calling resource. */
export function serviceTrustPolicy(service: string, account: string, sourceArn?: string): PolicyDocument {
  const condition: Record<string, Record<string, string>> = { StringEquals: { 'aws:SourceAccount': account } };
  if (sourceArn !== undefined) condition.ArnLike = { 'aws:SourceArn': sourceArn };
  return doc([{ Sid: 'TrustOnlyThisAccountsService', Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole'], Condition: condition }]);
}
