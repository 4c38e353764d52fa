import { codecommitRepositoryArn, dynamodbTableArn, iamRoleArn, kmsKeysArn, s3Arn } from './arn';
import type { ToolingSpec } from './pipeline-spec';

/**
 * IAM statements of a tooling stack's roles, as plain data. Each pipeline stage has its own role
 * and each grant below is one capability a stage needs; the constructs in modules/pipeline/
 * compose them (`role.grant(...)`). ARNs of resources created in the same stack are passed in
 * (they may be Terraform references). Every grant names the threat it is scoped against.
 */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[] | string;
  readonly Principal?: { readonly Service?: string; readonly AWS?: string[] | string } | '*';
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
}

/** The pipeline's artifacts: each has a name of at most 10 characters (CodePipeline keeps 10 in the key). */
export type ArtifactName = 'Source' | 'Checked' | 'Synth' | 'Plan';

export const doc = (statements: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

function lockTableArn(spec: ToolingSpec): string | undefined {
  const { lockTable, region } = spec.state;
  return lockTable === null ? undefined : dynamodbTableArn(spec.partition, region, spec.account, lockTable);
}

/** The roles in the workload accounts of this environment, by name. */
export function workloadRoleArns(spec: ToolingSpec, roleName: string): string[] {
  return spec.targets.map((t) => iamRoleArn(spec.partition, t.account, roleName));
}

/** Objects of one artifact: `<bucket>/<pipeline>/<artifact>/<id>`; `*` spans the pipeline prefix. */
export function artifactObjects(arns: ToolingArns, artifact: ArtifactName): string {
  return `${arns.artifactsBucket}/*/${artifact}/*`;
}

export function logsStatement(arns: ToolingArns): PolicyStatement {
  return { Sid: 'WriteBuildLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [arns.logGroups, `${arns.logGroups}:*`] };
}

/** Threat: a stage reading another stage's output it has no use for. */
export function readArtifacts(arns: ToolingArns, artifacts: readonly ArtifactName[]): PolicyStatement[] {
  return [
    {
      Sid: `Read${artifacts.join('')}Artifacts`,
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: artifacts.map((a) => artifactObjects(arns, a)),
    },
    { Sid: 'DecryptWithPipelineKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: [arns.pipelineKey] },
  ];
}

/** Threat: a stage that runs the tagged code rewriting another stage's artifact (the plan, the checked source). */
export function writeArtifact(arns: ToolingArns, artifact: ArtifactName): PolicyStatement[] {
  return [
    { Sid: `Write${artifact}Artifact`, Effect: 'Allow', Action: ['s3:PutObject'], Resource: [artifactObjects(arns, artifact)] },
    { Sid: `EncryptWithPipelineKeyFor${artifact}`, Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Encrypt'], Resource: [arns.pipelineKey] },
  ];
}

export interface StateAccess {
  /** Write the state objects themselves (apply). */
  readonly writeState: boolean;
  /** Take and release locks (plan, apply); drift plans with -lock=false. */
  readonly locks: boolean;
}

/**
 * State of one environment: read the stacks' state keys; `locks` adds their lock objects (S3
 * native locking) or lock items (DynamoDB, `dynamodb:LeadingKeys` per state file); `writeState`
 * adds writing the state. In the central layout the keys include each team's global state, which
 * regional stacks read through `terraform_remote_state`.
 */
export function stateStatements(spec: ToolingSpec, arns: ToolingArns, access: StateAccess): PolicyStatement[] {
  const { bucket } = spec.state;
  const keys = spec.state.stackKeys;
  const statements: PolicyStatement[] = [
    {
      Sid: 'ListOwnStateKeys',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [s3Arn(spec.partition, bucket)],
      Condition: { StringLike: { 's3:prefix': [...new Set(keys.map((k) => k.slice(0, k.lastIndexOf('/') + 1) + '*'))] } },
    },
    {
      Sid: access.writeState ? 'ReadWriteState' : 'ReadState',
      Effect: 'Allow',
      Action: access.writeState ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'],
      Resource: keys.map((k) => s3Arn(spec.partition, bucket, k)),
    },
    {
      // Threat: a read-only stage encrypting (writing) state. Readers only decrypt.
      Sid: 'UseStateKey',
      Effect: 'Allow',
      Action: access.writeState || access.locks ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'] : ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: [arns.stateKey],
    },
  ];
  const remote = spec.state.remoteStates;
  if (remote.length > 0) {
    // Regional layout: a regional stack reads its team's global state (terraform_remote_state)
    // from the global region's store, with that store's key. Read only, those objects only.
    statements.push(
      { Sid: 'ReadGlobalStatesOfTheseTeams', Effect: 'Allow', Action: ['s3:GetObject'], Resource: remote.map((b) => s3Arn(spec.partition, b.bucket, b.key)) },
      {
        Sid: 'DecryptGlobalStatesOfTheseTeams',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: [...new Set(remote.map((b) => kmsKeysArn(spec.partition, b.region, spec.account)))],
        Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [...new Set(remote.map((b) => `alias/${b.kmsKeyId.split(':alias/')[1]}`))] } },
      },
    );
  }
  if (!access.locks) return statements;
  if (spec.state.useLockfile) {
    statements.push({
      Sid: 'S3NativeLocks',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: keys.map((k) => s3Arn(spec.partition, bucket, `${k}.tflock`)),
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

/** Threat: a stage reaching workload accounts of another environment, or with more than it needs there. */
export function assumeWorkloadRoles(spec: ToolingSpec, roleName: string, sid: string): PolicyStatement {
  // SetSourceIdentity: the release (commit and tag) is carried into CloudTrail of the workload account.
  return { Sid: sid, Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: workloadRoleArns(spec, roleName) };
}

/** The release ledger: record a release (trigger, release check), mark it applied (apply), read it (drift). */
export function ledgerStatement(tableArn: string, use: 'record' | 'mark-applied' | 'read'): PolicyStatement {
  const actions = { record: ['dynamodb:PutItem', 'dynamodb:GetItem'], 'mark-applied': ['dynamodb:UpdateItem'], read: ['dynamodb:Scan', 'dynamodb:GetItem'] }[
    use
  ];
  return {
    Sid: { record: 'RecordReleases', 'mark-applied': 'MarkReleasesApplied', read: 'ReadReleaseLedger' }[use],
    Effect: 'Allow',
    Action: actions,
    Resource: [tableArn],
  };
}

export function healthStatement(): PolicyStatement {
  // Health has no resource-level permissions: DescribeEvents takes only '*'.
  return { Sid: 'ReadAwsHealth', Effect: 'Allow', Action: ['health:DescribeEvents'], Resource: '*' };
}

export function publishStatement(arns: ToolingArns, sid: string): PolicyStatement {
  return { Sid: sid, Effect: 'Allow', Action: ['sns:Publish'], Resource: [arns.topic] };
}

/** Clone the repository (trigger, drift) or read it through the connection (release check). */
export function sourceReadStatements(spec: ToolingSpec): PolicyStatement[] {
  const { source } = spec.pipeline;
  if (source.kind === 'codecommit') {
    return [
      {
        Sid: 'CloneRepository',
        Effect: 'Allow',
        Action: ['codecommit:GitPull'],
        Resource: [codecommitRepositoryArn(spec.partition, spec.repositoryRegion, spec.account, source.repository)],
      },
    ];
  }
  return source.connectionArn === undefined
    ? []
    : [
        {
          Sid: 'CloneThroughConnection',
          Effect: 'Allow',
          Action: [
            'codeconnections:UseConnection',
            'codestar-connections:UseConnection',
            'codeconnections:GetConnectionToken',
            'codestar-connections:GetConnectionToken',
          ],
          Resource: [source.connectionArn],
        },
      ];
}

/** The codecommit trigger build: upload the checked source and start this pipeline on it. */
export function triggerStatements(spec: ToolingSpec, arns: ToolingArns): PolicyStatement[] {
  return [
    { Sid: 'UploadReleaseSource', Effect: 'Allow', Action: ['s3:PutObject'], Resource: [`${arns.sourceBucket}/${spec.names.sourceKey}`] },
    { Sid: 'EncryptReleaseSource', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Encrypt'], Resource: [arns.pipelineKey] },
    { Sid: 'StartThisPipeline', Effect: 'Allow', Action: ['codepipeline:StartPipelineExecution'], Resource: [arns.pipeline] },
  ];
}

/** CodePipeline's own role: artifacts, the source object, its build projects, the approvers' topic. */
export function pipelineStatements(spec: ToolingSpec, arns: ToolingArns): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    { Sid: 'PassArtifacts', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], Resource: [`${arns.artifactsBucket}/*`] },
    { Sid: 'UsePipelineKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: [arns.pipelineKey] },
    {
      Sid: 'ReadReleaseSource',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetBucketVersioning'],
      Resource: [arns.sourceBucket, `${arns.sourceBucket}/${spec.names.sourceKey}`],
    },
    { Sid: 'RunOwnBuilds', Effect: 'Allow', Action: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild'], Resource: [arns.projects] },
    publishStatement(arns, 'NotifyApprovers'),
  ];
  if (spec.pipeline.source.kind === 'connection' && spec.pipeline.source.connectionArn !== undefined) {
    statements.push({
      Sid: 'UseConnection',
      Effect: 'Allow',
      Action: ['codeconnections:UseConnection', 'codestar-connections:UseConnection'],
      Resource: [spec.pipeline.source.connectionArn],
    });
  }
  return statements;
}

/** EventBridge: start the trigger build (CodeCommit events) and the drift build (schedule). */
export function startBuildsStatement(projects: readonly string[]): PolicyStatement {
  return { Sid: 'StartTriggerAndDriftBuilds', Effect: 'Allow', Action: ['codebuild:StartBuild'], Resource: [...projects] };
}

/** A service trust policy bound to this account and, where known, the calling resource. */
export function serviceTrustPolicy(service: string, account: string, sourceArn?: string): PolicyDocument {
  const condition: Record<string, Record<string, string>> = { StringEquals: { 'aws:SourceAccount': account } };
  if (sourceArn !== undefined) condition.ArnLike = { 'aws:SourceArn': sourceArn };
  return doc([{ Sid: 'TrustOnlyThisAccountsService', Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole'], Condition: condition }]);
}
