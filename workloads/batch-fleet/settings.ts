/**
 * The settings of batch-fleet (workloads/batch-fleet/settings.schema.json): none of its own. The
 * fleet is the team's compute.batch, the reservations its compute.plannedEvents, and the regions
 * it runs in the team's workloadRegions.batch-fleet.
 */
export type BatchFleetWorkloadSettings = Record<string, never>;
