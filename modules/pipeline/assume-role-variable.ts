import { TerraformVariable, type TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

export const ASSUME_ROLE_VARIABLE = 'assume_role_arn';

/**
 * Makes the role a workload stack's provider assumes a Terraform input, so the pipeline plans
 * with the read-only role and applies with the deploy role. The variable is ephemeral
 * (Terraform >= 1.10): it is not stored in the saved plan, so the apply stage supplies the deploy
 * role again instead of inheriting the plan role. The default keeps `cdktf deploy` by hand working.
 * cdktf 0.21's TerraformVariable predates `ephemeral`; it is set with an override.
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
  provider.assumeRole = [{ roleArn: variable.stringValue, sessionName }];
  return variable;
}
