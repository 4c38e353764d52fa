import type { JsonRule } from '../../rule';
import { resourcesOf } from '../../terraform-json';
import { label } from '../helpers';

export const LOG_GROUP_RETENTION_ENCRYPTION: JsonRule = {
  id: 'MR-CB-2',
  pack: 'security',
  severity: 'error',
  problem:
    'a log group without retention keeps logs (and any secret printed in them) forever; without a KMS key they are readable by anyone with logs:GetLogEvents',
  fix: 'set retention_in_days and kms_key_id (the pipeline key) on every log group',
  // CKV_AWS_66 wants a retention set, CKV_AWS_158 a KMS key. CKV_AWS_338 (claimed before) wants a year or more, which this rule does not ask.
  checkov: ['CKV_AWS_66', 'CKV_AWS_158'],
  check: (json) =>
    resourcesOf(json, 'aws_cloudwatch_log_group').flatMap((group) => {
      const missing = [
        ...(typeof group.body.retention_in_days === 'number' && group.body.retention_in_days > 0 ? [] : ['retention_in_days']),
        ...(typeof group.body.kms_key_id === 'string' && group.body.kms_key_id !== '' ? [] : ['kms_key_id']),
      ];
      return missing.length === 0 ? [] : [{ address: group.address, message: `log group ${label(group)} has no ${missing.join(' and no ')}` }];
    }),
};
