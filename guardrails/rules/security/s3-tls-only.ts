import type { JsonRule } from '../../rule';
import { asList, configurationsOf, policyDocuments } from '../../terraform-json';
import { buckets, label } from '../helpers';

export const S3_TLS_ONLY: JsonRule = {
  id: 'MR-S3-4',
  pack: 'security',
  severity: 'error',
  problem: 'an S3 bucket whose policy does not deny requests without TLS accepts plain-HTTP access to its objects',
  fix: "add a bucket policy statement that denies s3:* on the bucket and its objects when aws:SecureTransport is 'false'",
  check: (json) =>
    buckets(json).flatMap((bucket) => {
      // Separate bucket policies, and the bucket's own inline policy (deprecated, still accepted).
      const policies = [...configurationsOf(json, 'aws_s3_bucket_policy', bucket).map((p) => p.address), bucket.address];
      const denies = policyDocuments(json)
        .filter((d) => policies.includes(d.owner.address))
        .flatMap((d) => d.statements)
        .some(
          (s) =>
            s.Effect === 'Deny' &&
            asList(s.Action as string | string[]).some((a) => a === 's3:*' || a === '*') &&
            String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false',
        );
      return denies ? [] : [{ address: bucket.address, message: `bucket ${label(bucket)} has no policy statement denying requests without TLS` }];
    }),
};
