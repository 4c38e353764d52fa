import { TerraformStack, Token, ref, type TerraformResource } from 'cdktf';

/**
 * `<type>.<name>[*].<attribute>` of a resource created with `count`: the list of that attribute
 * over every instance. cdktf has no typed accessor for splats of counted resources.
 */
export function splat(resource: TerraformResource, attribute: string): string[] {
  return Token.asList(ref(`${resource.terraformResourceType}.${resource.friendlyUniqueId}[*].${attribute}`, TerraformStack.of(resource)));
}
