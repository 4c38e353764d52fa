import { resourcesOf, type ResourceBlock, type TerraformJson } from '../../terraform-json';
export { block, blocks, isTrue, label } from '../helpers';

/** Application load balancers (aws_lb of type application, the default, and aws_alb). */
export function applicationLoadBalancers(json: TerraformJson): ResourceBlock[] {
  return [...resourcesOf(json, 'aws_lb'), ...resourcesOf(json, 'aws_alb')].filter((lb) => (lb.body.load_balancer_type ?? 'application') === 'application');
}

/** Listeners of load balancers (aws_lb_listener, aws_alb_listener). */
export function listeners(json: TerraformJson): ResourceBlock[] {
  return [...resourcesOf(json, 'aws_lb_listener'), ...resourcesOf(json, 'aws_alb_listener')];
}
