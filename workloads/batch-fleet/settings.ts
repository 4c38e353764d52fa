/** The settings of batch-fleet (workloads/batch-fleet/settings.schema.json). */
export interface BatchFleetWorkloadSettings {
  /** Run the fleet only in these regions of the team. @default - every region of the team */
  readonly regions?: readonly string[];
}
