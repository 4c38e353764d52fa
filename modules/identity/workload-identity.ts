import { awsManagedPolicyArn } from '../../lib/arn';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { Partition } from '../../lib/regions';

export interface WorkloadIdentityProps {
  /** Role name (at most 64 characters). */
  readonly roleName: string;
  /** Instance profile name. */
  readonly instanceProfileName: string;
  /** The account the role lives in: EC2 may assume it only on behalf of this account. */
  readonly account: string;
  readonly partition: Partition;
  /** Attach AmazonSSMManagedInstanceCore so instances are reachable without SSH. @default true */
  readonly sessionManager?: boolean;
  /**
   * Permissions boundary of the role: the deploy role's boundary, without which the deploy role
   * may not create a role at all (lib/access-policies.ts). @default - no boundary
   */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The workload's global identity: an IAM role that EC2 instances of this account assume, and its
 * instance profile. Global because IAM is account-wide; regional stacks find it by name.
 */
export class WorkloadIdentity extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  readonly instanceProfileName: string;
  readonly instanceProfileArn: string;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.account] }],
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: 'Instance role of the workload (managed by multiregion)',
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
      ...(props.permissionsBoundaryArn !== undefined ? { permissionsBoundary: props.permissionsBoundaryArn } : {}),
    });
    if (props.sessionManager ?? true) {
      new IamRolePolicyAttachment(this, 'ssm-core', {
        role: role.name,
        policyArn: awsManagedPolicyArn(props.partition, 'AmazonSSMManagedInstanceCore'),
      });
    }
    const profile = new IamInstanceProfile(this, 'profile', { name: props.instanceProfileName, role: role.name });
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.instanceProfileName = profile.name;
    this.instanceProfileArn = profile.arn;
  }
}
