import type { Construct } from 'constructs';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { ConstructError } from '../construct-error';

/**
 * What every bucket of the project has, whatever it holds and however it is encrypted: a valid
 * name, every public access setting blocked, ACLs disabled (bucket owner enforced), versioning,
 * and a policy that refuses requests without TLS. SecureBucket (state, artifacts) and
 * AccessLogBucket (load balancer logs) both build on it.
 */

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Refuses a name S3 would refuse, at synth rather than at apply. */
export function assertBucketName(scope: Construct, name: string): void {
  if (!BUCKET_NAME.test(name)) {
    throw new ConstructError(scope, `bucketName '${name}' is not a valid S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens)`);
  }
}

/**
 * The public access block, ownership controls and versioning of `bucketId`, as children
 * `public-access`, `ownership` and `versioning` of `scope`. Returns the public access block: the
 * bucket policy depends on it, so S3 never sees the two changed at once.
 */
export function privateVersionedBucket(scope: Construct, bucketId: string, region: { region?: string } = {}): S3BucketPublicAccessBlock {
  new S3BucketVersioningA(scope, 'versioning', { bucket: bucketId, versioningConfiguration: { status: 'Enabled' }, ...region });
  const publicAccess = new S3BucketPublicAccessBlock(scope, 'public-access', {
    bucket: bucketId,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
    ...region,
  });
  new S3BucketOwnershipControls(scope, 'ownership', { bucket: bucketId, rule: { objectOwnership: 'BucketOwnerEnforced' }, ...region });
  return publicAccess;
}

/** The bucket policy statement that refuses every request made without TLS. */
export function denyInsecureTransport(bucketArn: string): object {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
