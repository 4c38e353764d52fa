import { kmsAliasArn } from './arn';
import { boundedName } from './name-rules';
import type { Partition } from './regions';

/**
 * The KMS key that encrypts an environment's state, named by a deterministic alias so that every
 * backend can name it (`kms_key_id`) without a reference to the tooling stack that creates it.
 * Without `kms_key_id`, `encrypt = true` makes terraform write state and lock files with SSE-S3
 * (AES256), overriding the bucket's default key: anyone with s3:GetObject reads the state.
 */
export function keyAliasName(project: string, base: string, purpose: string): string {
  return `alias/${boundedName([project, base, purpose], 200)}`;
}

/** `base` is `<env>` (central layout) or `<env>-<short>` (regional layout), as the tooling stack names it. */
export function stateKeyAlias(project: string, base: string): string {
  return keyAliasName(project, base, 'state');
}

export function stateKeyArn(partition: Partition, region: string, toolingAccount: string, project: string, base: string): string {
  return kmsAliasArn(partition, region, toolingAccount, stateKeyAlias(project, base));
}
