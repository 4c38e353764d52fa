import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import type { RegionalPartProps } from '../framework';
import type { GlobalTableOutput, GlobalTableSettings } from './settings';

/**
 * global-table in one region: publishes the table's name and this region's replica ARN as SSM
 * parameters, so applications of the region find their replica without knowing the layout. Both
 * come from the global stack's outputs (a terraform_remote_state), never from a second copy of
 * the naming rules.
 */
export class GlobalTableRegional extends Construct {
  /** The table's name, read from the global stack. */
  readonly tableName: string;
  /** This region's replica. */
  readonly replicaArn: string;

  constructor(scope: Construct, id: string, props: RegionalPartProps<GlobalTableSettings, GlobalTableOutput>) {
    super(scope, id);
    const { context: ctx, settings } = props;
    this.tableName = props.global.get('table_name');
    // A replica's ARN is the table's with its own region.
    this.replicaArn = Fn.replace(props.global.get('table_arn'), `:${ctx.globalRegion}:`, `:${ctx.region}:`);
    const path = `/${ctx.project}/${ctx.team}/${ctx.environment}/global-table/${settings.name}`;
    new SsmParameter(this, 'table-name', {
      name: `${path}/name`,
      type: 'String',
      value: this.tableName,
      description: 'DynamoDB global table name (from the global stack)',
    });
    new SsmParameter(this, 'replica-arn', {
      name: `${path}/arn`,
      type: 'String',
      value: this.replicaArn,
      description: `ARN of the table's replica in ${ctx.region}`,
    });
  }
}
