import { block, blocks, resourcesOf, type ResourceBlock, type TerraformJson } from '../terraform-json';

/** How a message names a resource: its literal name where it has one, else its address. */
export function label(resource: ResourceBlock, nameField = 'name'): string {
  const name = resource.body[nameField] ?? resource.body.bucket;
  return typeof name === 'string' && !name.includes('${') ? `'${name}'` : resource.address;
}

export function buckets(json: TerraformJson): ResourceBlock[] {
  return resourcesOf(json, 'aws_s3_bucket');
}

/** Terraform renders booleans from cdktf as booleans, hand-written ones may be strings. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export { block, blocks };
