import type { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

export interface ProtectedTableProps {
  readonly name: string;
  /** The string partition key, the table's only key. */
  readonly hashKey: string;
  /** Customer managed key of the table's encryption. */
  readonly kmsKeyArn: string;
  /** @default - the provider's region */
  readonly region?: string;
}

/**
 * A DynamoDB table that holds records nobody may lose (the release ledger, the state locks):
 * on-demand, one string key, encrypted with a customer managed key, point-in-time recovery,
 * deletion protection and `prevent_destroy`.
 */
export function protectedTable(scope: Construct, id: string, props: ProtectedTableProps): DynamodbTable {
  return new DynamodbTable(scope, id, {
    name: props.name,
    billingMode: 'PAY_PER_REQUEST',
    hashKey: props.hashKey,
    attribute: [{ name: props.hashKey, type: 'S' }],
    serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
    pointInTimeRecovery: { enabled: true },
    deletionProtectionEnabled: true,
    ...(props.region !== undefined ? { region: props.region } : {}),
    lifecycle: { preventDestroy: true },
  });
}
