import { formatArn } from './arn';
import { boundedName } from './name-rules';
import type { PolicyDocument, PolicyStatement } from './pipeline-policies';
import type { Partition } from './regions';

/**
 * IAM documents of the roles an access stack creates in a workload account, as plain data.
 */

/** IAM actions that change a role's trust, permissions or boundary, or remove it. */
const ROLE_CHANGES = [
  'iam:UpdateAssumeRolePolicy',
  'iam:DeleteRole',
  'iam:UpdateRole',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:TagRole',
  'iam:UntagRole',
];

/**
 * The permissions boundary of the deploy role. The deploy role keeps what its managed policies
 * grant (AdministratorAccess by default: the workloads need it), except what would let a release
 * break the trust chain of the pipeline. Threats: a release that rewrites the deploy role's own
 * trust (anyone may then assume it) or lifts its boundary; one that edits the view-only role or
 * the organisation's access role (a way back in after review); long-lived credentials that
 * outlive the pipeline (IAM users, access keys, console passwords).
 */
/** The name of the deploy role's permissions boundary in a workload account. */
export function deployBoundaryName(deployRoleName: string): string {
  return boundedName([deployRoleName, 'boundary'], 128);
}

export function deployBoundaryPolicy(protectedRoleArns: readonly string[], boundaryArn: string): PolicyDocument {
  const statements: PolicyStatement[] = [
    { Sid: 'AllowWhatTheDeployPoliciesGrant', Effect: 'Allow', Action: '*', Resource: '*' },
    { Sid: 'DenyChangingPipelineAndAccessRoles', Effect: 'Deny', Action: ROLE_CHANGES, Resource: [...protectedRoleArns] },
    {
      Sid: 'DenyChangingThisBoundary',
      Effect: 'Deny',
      Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy'],
      Resource: [boundaryArn],
    },
    // A release could create a role without a boundary (AdministratorAccess, trusting an outside
    // account or an OIDC provider) and use it to undo every denial here: every role it creates or
    // re-bounds must carry this same boundary, and no boundary may be removed.
    {
      Sid: 'DenyRolesWithoutThisBoundary',
      Effect: 'Deny',
      Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
      Resource: '*',
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': boundaryArn } },
    },
    { Sid: 'DenyRemovingBoundaries', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'], Resource: '*' },
    // A federated way in (an OIDC or SAML provider the release trusts) outlives the pipeline.
    {
      Sid: 'DenyIdentityProviders',
      Effect: 'Deny',
      Action: [
        'iam:CreateOpenIDConnectProvider',
        'iam:UpdateOpenIDConnectProviderThumbprint',
        'iam:AddClientIDToOpenIDConnectProvider',
        'iam:CreateSAMLProvider',
        'iam:UpdateSAMLProvider',
      ],
      Resource: '*',
    },
    // The record of what a release did stays: no release stops or rewrites the audit trail.
    {
      Sid: 'DenyAuditTampering',
      Effect: 'Deny',
      Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors'],
      Resource: '*',
    },
    {
      Sid: 'DenyLongLivedCredentials',
      Effect: 'Deny',
      Action: [
        'iam:CreateUser',
        'iam:CreateAccessKey',
        'iam:UpdateAccessKey',
        'iam:CreateLoginProfile',
        'iam:UpdateLoginProfile',
        'iam:CreateServiceSpecificCredential',
        'iam:UploadSSHPublicKey',
      ],
      Resource: '*',
    },
  ];
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * What terraform needs beyond ViewOnlyAccess to refresh the resources of the shipped workloads:
 * configuration reads (Get/Describe/List of metadata). ViewOnlyAccess alone lists resources but
 * cannot read, for example, a bucket's encryption or a role's policies.
 */
export const TERRAFORM_REFRESH_READS = [
  'autoscaling:Describe*',
  'ec2:Describe*',
  'ec2:GetLaunchTemplateData',
  'elasticloadbalancing:Describe*',
  'iam:GetInstanceProfile',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:ListRolePolicies',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListResourceTags',
  'logs:DescribeLogGroups',
  'logs:ListTagsForResource',
  's3:GetAccelerateConfiguration',
  's3:GetBucketAcl',
  's3:GetBucketCORS',
  's3:GetBucketLocation',
  's3:GetBucketLogging',
  's3:GetBucketObjectLockConfiguration',
  's3:GetBucketOwnershipControls',
  's3:GetBucketPolicy',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketRequestPayment',
  's3:GetBucketTagging',
  's3:GetBucketVersioning',
  's3:GetBucketWebsite',
  's3:GetEncryptionConfiguration',
  's3:GetLifecycleConfiguration',
  's3:GetReplicationConfiguration',
  'ssm:GetParameter',
];

/**
 * The view-only role's reads: terraform's refresh reads, plus explicit denies of the data planes
 * a plan never needs. Threat: the plan and drift stages run the tagged commit's code (terraform
 * plans run providers and data sources); with ReadOnlyAccess that code could read every object,
 * item, secret and parameter of the account and leak it.
 */
export function viewOnlyReadsPolicy(partition: Partition, account: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'TerraformRefreshReads', Effect: 'Allow', Action: [...TERRAFORM_REFRESH_READS], Resource: '*' },
      {
        Sid: 'DenyDataReads',
        Effect: 'Deny',
        Action: [
          's3:GetObject',
          's3:GetObjectVersion',
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:Scan',
          'secretsmanager:GetSecretValue',
          'kms:Decrypt',
          'sqs:ReceiveMessage',
          'kinesis:GetRecords',
        ],
        Resource: '*',
      },
      // The account's own parameters may hold secrets; AWS's public ones (AMI ids) carry no account.
      {
        Sid: 'DenyOwnParameters',
        Effect: 'Deny',
        Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
        Resource: formatArn({ partition, service: 'ssm', region: '*', account, resource: 'parameter/*' }),
      },
    ],
  };
}

/**
 * A trust policy naming exact principals of the tooling account; no account root, no wildcard.
 * SetSourceIdentity lets the pipeline carry the release (commit and tag) into CloudTrail.
 */
export function roleTrustPolicy(principals: readonly string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TrustOnlyThisEnvironmentsPipelineRoles',
        Effect: 'Allow',
        Principal: { AWS: [...principals] },
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
      },
    ],
  };
}
