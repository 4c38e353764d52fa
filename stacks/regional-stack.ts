import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { boundedName } from '../lib/names';
import { workloadInstanceProfileName } from '../lib/naming';
import { RegionalCompute } from '../modules/compute/regional-compute';
import { RegionalNetwork } from '../modules/network/regional-network';
import { PublicLoadBalancer } from '../modules/network/public-load-balancer';
import { defaultTagsFor, WorkloadStack, type WorkloadStackProps } from './base-stack';

/**
 * The regional stack of a team: the seed article's sample workload in one region (VPC across
 * the region's zones, NAT, an internet-facing ALB whose page names the region).
 */
export class RegionalStack extends WorkloadStack {
  readonly network: RegionalNetwork;
  readonly loadBalancer: PublicLoadBalancer;
  /** The web tier behind the load balancer and the team's batch fleet (the README, "Compute (ABS)"). */
  readonly compute: RegionalCompute;

  constructor(scope: Construct, props: WorkloadStackProps) {
    super(scope, props);
    const { spec, org } = props;
    if (spec.scope !== 'regional') throw new Error(`RegionalStack needs a regional spec, got ${spec.stack}`);
    const team = org.environments.find((e) => e.name === spec.environment)?.teams.find((t) => t.name === spec.team);
    if (team === undefined) throw new Error(`no team ${spec.team} in ${spec.environment}`);
    const name = `${org.project.project}-${spec.team}-${spec.environment}`;

    this.network = new RegionalNetwork(this, 'network', {
      name,
      cidr: team.network.cidr,
      maxAzs: team.network.maxAzs,
      natGateways: team.network.natGateways,
    });
    this.loadBalancer = new PublicLoadBalancer(this, 'web', {
      name: boundedName([spec.team, spec.environment, spec.region], 32),
      vpcId: this.network.vpcId,
      vpcCidr: this.network.cidr,
      subnetIds: this.network.publicSubnetIds,
      defaultResponse: `Hello from ${spec.region} (${org.project.project}, team ${spec.team}, environment ${spec.environment})`,
    });

    this.compute = new RegionalCompute(this, 'compute', {
      name,
      settings: team.compute,
      vpcId: this.network.vpcId,
      privateSubnetIds: this.network.privateSubnetIds,
      loadBalancer: this.loadBalancer,
      // The global stack creates the profile; deploy it before the regions (see README).
      instanceProfileName: workloadInstanceProfileName(org.project.project, spec.environment, spec.team),
      region: spec.region,
      pageTitle: `Hello from ${spec.region} (${org.project.project}, team ${spec.team}, environment ${spec.environment})`,
      // The provider's default_tags reach neither launched instances nor their volumes. Without
      // Version: a release that changes nothing else must not roll every instance.
      tags: defaultTagsFor({ ...props, version: undefined }),
    });

    new TerraformOutput(this, 'vpc_id', { value: this.network.vpcId });
    new TerraformOutput(this, 'alb_dns_name', { value: this.loadBalancer.dnsName, description: 'Browse to http://<this>/ to see the region' });
  }
}
