import { Construct } from 'constructs';
import { DataAwsElbServiceAccount } from '@cdktf/provider-aws/lib/data-aws-elb-service-account';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { Guardrails } from '../../guardrails/suppressions';
import { assertBucketName, denyInsecureTransport, privateVersionedBucket } from './bucket-baseline';

export interface AccessLogBucketProps {
  /** Bucket name (3 to 63 characters, globally unique). */
  readonly bucketName: string;
  /** The account whose load balancers write here (the log keys contain it). */
  readonly account: string;
  /** Key prefix the load balancer writes under. @default "alb" */
  readonly prefix?: string;
  /** Days a log object is kept. @default 90 */
  readonly retentionDays?: number;
  /** Let `terraform destroy` delete a bucket that still holds logs. @default false */
  readonly forceDestroy?: boolean;
}

/**
 * A bucket for Application Load Balancer access logs: versioned, encrypted with S3-managed keys
 * (the only encryption ELB log delivery supports; guardrail MR-S3-2 is suppressed with that
 * reason), public access blocked, ACLs disabled, TLS-only, with a
 * policy that lets the region's ELB log delivery write under `<prefix>/AWSLogs/<account>/` and
 * nothing else, and a lifecycle that expires the logs.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export class AccessLogBucket extends Construct {
  /**
   * The bucket's name, read from its policy resource: a load balancer that logs here then waits
   * until the policy lets ELB write. AWS checks that permission when access logs are enabled, so
   * taking the name from the bucket itself let a first apply fail with "Access Denied for bucket".
   */
  readonly name: string;
  readonly arn: string;
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const prefix = props.prefix ?? 'alb';
    const retentionDays = props.retentionDays ?? 90;
    assertBucketName(this, props.bucketName);
    const bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: props.forceDestroy ?? false });
    this.arn = bucket.arn;
    this.prefix = prefix;
    const publicAccess = privateVersionedBucket(this, bucket.id);
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    Guardrails.suppress(bucket, 'MR-S3-2', 'ALB access log delivery only supports SSE-S3 (S3-managed keys), not SSE-KMS');
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-logs',
          status: 'Enabled',
          filter: [{ prefix: `${prefix}/` }],
          expiration: [{ days: retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 7 }],
        },
      ],
    });
    // Regions opened before August 2022 deliver as the region's ELB account, later ones as the service.
    const elb = new DataAwsElbServiceAccount(this, 'elb-account');
    const logObjects = `${bucket.arn}/${prefix}/AWSLogs/${props.account}/*`;
    const policy = new S3BucketPolicy(this, 'policy', {
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          denyInsecureTransport(bucket.arn),
          { Sid: 'ElbAccountDelivers', Effect: 'Allow', Principal: { AWS: elb.arn }, Action: 's3:PutObject', Resource: logObjects },
          {
            Sid: 'ElbServiceDelivers',
            Effect: 'Allow',
            Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: logObjects,
          },
        ],
      }),
      dependsOn: [publicAccess],
    });
    this.name = policy.bucket;
  }
}
