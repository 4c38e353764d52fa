import type { JsonRule } from '../../rule';
import { resourcesOf } from '../../terraform-json';
import { label } from '../helpers';

export const GROUP_ACROSS_ZONES: JsonRule = {
  id: 'MR-REL-3',
  pack: 'reliability',
  severity: 'error',
  problem: 'an Auto Scaling group placed in one subnet or zone cannot replace capacity when that zone fails',
  fix: 'place the group in a subnet of every zone (Placement.subnets(network.privateSubnetIds))',
  checkov: [],
  check: (json) =>
    resourcesOf(json, 'aws_autoscaling_group').flatMap((group) => {
      // A reference that expands to a list (`${aws_subnet.private[*].id}`) spans the zones of the network.
      const placements = [group.body.vpc_zone_identifier, group.body.availability_zones].filter((p) => p !== undefined);
      const single = placements.some((p) => Array.isArray(p) && p.length === 1);
      return single ? [{ address: group.address, message: `group ${label(group)} is placed in one subnet or zone` }] : [];
    }),
};
