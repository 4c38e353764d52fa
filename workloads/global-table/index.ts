import { defineWorkload } from '../framework';
import { GlobalTableGlobal } from './global';
import { GlobalTableRegional } from './regional';
import { GLOBAL_TABLE_OUTPUTS, type GlobalTableOutput, type GlobalTableSettings } from './settings';

/** A DynamoDB global table with a replica in every region of the team (README.md in this folder). */
export const globalTable = defineWorkload<GlobalTableSettings, GlobalTableOutput>({
  name: 'global-table',
  globalOutputs: GLOBAL_TABLE_OUTPUTS,
  global: GlobalTableGlobal,
  regional: GlobalTableRegional,
});
