/**
 * The settings of batch-fleet (generated from settings.schema.json): none of its own. The fleet is
 * the team's compute.batch, the reservations its compute.plannedEvents, and the regions it runs
 * in the team's workloadRegions.batch-fleet.
 */
export type { BatchFleetSettings } from '../../lib/generated/workload-settings-types';
