import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import type { Partition } from '../../lib/regions';
import { ConstructError } from '../construct-error';
import { assertBucketName, denyInsecureTransport, privateVersionedBucket } from '../storage/bucket-baseline';

export interface SecureBucketProps {
  /** Bucket name (3 to 63 characters). */
  readonly bucketName: string;
  /** KMS key ARN of the default encryption (SSE-KMS with a bucket key). */
  readonly kmsKeyArn: string;
  readonly partition: Partition;
  /** Days a replaced or deleted object version is kept. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Refuse `terraform destroy` of the bucket. @default false */
  readonly preventDestroy?: boolean;
  /** Region of the bucket. @default - the provider's region */
  readonly region?: string;
  /** Statements added to the bucket policy after the TLS-only statements. @default - none */
  readonly extraStatements?: readonly object[];
  /** Only these principals (role ARNs) may use the bucket or its objects at all. @default - IAM alone decides */
  readonly onlyPrincipals?: readonly string[];
  /** Only these principals (role ARNs) may write or delete objects. @default - IAM alone decides */
  readonly onlyWriters?: readonly string[];
  /**
   * Key ids a writer must name (the key ARN or its alias ARN): an upload that asks for SSE-S3,
   * names another key or names none is refused (terraform with kms_key_id, CodeBuild and
   * CodePipeline with an encryption key all name it).
   * @default - not enforced beyond the default encryption
   */
  readonly enforceKmsKeyIds?: readonly string[];
}

/**
 * A private, versioned S3 bucket: SSE-KMS with a customer managed key, every public access
 * setting blocked, ACLs disabled, a policy that refuses anything but TLS 1.2+, and a lifecycle
 * that expires old versions.
 */
export class SecureBucket extends Construct {
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const noncurrentVersionDays = props.noncurrentVersionDays ?? 90;
    assertBucketName(this, props.bucketName);
    if (noncurrentVersionDays < 1) throw new ConstructError(this, `noncurrentVersionDays is ${noncurrentVersionDays}: keep old versions at least 1 day`);
    const region = props.region !== undefined ? { region: props.region } : {};
    const bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: false,
      ...region,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
    const publicAccess = privateVersionedBucket(this, bucket.id, region);
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
      ...region,
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      ...region,
    });
    const objects = `${bucket.arn}/*`;
    new S3BucketPolicy(this, 'policy', {
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          denyInsecureTransport(bucket.arn),
          {
            Sid: 'DenyOldTls',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [bucket.arn, objects],
            Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
          },
          ...enforcementStatements(bucket.arn, props),
          ...(props.extraStatements ?? []),
        ],
      }),
      dependsOn: [publicAccess],
      ...region,
    });
    this.name = bucket.bucket;
    this.arn = bucket.arn;
  }
}

/**
 * Deny statements that hold whatever IAM policies in the account say. Threats: a writer choosing
 * SSE-S3 or its own key (the object then escapes the key policy); any other principal of the
 * account with broad S3 permissions reading state or replacing an artifact.
 */
function enforcementStatements(bucketArn: string, props: SecureBucketProps): object[] {
  const objects = `${bucketArn}/*`;
  const statements: object[] = [];
  if (props.enforceKmsKeyIds !== undefined) {
    statements.push(
      {
        Sid: 'DenyEncryptionOtherThanKms',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      },
      {
        Sid: 'DenyOtherKmsKeys',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': [...props.enforceKmsKeyIds] } },
      },
    );
  }
  if (props.onlyWriters !== undefined) {
    statements.push({
      Sid: 'DenyOtherWriters',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:RestoreObject'],
      Resource: objects,
      Condition: { StringNotEquals: { 'aws:PrincipalArn': [...props.onlyWriters] } },
    });
  }
  if (props.onlyPrincipals !== undefined) {
    statements.push({
      Sid: 'DenyOtherPrincipals',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn, objects],
      Condition: { StringNotEquals: { 'aws:PrincipalArn': [...props.onlyPrincipals] } },
    });
  }
  return statements;
}
