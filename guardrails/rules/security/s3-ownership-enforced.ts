import type { JsonRule } from '../../rule';
import { configurationsOf } from '../../terraform-json';
import { blocks, buckets, label } from '../helpers';

export const S3_OWNERSHIP_ENFORCED: JsonRule = {
  id: 'MR-S3-5',
  pack: 'security',
  severity: 'error',
  problem: 'an S3 bucket without BucketOwnerEnforced still honours ACLs, so objects can be owned (and shared) by other accounts',
  fix: "add an aws_s3_bucket_ownership_controls with object_ownership 'BucketOwnerEnforced'",
  checkov: ['CKV2_AWS_65'],
  check: (json) =>
    buckets(json)
      .filter(
        (bucket) =>
          !configurationsOf(json, 'aws_s3_bucket_ownership_controls', bucket).some((c) =>
            blocks(c.body.rule).some((r) => r.object_ownership === 'BucketOwnerEnforced'),
          ),
      )
      .map((bucket) => ({ address: bucket.address, message: `bucket ${label(bucket)} does not enforce bucket ownership (ACLs stay active)` })),
};
