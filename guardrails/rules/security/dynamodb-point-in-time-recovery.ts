import type { JsonRule } from '../../rule';
import { resourcesOf } from '../../terraform-json';
import { block, isTrue, label } from '../helpers';

export const DYNAMODB_POINT_IN_TIME_RECOVERY: JsonRule = {
  id: 'MR-DDB-1',
  pack: 'security',
  severity: 'error',
  problem: 'a DynamoDB table without point-in-time recovery cannot be restored after a bad write or delete',
  fix: 'set point_in_time_recovery { enabled = true }',
  checkov: ['CKV_AWS_28'],
  check: (json) =>
    resourcesOf(json, 'aws_dynamodb_table')
      .filter((table) => !isTrue(block(table.body.point_in_time_recovery)?.enabled))
      .map((table) => ({ address: table.address, message: `table ${label(table)} has no point-in-time recovery` })),
};
