import { Construct } from 'constructs';
import { protectedTable } from '../storage/protected-table';
import { ledgerStatement } from '../../lib/pipeline-policies';
import type { StageRole } from './stage-role';

export interface ReleaseLedgerProps {
  /** Table name. */
  readonly tableName: string;
  /** KMS key of the table's encryption. */
  readonly kmsKeyArn: string;
}

/**
 * Every released version with its commit, written only by trusted steps: the trigger and the
 * release check record a tag with a conditional write (a version released once can never be
 * released again with another commit), the apply step marks it applied, drift detection reads
 * only applied releases. Threats: a deleted and re-pushed tag (or a moved one) redeploying other
 * code under a version that was reviewed; drift running releases that were never applied.
 */
export class ReleaseLedger extends Construct {
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ReleaseLedgerProps) {
    super(scope, id);
    const table = protectedTable(this, 'table', { name: props.tableName, hashKey: 'ReleaseTag', kmsKeyArn: props.kmsKeyArn });
    this.name = table.name;
    this.arn = table.arn;
  }

  /** Record new releases (conditional put) and read one back. */
  grantRecord(role: StageRole): void {
    role.grant(ledgerStatement(this.arn, 'record'));
  }

  grantMarkApplied(role: StageRole): void {
    role.grant(ledgerStatement(this.arn, 'mark-applied'));
  }

  grantRead(role: StageRole): void {
    role.grant(ledgerStatement(this.arn, 'read'));
  }
}
