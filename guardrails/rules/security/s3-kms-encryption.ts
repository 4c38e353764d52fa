import type { JsonRule } from '../../rule';
import { anyVerdict, configurationsOf, nestedBlocks, someBlock, type NestedBlocks } from '../../terraform-json';
import { block, buckets, label } from '../helpers';

const KMS_ALGORITHMS = ['aws:kms', 'aws:kms:dsse'];

const algorithmOf = (rule: Record<string, unknown>): unknown => block(rule.apply_server_side_encryption_by_default)?.sse_algorithm;
const isKms = (rule: Record<string, unknown>): boolean => {
  const algorithm = algorithmOf(rule);
  return typeof algorithm === 'string' && KMS_ALGORITHMS.includes(algorithm);
};

/** The `rule` blocks of encryption settings; rules inside a dynamic settings block are only as known as it is. */
function rulesOf(settings: NestedBlocks): NestedBlocks[] {
  return [
    ...settings.literal.map((s) => nestedBlocks(s, 'rule')),
    ...settings.dynamic.map(({ content, known }) => {
      const rules = nestedBlocks(content, 'rule');
      return { literal: [], dynamic: [...rules.literal.map((r) => ({ content: r, known })), ...rules.dynamic.map((d) => ({ ...d, known: known && d.known }))] };
    }),
  ];
}

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
      const separate = configurationsOf(json, 'aws_s3_bucket_server_side_encryption_configuration', bucket).map((c) => nestedBlocks(c.body, 'rule'));
      // The inline form the provider still accepts: server_side_encryption_configuration { rule { ... } } on the bucket.
      const inline = rulesOf(nestedBlocks(bucket.body, 'server_side_encryption_configuration'));
      const rules = [...separate, ...inline];
      const verdict = anyVerdict(someBlock(rules, isKms));
      if (verdict === 'holds') return [];
      if (verdict === 'unknown') {
        return [
          {
            address: bucket.address,
            severity: 'warning' as const,
            message: `bucket ${label(bucket)} chooses SSE-KMS only in a dynamic block: whether it applies is known at plan time`,
          },
        ];
      }
      const found = rules.flatMap((r) => r.literal.map(algorithmOf)).filter((a): a is string => typeof a === 'string');
      return [
        {
          address: bucket.address,
          message: `bucket ${label(bucket)} is ${found.length > 0 ? `encrypted with ${found.join(', ')}, not a KMS key` : 'not configured for SSE-KMS'}`,
        },
      ];
    }),
};
