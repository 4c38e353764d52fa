import { TerraformOutput } from 'cdktf';
import { GuardedStack, isProduction } from './guarded-stack';
import { configureStateBackend } from './state-backend';
import type { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Organisation } from '../lib/config';
import type { AccessSpec } from '../lib/pipeline-spec';
import { ConstructError } from '../modules/construct-error';

export interface AccessStackProps {
  /** The validated organisation. */
  readonly org: Organisation;
  /** The (environment, team) whose workload account this stack prepares. */
  readonly spec: AccessSpec;
  /** Keep this stack's own state in this local file (an absolute path): the first deploy, before its bucket exists. @default - S3 state */
  readonly localStatePath?: string;
}

/** A trust policy naming exact principals of the tooling account; no account root, no wildcard. */
export function roleTrustPolicy(principals: readonly string[]): object {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'TrustOnlyThisEnvironmentsPipelineRoles', Effect: 'Allow', Principal: { AWS: [...principals] }, Action: 'sts:AssumeRole' }],
  };
}

/**
 * The access stack of one team's workload account in one environment (`access-<env>-<team>`):
 * the deploy role that only this environment's apply roles may assume, and the read-only role
 * that only this environment's plan roles may assume. Deployed once by an administrator through
 * the account's bootstrap role, after the environment's tooling stacks exist.
 */
export class AccessStack extends GuardedStack {
  readonly spec: AccessSpec;

  constructor(scope: Construct, props: AccessStackProps) {
    const { spec, org } = props;
    super(scope, spec.stack, { stack: spec.stack, kind: 'access', account: spec.account, region: spec.region, environment: spec.environment, production: isProduction(org, spec.environment) });
    this.spec = spec;
    if (spec.applyRoleArns.length === 0) {
      throw new ConstructError(this, `no tooling stack deploys team ${spec.team} in ${spec.environment}: nothing may assume its deploy role`);
    }
    configureStateBackend(this, spec.backend, props.localStatePath);
    new AwsProvider(this, 'aws', {
      region: spec.region,
      allowedAccountIds: [spec.account],
      assumeRole: [{ roleArn: spec.bootstrapRoleArn, sessionName: `multiregion-access-${spec.environment}-${spec.team}`.slice(0, 64) }],
      defaultTags: [{ tags: { ...org.project.tags, Project: org.project.project, Environment: spec.environment, Team: spec.team, Stack: spec.stack, ManagedBy: 'multiregion' } }],
    });

    const deployRole = new IamRole(this, 'deploy-role', {
      name: spec.deployRoleName,
      description: `Terraform apply of ${spec.environment} (assumed by its pipeline's apply role)`,
      // Administrators may also deploy by hand (`cdktf deploy <stack>`), which assumes this role.
      assumeRolePolicy: JSON.stringify(roleTrustPolicy([...spec.applyRoleArns, ...spec.administrators])),
      maxSessionDuration: 3600,
    });
    spec.deployPolicyArns.forEach((arn, i) => new IamRolePolicyAttachment(this, `deploy-policy-${i}`, { role: deployRole.name, policyArn: arn }));

    const planRole = new IamRole(this, 'plan-role', {
      name: spec.planRoleName,
      description: `Terraform plan of ${spec.environment}: read-only (assumed by its pipeline's plan role)`,
      assumeRolePolicy: JSON.stringify(roleTrustPolicy(spec.planRoleArns)),
      maxSessionDuration: 3600,
    });
    new IamRolePolicyAttachment(this, 'plan-read-only', { role: planRole.name, policyArn: `arn:${spec.partition}:iam::aws:policy/ReadOnlyAccess` });

    new TerraformOutput(this, 'deploy_role_arn', { value: deployRole.arn });
    new TerraformOutput(this, 'plan_role_arn', { value: planRole.arn });
  }
}
