import type { JsonRule } from '../../rule';
import { resourcesOf } from '../../terraform-json';
import { label } from '../helpers';

const isFalse = (value: unknown): boolean => value === false || value === 'false';
const hasKey = (value: unknown): boolean => typeof value === 'string' && value !== '';

export const SQS_ENCRYPTED: JsonRule = {
  id: 'MR-SQS-1',
  pack: 'security',
  severity: 'error',
  problem: 'an SQS queue with SQS-managed encryption turned off and no KMS key keeps its messages unencrypted at rest',
  fix: 'leave sqs_managed_sse_enabled at its default (true), or set kms_master_key_id to a customer-managed key',
  checkov: ['CKV_AWS_27'],
  check: (json) =>
    resourcesOf(json, 'aws_sqs_queue')
      .filter((q) => isFalse(q.body.sqs_managed_sse_enabled) && !hasKey(q.body.kms_master_key_id))
      .map((q) => ({ address: q.address, message: `queue ${label(q)} is not encrypted at rest` })),
};

export const SNS_ENCRYPTED: JsonRule = {
  id: 'MR-SNS-1',
  pack: 'security',
  severity: 'warning',
  problem: 'an SNS topic without a KMS key stores its messages unencrypted while they wait for delivery (SNS does not encrypt by default)',
  fix: 'set kms_master_key_id (alias/aws/sns, or a customer-managed key whose policy lets the publishers use it)',
  checkov: ['CKV_AWS_26'],
  check: (json) =>
    resourcesOf(json, 'aws_sns_topic')
      .filter((t) => !hasKey(t.body.kms_master_key_id))
      .map((t) => ({ address: t.address, message: `topic ${label(t)} has no KMS key` })),
};
