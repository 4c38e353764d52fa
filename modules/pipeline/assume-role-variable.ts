import { TerraformVariable, type TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

export const ASSUME_ROLE_VARIABLE = 'assume_role_arn';
/** Session name and source identity of the assumed role: the pipeline passes `<commit>+<tag>`. */
export const RELEASE_ID_VARIABLE = 'release_id';

/**
 * Makes the role a workload stack's provider assumes a Terraform input, so the pipeline plans
 * with the read-only role and applies with the deploy role. The variable is ephemeral
 * (Terraform >= 1.10): it is not stored in the saved plan, so the apply stage supplies the deploy
 * role again instead of inheriting the plan role. The default keeps `cdktf deploy` by hand working.
 * cdktf 0.21's TerraformVariable predates `ephemeral`; it is set with an override.
 *
 * The session name and source identity come from a second ephemeral variable, `release_id`, that
 * the trusted apply step sets to the commit and tag: CloudTrail in the workload account then shows
 * which release made each change, and a source identity survives role chaining (threat: changes
 * that cannot be traced to their release).
 */
export function assumeRoleFromVariable(stack: TerraformStack, defaultRoleArn: string, sessionName: string): TerraformVariable {
  const provider = stack.node.children.find((c): c is AwsProvider => c instanceof AwsProvider);
  if (provider === undefined) throw new Error(`${stack.node.path}: no AWS provider to switch roles on`);
  const variable = new TerraformVariable(stack, ASSUME_ROLE_VARIABLE, {
    type: 'string',
    default: defaultRoleArn,
    nullable: false,
    description: 'Role the provider assumes: the pipeline passes the read-only role to plan and the deploy role to apply',
  });
  variable.addOverride('ephemeral', true);
  const releaseId = new TerraformVariable(stack, RELEASE_ID_VARIABLE, {
    type: 'string',
    default: sessionName,
    nullable: false,
    description: 'Session name and source identity of the assumed role: <commit>+<tag> in the pipeline',
  });
  releaseId.addOverride('ephemeral', true);
  provider.assumeRole = [{ roleArn: variable.stringValue, sessionName: releaseId.stringValue, sourceIdentity: releaseId.stringValue }];
  return variable;
}
