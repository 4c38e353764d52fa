import { batchFleet } from './batch-fleet';
import type { AnyWorkloadDefinition } from './framework';
import { globalTable } from './global-table';
import { webService } from './web-service';

/**
 * Every workload, by the name teams list in config. `npx multiregion workload new <name>` adds
 * a line here; a unit test checks that this list and the workload folders agree.
 */
export const WORKLOADS: readonly AnyWorkloadDefinition[] = [batchFleet, globalTable, webService];

/** The definition of a workload the config validated (an unknown name is a bug by then). */
export function workloadDefinition(name: string): AnyWorkloadDefinition {
  const definition = WORKLOADS.find((w) => w.name === name);
  if (definition === undefined) throw new Error(`workload '${name}' passed config validation but is not in workloads/registry.ts`);
  return definition;
}
