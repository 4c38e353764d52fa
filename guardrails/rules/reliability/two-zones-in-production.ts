import type { JsonRule } from '../../rule';
import { resourcesOf } from '../../terraform-json';
import { networkShapes } from './network-shape';

export const TWO_ZONES_IN_PRODUCTION: JsonRule = {
  id: 'MR-REL-2',
  pack: 'reliability',
  severity: 'error',
  problem: 'a production VPC in fewer than two availability zones goes down with its zone',
  fix: 'set network.maxAzs to 2 or more (3 is the default)',
  checkov: [],
  check: (json, context) => {
    if (!context.production) return [];
    const shape = networkShapes(json)[0];
    const vpc = resourcesOf(json, 'aws_vpc')[0];
    if (vpc === undefined || shape?.maxZones === undefined || shape.maxZones >= 2) return [];
    return [{ address: vpc.address, message: `subnets span at most ${shape.maxZones} zone in production ${context.environment}` }];
  },
};
