import type { JsonRule } from '../../rule';
import { resourcesOf } from '../../terraform-json';
import { isTrue, label } from '../helpers';

export const KMS_KEY_ROTATION: JsonRule = {
  id: 'MR-KMS-1',
  pack: 'security',
  severity: 'error',
  problem: 'a symmetric KMS key without automatic rotation keeps the same key material for ever',
  fix: 'set enable_key_rotation = true',
  checkov: ['CKV_AWS_7'],
  check: (json) =>
    resourcesOf(json, 'aws_kms_key')
      .filter((key) => (key.body.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT' && !isTrue(key.body.enable_key_rotation))
      .map((key) => ({ address: key.address, message: `key ${label(key, 'description')} does not rotate` })),
};
