import type { JsonRule } from '../../rule';
import { applicationLoadBalancers, isTrue, label } from './load-balancers';

export const LOAD_BALANCER_DROP_INVALID_HEADERS: JsonRule = {
  id: 'MR-LB-1',
  pack: 'security',
  severity: 'error',
  problem: 'an Application Load Balancer that forwards invalid HTTP headers helps request smuggling against the targets',
  fix: 'set drop_invalid_header_fields = true',
  checkov: ['CKV_AWS_131'],
  check: (json) =>
    applicationLoadBalancers(json)
      .filter((lb) => !isTrue(lb.body.drop_invalid_header_fields))
      .map((lb) => ({ address: lb.address, message: `load balancer ${label(lb)} forwards invalid header fields` })),
};
