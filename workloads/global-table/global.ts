import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { GlobalPartProps } from '../framework';
import type { GlobalTableOutput, GlobalTableSettings } from './settings';

/** Item-level access for the team's instances: no table management, no scans of the stream. */
const ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * The table, created once from the global region (version 2019.11.21 global table) with a
 * replica in every other region of the team; streams on (replication needs them), encrypted,
 * point-in-time recovery, deletion protection in production. The team's instance role may read
 * and write items of every replica.
 */
export class GlobalTableGlobal extends Construct {
  readonly outputs: Readonly<Record<GlobalTableOutput, string>>;

  constructor(scope: Construct, id: string, props: GlobalPartProps<GlobalTableSettings>) {
    super(scope, id);
    const { context: ctx, settings } = props;
    const keys = [settings.partitionKey, ...(settings.sortKey !== undefined ? [settings.sortKey] : [])];
    const pointInTimeRecovery = settings.pointInTimeRecovery;
    const table = new DynamodbTable(this, 'table', {
      name: ctx.name(settings.name, 255),
      billingMode: 'PAY_PER_REQUEST',
      hashKey: settings.partitionKey.name,
      ...(settings.sortKey !== undefined ? { rangeKey: settings.sortKey.name } : {}),
      attribute: keys.map((k) => ({ name: k.name, type: k.type })),
      streamEnabled: true,
      streamViewType: 'NEW_AND_OLD_IMAGES',
      serverSideEncryption: { enabled: true },
      pointInTimeRecovery: { enabled: pointInTimeRecovery },
      deletionProtectionEnabled: settings.deletionProtection ?? ctx.production,
      replica: ctx.teamRegions.filter((region) => region !== ctx.region).map((region) => ({ regionName: region, pointInTimeRecovery, propagateTags: true })),
    });
    // The replicas share the table's name and account: the ARN with any region names all of them.
    const everyReplica = Fn.replace(table.arn, `:${ctx.region}:`, ':*:');
    const access = new DataAwsIamPolicyDocument(this, 'workload-access-document', {
      statement: [{ sid: 'ItemsOfEveryReplica', effect: 'Allow', actions: ITEM_ACTIONS, resources: [everyReplica, `${everyReplica}/index/*`] }],
    });
    new IamRolePolicy(this, 'workload-access', { name: ctx.name([settings.name, 'items'], 128), role: props.workloadRole.name, policy: access.json });
    this.outputs = { table_name: table.name, table_arn: table.arn };
  }
}
