import type { JsonRule } from '../../rule';
import { networkShapes } from './network-shape';

export const NAT_PER_ZONE_IN_PRODUCTION: JsonRule = {
  id: 'MR-REL-1',
  pack: 'reliability',
  severity: 'error',
  problem: 'a production VPC with one NAT gateway loses outbound traffic of every zone when that zone fails',
  fix: 'set network.natGateways: per-az for production environments',
  checkov: [],
  check: (json, context) =>
    context.production
      ? networkShapes(json)
          .filter((n) => !n.perZone)
          .map((n) => ({ address: n.nat.address, message: `one NAT gateway serves every zone in production ${context.environment}` }))
      : [],
};
