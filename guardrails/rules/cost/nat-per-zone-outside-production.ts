import type { JsonRule } from '../../rule';
import { networkShapes } from '../reliability/network-shape';

export const NAT_PER_ZONE_OUTSIDE_PRODUCTION: JsonRule = {
  id: 'MR-COST-1',
  pack: 'cost',
  severity: 'warning',
  problem:
    'a NAT gateway per zone outside production costs a gateway (about 33 USD a month plus traffic) per zone for resilience a test environment rarely needs',
  fix: 'set network.natGateways: single for non-production environments, or suppress where zone-independence is tested here',
  checkov: [],
  check: (json, context) =>
    context.production
      ? []
      : networkShapes(json)
          .filter((n) => n.perZone)
          .map((n) => ({ address: n.nat.address, message: `a NAT gateway per zone in non-production ${context.environment}` })),
};
