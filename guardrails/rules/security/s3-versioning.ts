import type { JsonRule } from '../../rule';
import { anyVerdict, configurationsOf, nestedBlocks, someBlock } from '../../terraform-json';
import { buckets, isTrue, label } from '../helpers';

export const S3_VERSIONING: JsonRule = {
  id: 'MR-S3-1',
  pack: 'security',
  severity: 'error',
  problem: 'an S3 bucket without versioning loses every overwritten or deleted object (a state file among them)',
  fix: "add an aws_s3_bucket_versioning with status 'Enabled' (the modules' SecureBucket does)",
  checkov: ['CKV_AWS_21'],
  check: (json) =>
    buckets(json).flatMap((bucket) => {
      const separate = configurationsOf(json, 'aws_s3_bucket_versioning', bucket).map((v) => nestedBlocks(v.body, 'versioning_configuration'));
      const verdict = anyVerdict(
        someBlock(separate, (b) => b.status === 'Enabled'),
        // The inline form the provider still accepts: versioning { enabled = true } on the bucket.
        someBlock([nestedBlocks(bucket.body, 'versioning')], (b) => isTrue(b.enabled)),
      );
      if (verdict === 'holds') return [];
      if (verdict === 'unknown') {
        return [
          {
            address: bucket.address,
            severity: 'warning' as const,
            message: `bucket ${label(bucket)} enables versioning only in a dynamic block: whether it is on is known at plan time`,
          },
        ];
      }
      return [{ address: bucket.address, message: `bucket ${label(bucket)} has no versioning` }];
    }),
};
