import type { JsonRule } from '../../rule';
import { configurationsOf } from '../../terraform-json';
import { block, buckets, label } from '../helpers';

export const S3_VERSIONING: JsonRule = {
  id: 'MR-S3-1',
  pack: 'security',
  severity: 'error',
  problem: 'an S3 bucket without versioning loses every overwritten or deleted object (a state file among them)',
  fix: "add an aws_s3_bucket_versioning with status 'Enabled' (the modules' SecureBucket does)",
  checkov: ['CKV_AWS_21'],
  check: (json) =>
    buckets(json)
      .filter((bucket) => !configurationsOf(json, 'aws_s3_bucket_versioning', bucket).some((v) => block(v.body.versioning_configuration)?.status === 'Enabled'))
      .map((bucket) => ({ address: bucket.address, message: `bucket ${label(bucket)} has no versioning` })),
};
