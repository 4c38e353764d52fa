import type { GuardrailContext } from '../../guardrails/rule';
import type { TerraformJson } from '../../guardrails/terraform-json';

export const CONTEXT: GuardrailContext = {
  stack: 'team-dev-us-east-1',
  kind: 'workload',
  account: '111111111111',
  region: 'us-east-1',
  environment: 'dev',
  production: false,
};
export const PRODUCTION: GuardrailContext = { ...CONTEXT, stack: 'team-prod-us-east-1', environment: 'prod', production: true };

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** A stack JSON with the given resources and a compliant provider and backend. */
export function stackWith(resource: Resources, extra: Partial<TerraformJson> = {}): TerraformJson {
  return {
    terraform: { backend: { s3: { bucket: 'b', key: 'k', region: 'us-east-1', encrypt: true, kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/1' } } },
    provider: { aws: [{ region: 'us-east-1', allowed_account_ids: ['111111111111'] }] },
    resource,
    ...extra,
  };
}

const ref = (address: string, attribute = 'id'): string => `\${${address}.${attribute}}`;

/** A bucket with every setting the S3 rules ask for. */
export function compliantBucket(overrides: Partial<Record<string, Record<string, unknown> | undefined>> = {}): Resources {
  const bucket = 'aws_s3_bucket.b';
  const parts: Record<string, Record<string, unknown> | undefined> = {
    aws_s3_bucket_versioning: { bucket: ref(bucket), versioning_configuration: { status: 'Enabled' } },
    aws_s3_bucket_server_side_encryption_configuration: {
      bucket: ref(bucket),
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'k' } }],
    },
    aws_s3_bucket_public_access_block: {
      bucket: ref(bucket),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    },
    aws_s3_bucket_ownership_controls: { bucket: ref(bucket), rule: { object_ownership: 'BucketOwnerEnforced' } },
    aws_s3_bucket_policy: {
      bucket: ref(bucket),
      policy: JSON.stringify({
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: ['x'],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    },
    ...overrides,
  };
  const out: Resources = { aws_s3_bucket: { b: { bucket: 'my-bucket' } } };
  for (const [type, body] of Object.entries(parts)) if (body !== undefined) out[type] = { cfg: body };
  return out;
}

export function policy(statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
