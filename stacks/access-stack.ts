import { TerraformOutput } from 'cdktf';
import { GuardedStack, guardrailsFor } from './guarded-stack';
import { configureStateBackend } from './stack-backend';
import type { Construct } from 'constructs';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { deployBoundaryName, deployBoundaryPolicy, roleTrustPolicy, viewOnlyReadsPolicy } from '../lib/access-policies';
import { awsManagedPolicyArn, iamPolicyArn } from '../lib/arn';
import type { Organisation } from '../lib/config';
import type { AccessSpec } from '../lib/pipeline-spec';
import { ConstructError } from '../modules/construct-error';

export { roleTrustPolicy } from '../lib/access-policies';

export interface AccessStackProps {
  /** The validated organisation. */
  readonly org: Organisation;
  /** The (environment, team) whose workload account this stack prepares. */
  readonly spec: AccessSpec;
  /** Keep this stack's own state in this local file (an absolute path): the first deploy, before its bucket exists. @default - S3 state */
  readonly localStatePath?: string;
}

/**
 * The access stack of one team's workload account in one environment (`access-<env>-<team>`):
 * the deploy role that only this environment's apply roles (and the named administrators) may
 * assume, bounded so that no release can loosen the pipeline's own roles; and the view-only role
 * that only this environment's plan and drift roles may assume. Deployed once by an administrator
 * through the account's bootstrap role, after the environment's tooling stacks exist.
 */
export class AccessStack extends GuardedStack {
  readonly spec: AccessSpec;

  constructor(scope: Construct, props: AccessStackProps) {
    const { spec, org } = props;
    super(scope, spec.stack, ...guardrailsFor(org, 'access', spec));
    this.spec = spec;
    if (spec.applyRoleArns.length === 0) {
      throw new ConstructError(this, `no tooling stack deploys team ${spec.team} in ${spec.environment}: nothing may assume its deploy role`);
    }
    configureStateBackend(this, spec.backend, props.localStatePath);
    new AwsProvider(this, 'aws', {
      region: spec.region,
      allowedAccountIds: [spec.account],
      assumeRole: [{ roleArn: spec.bootstrapRoleArn, sessionName: `multiregion-access-${spec.environment}-${spec.team}`.slice(0, 64) }],
      defaultTags: [
        {
          tags: {
            ...org.project.tags,
            Project: org.project.project,
            Environment: spec.environment,
            Team: spec.team,
            Stack: spec.stack,
            ManagedBy: 'multiregion',
          },
        },
      ],
    });

    const boundaryName = deployBoundaryName(spec.deployRoleName);
    const boundaryArn = iamPolicyArn(spec.partition, spec.account, boundaryName);
    const boundary = new IamPolicy(this, 'deploy-boundary', {
      name: boundaryName,
      description: `Permissions boundary of ${spec.deployRoleName}: no release may change the pipeline's roles or create long-lived credentials`,
      policy: JSON.stringify(deployBoundaryPolicy(spec.protectedRoleArns, boundaryArn)),
    });
    const deployRole = new IamRole(this, 'deploy-role', {
      name: spec.deployRoleName,
      description: `Terraform apply of ${spec.environment} (assumed by its pipeline's apply role)`,
      // Administrators may also deploy by hand (`cdktf deploy <stack>`), which assumes this role.
      assumeRolePolicy: JSON.stringify(roleTrustPolicy([...spec.applyRoleArns, ...spec.administrators])),
      permissionsBoundary: boundary.arn,
      maxSessionDuration: 3600,
    });
    spec.deployPolicyArns.forEach((arn, i) => new IamRolePolicyAttachment(this, `deploy-policy-${i}`, { role: deployRole.name, policyArn: arn }));

    const planRole = new IamRole(this, 'plan-role', {
      name: spec.planRoleName,
      description: `Terraform plan and drift of ${spec.environment}: view-only (assumed by its pipeline's plan and drift roles)`,
      assumeRolePolicy: JSON.stringify(roleTrustPolicy(spec.planRoleArns)),
      maxSessionDuration: 3600,
    });
    // ViewOnlyAccess plus terraform's metadata reads, never ReadOnlyAccess (which reads data).
    new IamRolePolicyAttachment(this, 'plan-view-only', { role: planRole.name, policyArn: awsManagedPolicyArn(spec.partition, 'job-function/ViewOnlyAccess') });
    new IamRolePolicy(this, 'plan-refresh-reads', {
      name: 'terraform-refresh-reads',
      role: planRole.id,
      policy: JSON.stringify(viewOnlyReadsPolicy(spec.partition, spec.account)),
    });

    new TerraformOutput(this, 'deploy_role_arn', { value: deployRole.arn });
    new TerraformOutput(this, 'plan_role_arn', { value: planRole.arn });
  }
}
