import type { ReportedRule } from '../../rule';

/**
 * ABS rules checked by the constructs themselves, from their typed props, and reported with
 * `Guardrails.report` (see modules/compute). Their messages name the prop to change.
 */
export const ABS_REPORTED_RULES: readonly ReportedRule[] = [
  {
    id: 'MR-ABS-1',
    pack: 'abs',
    severity: 'warning',
    problem: 'requirements without a vCPU maximum let ABS pick the largest matching types (100+ vCPUs) for one instance',
    fix: 'set vcpus.max',
  },
  {
    id: 'MR-ABS-2',
    pack: 'abs',
    severity: 'warning',
    problem: 'requirements without a memory maximum let ABS pick types with terabytes of memory',
    fix: 'set memoryMib.max (memoryGib.max in config)',
  },
  {
    id: 'MR-ABS-3',
    pack: 'abs',
    severity: 'warning',
    problem: 'accelerators neither excluded nor asked for: AWS includes GPU, FPGA and inference types by default, which cost far more',
    fix: 'set acceleratorCount: { max: 0 }',
  },
  {
    id: 'MR-ABS-4',
    pack: 'abs',
    severity: 'warning',
    problem: "an instance-type glob whose family starts with '*' matches its text anywhere in a type name",
    fix: "name the family, e.g. 'm7i.*'",
  },
  {
    id: 'MR-ABS-5',
    pack: 'abs',
    severity: 'warning',
    problem: "an allow-list entry of only '*' allows every type and restricts nothing",
    fix: 'remove it, or name families',
  },
  {
    id: 'MR-ABS-6',
    pack: 'abs',
    severity: 'warning',
    problem: 'spot settings on a group that is 100 % On-Demand above its base do nothing',
    fix: 'lower onDemandPercentageAboveBaseCapacity, or drop the spot settings',
  },
  {
    id: 'MR-ABS-7',
    pack: 'abs',
    severity: 'warning',
    problem: 'fewer than 10 explicit instance types for spot leave interruptions few pools to be replaced from',
    fix: 'use requirements (ABS) instead of instanceTypes, or list at least 10 types',
  },
  {
    id: 'MR-ABS-10',
    pack: 'abs',
    severity: 'warning',
    problem: 'a planned-event capacity reservation whose end date has passed: AWS refuses to create it again',
    fix: 'remove the planned event',
  },
  {
    id: 'MR-ABS-11',
    pack: 'abs',
    severity: 'warning',
    problem: "a 'targeted' capacity reservation is used only by instances that name it, and the groups and fleets here do not",
    fix: "use 'open' unless something targets the reservation",
  },
];
