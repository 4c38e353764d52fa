import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { formatArn, iamRoleArn } from '../../lib/arn';
import { doc, serviceTrustPolicy, type PolicyDocument, type PolicyStatement } from '../../lib/pipeline-policies';
import type { Partition } from '../../lib/regions';
import { ConstructError } from '../construct-error';

export interface StageRoleProps {
  /** Role name. */
  readonly roleName: string;
  readonly description: string;
  /** The service that assumes the role, e.g. `codebuild.amazonaws.com`. */
  readonly service: string;
  /** The tooling account: the trust is bound to its resources (confused deputy). */
  readonly account: string;
  /** ARN (pattern) of the resource allowed to assume the role through the service (`aws:SourceArn`). */
  readonly sourceArn: string;
  /**
   * The role may assume itself with a session policy, to narrow its own credentials before it
   * runs a tool (the apply step narrows itself to one stack). @default - no self-assumption
   */
  readonly narrowsItself?: { readonly partition: Partition };
}

/**
 * The role of one pipeline stage, trusted by one service for one resource. It starts with no
 * permissions; each `grant(...)` adds the statements of one capability (see
 * lib/pipeline-policies.ts), and the inline policy is rendered once, at synthesis. Threat: one
 * role shared by stages that run the tagged code and stages that must stay trusted.
 */
export class StageRole extends Construct {
  readonly arn: string;
  readonly name: string;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: StageRoleProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: JSON.stringify(trustPolicy(props)),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, 'policy', {
      name: 'least-privilege',
      role: role.id,
      policy: Lazy.stringValue({ produce: () => JSON.stringify(doc(this.uniqueStatements())) }),
    });
    this.node.addValidation({ validate: () => (this.statements.length === 0 ? [`${this.node.path}: a stage role without any grant`] : []) });
    this.arn = role.arn;
    this.name = role.name;
  }

  /** Adds the statements of one capability. */
  grant(...statements: (PolicyStatement | PolicyStatement[])[]): this {
    this.statements.push(...statements.flat());
    return this;
  }

  private uniqueStatements(): PolicyStatement[] {
    const seen = new Map<string, PolicyStatement>();
    for (const statement of this.statements) {
      const previous = seen.get(statement.Sid);
      if (previous !== undefined && JSON.stringify(previous) !== JSON.stringify(statement)) {
        throw new ConstructError(this, `two different statements named ${statement.Sid}`);
      }
      seen.set(statement.Sid, statement);
    }
    return [...seen.values()];
  }
}

/**
 * The service trust, plus, for a role that narrows itself, the role's own sessions: named by an
 * `aws:PrincipalArn` condition on the account, because a trust policy cannot name a role that
 * does not exist yet (its own, at creation).
 */
function trustPolicy(props: StageRoleProps): PolicyDocument {
  const service = serviceTrustPolicy(props.service, props.account, props.sourceArn);
  if (props.narrowsItself === undefined) return service;
  const { partition } = props.narrowsItself;
  return doc([
    ...service.Statement,
    {
      Sid: 'OwnSessionsNarrowThemselves',
      Effect: 'Allow',
      Principal: { AWS: formatArn({ partition, service: 'iam', account: props.account, resource: 'root' }) },
      Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
      Condition: { ArnEquals: { 'aws:PrincipalArn': iamRoleArn(partition, props.account, props.roleName) } },
    },
  ]);
}
