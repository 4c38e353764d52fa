import type { JsonRule } from '../../rule';
import { configurationsOf } from '../../terraform-json';
import { buckets, isTrue, label } from '../helpers';

const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

export const S3_PUBLIC_ACCESS_BLOCK: JsonRule = {
  id: 'MR-S3-3',
  pack: 'security',
  severity: 'error',
  problem: 'an S3 bucket without all four public-access-block settings can be made public by one ACL or policy change',
  fix: 'add an aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true',
  checkov: ['CKV2_AWS_6'],
  check: (json) =>
    buckets(json).flatMap((bucket) => {
      const blocks = configurationsOf(json, 'aws_s3_bucket_public_access_block', bucket);
      const missing = SETTINGS.filter((s) => !blocks.some((b) => isTrue(b.body[s])));
      return missing.length === 0 ? [] : [{ address: bucket.address, message: `bucket ${label(bucket)} lacks ${missing.join(', ')}` }];
    }),
};
