import { defineWorkload } from '../framework';
import { BatchFleetRegional } from './regional';
import type { BatchFleetSettings } from './settings';

/** An ABS EC2 Fleet and planned-event capacity reservations in the team's regions (README.md in this folder). */
export const batchFleet = defineWorkload<BatchFleetSettings>({
  name: 'batch-fleet',
  regional: BatchFleetRegional,
});
