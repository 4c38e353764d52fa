import { Construct } from 'constructs';
import { RegionalCompute } from '../../modules/compute/regional-compute';
import type { RegionalPartProps } from '../framework';
import type { BatchFleetSettings } from './settings';

/**
 * batch-fleet in one region: the team's ABS EC2 Fleet (compute.batch) in the private subnets of
 * the team's VPC, and the On-Demand Capacity Reservations of the planned events of this region
 * (compute.plannedEvents). The team's workloadRegions.batch-fleet limits the regions.
 */
export class BatchFleetRegional extends Construct {
  readonly compute: RegionalCompute;

  constructor(scope: Construct, id: string, props: RegionalPartProps<BatchFleetSettings, never>) {
    super(scope, id);
    const { context: ctx } = props;
    const network = props.network();
    this.compute = new RegionalCompute(this, 'compute', {
      name: ctx.name([]),
      settings: {
        web: { ...ctx.compute.web, enabled: false },
        batch: ctx.compute.batch,
        plannedEvents: ctx.compute.plannedEvents,
      },
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      instanceProfileName: ctx.identity.instanceProfileName,
      region: ctx.region,
      pageTitle: '',
      tags: ctx.coreTags,
    });
  }
}
