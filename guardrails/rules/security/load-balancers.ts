import { refersTo, resourcesOf, type ResourceBlock, type TerraformJson } from '../../terraform-json';
export { block, blocks, isTrue, label } from '../helpers';

/** Application load balancers (aws_lb of type application, the default, and aws_alb). */
export function applicationLoadBalancers(json: TerraformJson): ResourceBlock[] {
  return [...resourcesOf(json, 'aws_lb'), ...resourcesOf(json, 'aws_alb')].filter((lb) => (lb.body.load_balancer_type ?? 'application') === 'application');
}

/** Listeners of load balancers (aws_lb_listener, aws_alb_listener). */
export function listeners(json: TerraformJson): ResourceBlock[] {
  return [...resourcesOf(json, 'aws_lb_listener'), ...resourcesOf(json, 'aws_alb_listener')];
}

/** Load balancers of any type (application, network, gateway), aws_lb and aws_alb. */
export function allLoadBalancers(json: TerraformJson): ResourceBlock[] {
  return [...resourcesOf(json, 'aws_lb'), ...resourcesOf(json, 'aws_alb')];
}

export function isNetworkLoadBalancer(lb: ResourceBlock): boolean {
  return lb.body.load_balancer_type === 'network';
}

/** Listeners whose load_balancer_arn references `lb`, in any form of reference. */
export function listenersOf(json: TerraformJson, lb: ResourceBlock): ResourceBlock[] {
  return listeners(json).filter((l) => refersTo(l.body.load_balancer_arn, lb.address));
}
