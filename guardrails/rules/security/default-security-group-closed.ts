import type { JsonRule } from '../../rule';
import { refersTo, resourcesOf } from '../../terraform-json';
import { blocks, label } from '../helpers';

export const DEFAULT_SECURITY_GROUP_CLOSED: JsonRule = {
  id: 'MR-SG-2',
  pack: 'security',
  severity: 'error',
  problem:
    "a VPC's default security group with rules (AWS creates it allowing all traffic between members and all egress) is attached to anything launched without a group",
  fix: 'manage it with an aws_default_security_group without ingress or egress blocks (RegionalNetwork does)',
  checkov: ['CKV2_AWS_12'],
  check: (json) => {
    const defaults = resourcesOf(json, 'aws_default_security_group');
    const open = defaults
      .filter((g) => blocks(g.body.ingress).length > 0 || blocks(g.body.egress).length > 0)
      .map((g) => ({ address: g.address, message: `the default security group ${label(g)} has rules` }));
    const unmanaged = resourcesOf(json, 'aws_vpc')
      .filter((vpc) => !defaults.some((g) => refersTo(g.body.vpc_id, vpc.address)))
      .map((vpc) => ({
        address: vpc.address,
        message: `VPC ${label(vpc)} leaves its default security group as AWS creates it (all traffic between members, all egress)`,
      }));
    return [...open, ...unmanaged];
  },
};
