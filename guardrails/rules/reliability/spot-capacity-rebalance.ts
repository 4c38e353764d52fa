import type { JsonRule } from '../../rule';
import { isTrue, label } from '../helpers';
import { groupDistributions } from './groups';

export const SPOT_CAPACITY_REBALANCE: JsonRule = {
  id: 'MR-REL-4',
  pack: 'reliability',
  severity: 'warning',
  problem: 'a group that runs spot without capacity rebalance only replaces an instance after its two-minute interruption notice',
  fix: 'set capacity_rebalance = true (AbsAutoScalingGroup does whenever spot is possible)',
  checkov: [],
  check: (json) =>
    groupDistributions(json)
      .filter((d) => d.mixed && d.onDemandAboveBase !== undefined && d.onDemandAboveBase < 100 && !isTrue(d.group.body.capacity_rebalance))
      .map((d) => ({
        address: d.group.address,
        message: `group ${label(d.group)} runs ${100 - (d.onDemandAboveBase ?? 0)}% spot above its base without capacity rebalance`,
      })),
};
