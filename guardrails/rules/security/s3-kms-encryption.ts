import type { JsonRule } from '../../rule';
import { configurationsOf } from '../../terraform-json';
import { block, blocks, buckets, label } from '../helpers';

const KMS_ALGORITHMS = ['aws:kms', 'aws:kms:dsse'];

export const S3_KMS_ENCRYPTION: JsonRule = {
  id: 'MR-S3-2',
  pack: 'security',
  severity: 'error',
  problem:
    'an S3 bucket not encrypted with a KMS key (SSE-KMS): anyone with s3:GetObject reads it, with no key policy in the way and no CloudTrail record of key use',
  fix: "add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm 'aws:kms' and a customer-managed kms_master_key_id; where a service only writes SSE-S3 (ALB access logs), suppress with that reason",
  checkov: ['CKV_AWS_145'],
  check: (json) =>
    buckets(json).flatMap((bucket) => {
      const algorithms = configurationsOf(json, 'aws_s3_bucket_server_side_encryption_configuration', bucket).flatMap((c) =>
        blocks(c.body.rule).map((rule) => block(rule.apply_server_side_encryption_by_default)?.sse_algorithm),
      );
      if (algorithms.some((a) => typeof a === 'string' && KMS_ALGORITHMS.includes(a))) return [];
      const found = algorithms.filter((a) => typeof a === 'string');
      return [
        {
          address: bucket.address,
          message: `bucket ${label(bucket)} is ${found.length > 0 ? `encrypted with ${found.join(', ')}, not a KMS key` : 'not configured for SSE-KMS'}`,
        },
      ];
    }),
};
