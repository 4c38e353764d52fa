import type { JsonRule } from '../../rule';
import { resourcesOf } from '../../terraform-json';
import { block, isTrue, label } from '../helpers';

export const DYNAMODB_CUSTOMER_KEY: JsonRule = {
  id: 'MR-DDB-2',
  pack: 'security',
  severity: 'warning',
  problem: 'a DynamoDB table encrypted with the AWS-owned key: no key policy limits who can read it, and key use is not logged',
  fix: 'set server_side_encryption { enabled = true, kms_key_arn = <customer-managed key> }',
  checkov: ['CKV_AWS_119'],
  check: (json) =>
    resourcesOf(json, 'aws_dynamodb_table')
      .filter((table) => {
        const sse = block(table.body.server_side_encryption);
        return !(isTrue(sse?.enabled) && typeof sse?.kms_key_arn === 'string' && sse.kms_key_arn !== '');
      })
      .map((table) => ({ address: table.address, message: `table ${label(table)} is not encrypted with a customer-managed key` })),
};
