import { Construct } from 'constructs';
import { protectedTable } from '../storage/protected-table';
import { DynamodbResourcePolicy } from '@cdktf/provider-aws/lib/dynamodb-resource-policy';
import type { Partition } from '../../lib/regions';
import type { StateStore } from '../../lib/pipeline-spec';
import { SecureBucket } from '../pipeline/secure-bucket';

export interface StateBackendResourcesProps {
  /** Bucket, region and lock table of the environment's state (see the layout table). */
  readonly store: StateStore;
  /** KMS key ARN that encrypts the state objects and the lock table. */
  readonly kmsKeyArn: string;
  /** The principals (role ARNs) that may touch state and locks at all: pipeline roles and named administrators. */
  readonly principals: readonly string[];
  readonly partition: Partition;
  /** Days a superseded state version is kept (the way back from a bad apply). @default 90 */
  readonly noncurrentVersionDays?: number;
}

/**
 * The state bucket and, for `dynamodb` or `both` locking, the lock table of one environment (and
 * region, in the regional layout). Both refuse `terraform destroy`: losing them loses every
 * stack's state.
 */
export class StateBackendResources extends Construct {
  readonly bucket: SecureBucket;
  readonly lockTableArn: string | undefined;

  constructor(scope: Construct, id: string, props: StateBackendResourcesProps) {
    super(scope, id);
    const { store } = props;
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: store.bucket,
      kmsKeyArn: props.kmsKeyArn,
      partition: props.partition,
      noncurrentVersionDays: props.noncurrentVersionDays ?? 90,
      preventDestroy: true,
      region: store.region,
      // Threats: state written with SSE-S3 or another key; state (secrets) read by any principal
      // of the tooling account that holds s3:GetObject on '*'.
      enforceKmsKeyIds: [props.kmsKeyArn, store.kmsKeyId],
      onlyPrincipals: props.principals,
    });
    if (store.lockTable !== null) {
      const table = protectedTable(this, 'lock-table', { name: store.lockTable, hashKey: 'LockID', kmsKeyArn: props.kmsKeyArn, region: store.region });
      this.lockTableArn = table.arn;
      // Threat: another principal of the account deleting a lock (two applies at once) or
      // planting one (a denial of service on releases).
      new DynamodbResourcePolicy(this, 'lock-table-policy', {
        resourceArn: table.arn,
        region: store.region,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'DenyOtherPrincipals',
              Effect: 'Deny',
              Principal: '*',
              Action: 'dynamodb:*',
              Resource: table.arn,
              Condition: { StringNotEquals: { 'aws:PrincipalArn': [...props.principals] } },
            },
          ],
        }),
      });
    }
  }
}
