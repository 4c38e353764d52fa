import type { JsonRule } from '../../rule';
import { refersTo, resourcesOf } from '../../terraform-json';
import { blocks, label } from '../helpers';

const SEPARATE_RULE_TYPES = ['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'];

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
    // Rules attached as resources of their own, to the managed default group or to a VPC's default group by attribute.
    const vpcs = resourcesOf(json, 'aws_vpc');
    const attached = SEPARATE_RULE_TYPES.flatMap((type) => resourcesOf(json, type))
      .filter((rule) => {
        const group = rule.body.security_group_id;
        const viaVpc = vpcs.some((vpc) => refersTo(group, vpc.address) && typeof group === 'string' && group.includes('.default_security_group_id'));
        return defaults.some((g) => refersTo(group, g.address)) || viaVpc;
      })
      .map((rule) => ({ address: rule.address, message: `${rule.type} ${label(rule)} adds a rule to a VPC's default security group` }));
    const unmanaged = resourcesOf(json, 'aws_vpc')
      .filter((vpc) => !defaults.some((g) => refersTo(g.body.vpc_id, vpc.address)))
      .map((vpc) => ({
        address: vpc.address,
        message: `VPC ${label(vpc)} leaves its default security group as AWS creates it (all traffic between members, all egress)`,
      }));
    return [...open, ...attached, ...unmanaged];
  },
};
