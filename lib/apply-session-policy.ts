import { dynamodbTableArn, kmsKeysArn, s3Arn } from './arn';
import type { PolicyDocument, PolicyStatement } from './pipeline-policies';
import type { ToolingSpec } from './pipeline-spec';
import type { StackSpec, StateBackend } from './stack-spec';

/** AWS refuses session policies longer than this (plain text). */
export const MAX_SESSION_POLICY_LENGTH = 2048;

const aliasOf = (backend: StateBackend): string => `alias/${backend.kmsKeyId.split(':alias/')[1]}`;

/**
 * The session policy the trusted apply step puts on its own credentials before terraform runs:
 * the apply role narrowed to one stack. Threat: terraform applies a saved plan to the backend
 * recorded *in the plan file*, and the plan file comes from a build that runs the tagged code; a
 * plan made against another stack's state key of the same environment would otherwise be applied
 * there. With this session, terraform can write only this stack's state and lock, read only this
 * stack's state and its team's global state, and assume only this stack's deploy role.
 */
export function applySessionPolicy(spec: ToolingSpec, stack: StackSpec, globalState: StateBackend | undefined): PolicyDocument {
  const { partition, account } = spec;
  const backend = stack.backend;
  const statements: PolicyStatement[] = [
    { Sid: 'ThisStackState', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [s3Arn(partition, backend.bucket, backend.key)] },
    { Sid: 'ListStateBucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [s3Arn(partition, backend.bucket)] },
  ];
  if (backend.useLockfile) {
    statements.push({
      Sid: 'ThisStackLockFile',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: [s3Arn(partition, backend.bucket, `${backend.key}.tflock`)],
    });
  }
  if (backend.dynamodbTable !== null) {
    statements.push({
      Sid: 'ThisStackLockItems',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable'],
      Resource: [dynamodbTableArn(partition, backend.region, account, backend.dynamodbTable)],
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`${backend.bucket}/${backend.key}`, `${backend.bucket}/${backend.key}-md5`] } },
    });
  }
  statements.push({
    Sid: 'StateKey',
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    Resource: [kmsKeysArn(partition, backend.region, account)],
    Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [aliasOf(backend)] } },
  });
  if (globalState !== undefined && globalState.key !== backend.key) {
    statements.push({
      Sid: 'ReadTeamGlobalState',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [s3Arn(partition, globalState.bucket, globalState.key)],
    });
    if (globalState.kmsKeyId !== backend.kmsKeyId) {
      statements.push({
        Sid: 'DecryptTeamGlobalState',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: [kmsKeysArn(partition, globalState.region, account)],
        Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [aliasOf(globalState)] } },
      });
    }
  }
  statements.push({ Sid: 'ThisStackDeployRole', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: [stack.roleArn] });
  return { Version: '2012-10-17', Statement: statements };
}
