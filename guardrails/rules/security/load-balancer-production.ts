import type { JsonRule } from '../../rule';
import { allLoadBalancers, block, isNetworkLoadBalancer, isTrue, label, listenersOf } from './load-balancers';

export const LOAD_BALANCER_ACCESS_LOGS: JsonRule = {
  id: 'MR-LB-4',
  pack: 'security',
  severity: 'error',
  problem:
    'a production load balancer without access logs leaves no record of who called what during an incident (a Network Load Balancer logs only its TLS listeners, so only one with a TLS listener is asked)',
  fix: 'set access_logs { bucket = <log bucket>, enabled = true } (web-service does in environments marked production)',
  checkov: ['CKV_AWS_91'],
  check: (json, context) =>
    context.production
      ? allLoadBalancers(json)
          .filter(
            (lb) =>
              (lb.body.load_balancer_type ?? 'application') === 'application' ||
              (isNetworkLoadBalancer(lb) && listenersOf(json, lb).some((l) => l.body.protocol === 'TLS')),
          )
          .filter((lb) => !isTrue(block(lb.body.access_logs)?.enabled))
          .map((lb) => ({ address: lb.address, message: `load balancer ${label(lb)} in production ${context.environment} writes no access logs` }))
      : [],
};

export const LOAD_BALANCER_DELETION_PROTECTION: JsonRule = {
  id: 'MR-LB-5',
  pack: 'security',
  severity: 'error',
  problem: 'a production load balancer without deletion protection is one mistaken destroy away from an outage',
  fix: 'set enable_deletion_protection = true',
  checkov: ['CKV_AWS_150'],
  check: (json, context) =>
    context.production
      ? allLoadBalancers(json)
          .filter((lb) => !isTrue(lb.body.enable_deletion_protection))
          .map((lb) => ({ address: lb.address, message: `load balancer ${label(lb)} in production ${context.environment} has no deletion protection` }))
      : [],
};
