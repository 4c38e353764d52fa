import { defineWorkload } from '../framework';
import { BatchFleetRegional } from './regional';
import type { BatchFleetWorkloadSettings } from './settings';

/** An ABS EC2 Fleet and planned-event capacity reservations in the team's regions (README.md in this folder). */
export const batchFleet = defineWorkload<BatchFleetWorkloadSettings>({
  name: 'batch-fleet',
  regional: BatchFleetRegional,
});
