import type { JsonRule } from '../../rule';
import { label } from '../helpers';
import { groupDistributions } from '../reliability/groups';

export const ON_DEMAND_ONLY_OUTSIDE_PRODUCTION: JsonRule = {
  id: 'MR-COST-2',
  pack: 'cost',
  severity: 'warning',
  problem: 'an ABS group that runs only On-Demand outside production pays up to 90 % more than spot for interruptible work',
  fix: 'set spotPercent (web-service) or onDemandPercentageAboveBaseCapacity below 100 for non-production environments',
  checkov: [],
  check: (json, context) =>
    context.production
      ? []
      : groupDistributions(json)
          .filter((d) => d.mixed && d.onDemandAboveBase === 100)
          .map((d) => ({ address: d.group.address, message: `group ${label(d.group)} runs only On-Demand in non-production ${context.environment}` })),
};
