import { resourcesOf, type ResourceBlock, type TerraformJson } from '../../terraform-json';
import { block } from '../helpers';

export interface GroupDistribution {
  readonly group: ResourceBlock;
  /** On-Demand share above the base, AWS's default 100 when unset; undefined when a token. */
  readonly onDemandAboveBase?: number;
  readonly spotAllocationStrategy?: string;
  readonly mixed: boolean;
}

/** Auto Scaling groups with their instances distribution (mixed instances policy). */
export function groupDistributions(json: TerraformJson): GroupDistribution[] {
  return resourcesOf(json, 'aws_autoscaling_group').map((group) => {
    const policy = block(group.body.mixed_instances_policy);
    const distribution = block(policy?.instances_distribution);
    const share = distribution?.on_demand_percentage_above_base_capacity;
    return {
      group,
      mixed: policy !== undefined,
      onDemandAboveBase: share === undefined ? 100 : typeof share === 'number' ? share : undefined,
      spotAllocationStrategy: typeof distribution?.spot_allocation_strategy === 'string' ? distribution.spot_allocation_strategy : undefined,
    };
  });
}
