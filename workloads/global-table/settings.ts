/** A key attribute of the table. */
export interface TableKey {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
}

/** The settings of global-table (workloads/global-table/settings.schema.json), defaults filled in. */
export interface GlobalTableSettings {
  /** Table name suffix: `<project>-<team>-<env>-<name>`. */
  readonly name: string;
  readonly partitionKey: TableKey;
  readonly sortKey?: TableKey;
  readonly pointInTimeRecovery: boolean;
  /** @default - the environment's production mark */
  readonly deletionProtection?: boolean;
}

/** What the global part publishes for the regional parts. */
export const GLOBAL_TABLE_OUTPUTS = ['table_name', 'table_arn'] as const;
export type GlobalTableOutput = (typeof GLOBAL_TABLE_OUTPUTS)[number];
