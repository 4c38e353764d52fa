/** The settings of global-table, validated and with defaults filled in: generated from settings.schema.json. */
export type { GlobalTableSettings } from '../../lib/generated/workload-settings-types';

/** What the global part publishes for the regional parts. */
export const GLOBAL_TABLE_OUTPUTS = ['table_name', 'table_arn'] as const;
export type GlobalTableOutput = (typeof GLOBAL_TABLE_OUTPUTS)[number];
