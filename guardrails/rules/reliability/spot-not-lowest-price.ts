import type { JsonRule } from '../../rule';
import { resourcesOf } from '../../terraform-json';
import { block, label } from '../helpers';
import { groupDistributions } from './groups';

export const SPOT_NOT_LOWEST_PRICE: JsonRule = {
  id: 'MR-REL-5',
  pack: 'reliability',
  severity: 'warning',
  problem: 'lowest-price spot allocation draws from the cheapest pools, which are interrupted most',
  fix: "use 'price-capacity-optimized' (AWS's recommendation, the constructs' default)",
  checkov: [],
  check: (json) => [
    ...groupDistributions(json)
      .filter((d) => d.spotAllocationStrategy === 'lowest-price' && (d.onDemandAboveBase === undefined || d.onDemandAboveBase < 100))
      .map((d) => ({ address: d.group.address, message: `group ${label(d.group)} allocates spot by lowest price` })),
    ...resourcesOf(json, 'aws_ec2_fleet')
      .filter((f) => ['lowestPrice', 'lowest-price'].includes(String(block(f.body.spot_options)?.allocation_strategy)))
      .map((f) => ({ address: f.address, message: 'fleet allocates spot by lowest price' })),
  ],
};
