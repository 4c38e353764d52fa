import type { JsonRule } from '../../rule';
import { refersTo, resourcesOf, type ResourceBlock, type TerraformJson } from '../../terraform-json';
import { blocks } from '../helpers';

const ANYWHERE = ['0.0.0.0/0', '::/0'];
const WEB_PORTS = [80, 443];

/** Security groups attached to a load balancer (aws_lb / aws_alb security_groups). */
function loadBalancerGroups(json: TerraformJson): ResourceBlock[] {
  const balancers = [...resourcesOf(json, 'aws_lb'), ...resourcesOf(json, 'aws_alb')];
  return resourcesOf(json, 'aws_security_group').filter((group) =>
    balancers.some((lb) => JSON.stringify(lb.body.security_groups ?? []).includes(`\${${group.address}.id}`)),
  );
}

interface OpenIngress {
  readonly address: string;
  readonly group: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly source: string;
}

function openIngress(json: TerraformJson): OpenIngress[] {
  const out: OpenIngress[] = [];
  for (const rule of resourcesOf(json, 'aws_vpc_security_group_ingress_rule')) {
    const source = [rule.body.cidr_ipv4, rule.body.cidr_ipv6].find((c) => typeof c === 'string' && ANYWHERE.includes(c));
    if (source !== undefined)
      out.push({ address: rule.address, group: String(rule.body.security_group_id), from: rule.body.from_port, to: rule.body.to_port, source: String(source) });
  }
  for (const rule of resourcesOf(json, 'aws_security_group_rule')) {
    if (rule.body.type !== 'ingress') continue;
    const source = [...((rule.body.cidr_blocks as string[] | undefined) ?? []), ...((rule.body.ipv6_cidr_blocks as string[] | undefined) ?? [])].find((c) =>
      ANYWHERE.includes(c),
    );
    if (source !== undefined)
      out.push({ address: rule.address, group: String(rule.body.security_group_id), from: rule.body.from_port, to: rule.body.to_port, source });
  }
  for (const group of resourcesOf(json, 'aws_security_group')) {
    for (const ingress of blocks(group.body.ingress)) {
      const source = [...((ingress.cidr_blocks as string[] | undefined) ?? []), ...((ingress.ipv6_cidr_blocks as string[] | undefined) ?? [])].find((c) =>
        ANYWHERE.includes(c),
      );
      if (source !== undefined) out.push({ address: group.address, group: `\${${group.address}.id}`, from: ingress.from_port, to: ingress.to_port, source });
    }
  }
  return out;
}

export const SECURITY_GROUP_OPEN_INGRESS: JsonRule = {
  id: 'MR-SG-1',
  pack: 'security',
  severity: 'error',
  problem: 'ingress from the whole internet (0.0.0.0/0 or ::/0) other than HTTP/HTTPS to a load balancer exposes the service to every scanner',
  fix: 'allow 0.0.0.0/0 and ::/0 only on ports 80/443 of a load balancer security group; reach instances through the load balancer or SSM Session Manager',
  checkov: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_260'],
  check: (json) => {
    const lbGroups = loadBalancerGroups(json);
    return openIngress(json)
      .filter((i) => !(i.from === i.to && WEB_PORTS.includes(Number(i.from)) && lbGroups.some((g) => refersTo(i.group, g.address))))
      .map((i) => ({
        address: i.address,
        message: `ingress from ${i.source} on port${i.from === i.to ? ` ${String(i.from)}` : `s ${String(i.from)}-${String(i.to)}`}${lbGroups.some((g) => refersTo(i.group, g.address)) ? '' : " to a group that is not a load balancer's"}`,
      }));
  },
};
