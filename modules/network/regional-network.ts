import { Fn, Op, TerraformCount, Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import type { NatGateways } from '../../lib/config';
import { ConstructError } from '../construct-error';
import { splat } from '../splat';

export interface RegionalNetworkProps {
  /** Name prefix for the Name tags. */
  readonly name: string;
  /** VPC CIDR block, /16 to /24. @default "10.0.0.0/16" */
  readonly cidr?: string;
  /** Use at most this many availability zones; regions with fewer zones use all of theirs. @default 3 */
  readonly maxAzs?: number;
  /** One NAT gateway per zone, or a single one for the VPC. @default "per-az" */
  readonly natGateways?: NatGateways;
}

/** Subnet index offset of the private subnets: public subnets take netnums 0..7. */
const PRIVATE_NETNUM_OFFSET = 8;

/**
 * The regional network of the seed article: a VPC with a public and a private subnet in every
 * availability zone of the region (up to `maxAzs`), an internet gateway and NAT. Zones come from
 * the region at plan time, so the same code fits a 2-zone and a 6-zone region.
 */
export class RegionalNetwork extends Construct {
  readonly vpcId: string;
  readonly cidr: string;
  /** Ids of the public subnets, one per zone. */
  readonly publicSubnetIds: string[];
  /** Ids of the private subnets, one per zone. */
  readonly privateSubnetIds: string[];
  /** How many zones the network spans (a Terraform expression). */
  readonly zoneCount: number;

  constructor(scope: Construct, id: string, props: RegionalNetworkProps) {
    super(scope, id);
    const cidr = props.cidr ?? '10.0.0.0/16';
    const maxAzs = props.maxAzs ?? 3;
    const natGateways = props.natGateways ?? 'per-az';
    if (!Number.isInteger(maxAzs) || maxAzs < 1 || maxAzs > 6) {
      throw new ConstructError(this, `maxAzs is ${maxAzs}: expected an integer from 1 to 6`);
    }
    const prefixBits = Number(cidr.split('/')[1]);
    if (!(prefixBits >= 16 && prefixBits <= 24)) {
      throw new ConstructError(this, `cidr '${cidr}' must be a /16 to /24 block so that 16 subnets of at least /28 fit`);
    }
    // 16 equal subnets; public take netnums 0..maxAzs-1, private 8..8+maxAzs-1.
    const newBits = 4;

    const zones = new DataAwsAvailabilityZones(this, 'zones', {
      state: 'available',
      // Skip Local Zones and Wavelength Zones: they lack NAT gateways and most instance types.
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    this.zoneCount = Token.asNumber(Fn.min([Fn.lengthOf(zones.names), maxAzs]));

    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    this.vpcId = vpc.id;
    this.cidr = cidr;

    // No rules: nothing may silently use the default security group.
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: vpc.id, tags: { Name: `${props.name}-default-deny` } });

    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: { Name: props.name } });

    const publicCount = TerraformCount.of(this.zoneCount);
    const publicSubnets = new Subnet(this, 'public', {
      count: publicCount,
      vpcId: vpc.id,
      availabilityZone: Fn.element(zones.names, publicCount.index),
      cidrBlock: Fn.cidrsubnet(cidr, newBits, publicCount.index),
      mapPublicIpOnLaunch: false,
      tags: { Name: `${props.name}-public-${Token.asString(publicCount.index)}`, Tier: 'public' },
    });
    const privateCount = TerraformCount.of(this.zoneCount);
    const privateSubnets = new Subnet(this, 'private', {
      count: privateCount,
      vpcId: vpc.id,
      availabilityZone: Fn.element(zones.names, privateCount.index),
      cidrBlock: Fn.cidrsubnet(cidr, newBits, Op.add(PRIVATE_NETNUM_OFFSET, privateCount.index)),
      tags: { Name: `${props.name}-private-${Token.asString(privateCount.index)}`, Tier: 'private' },
    });
    this.publicSubnetIds = splat(publicSubnets, 'id');
    this.privateSubnetIds = splat(privateSubnets, 'id');

    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `${props.name}-public` },
    });
    const publicAssociation = TerraformCount.of(this.zoneCount);
    new RouteTableAssociation(this, 'public-association', {
      count: publicAssociation,
      subnetId: Fn.element(this.publicSubnetIds, publicAssociation.index),
      routeTableId: publicRoutes.id,
    });

    const natCount = natGateways === 'per-az' ? this.zoneCount : 1;
    const eipCount = TerraformCount.of(natCount);
    const eips = new Eip(this, 'nat-ip', {
      count: eipCount,
      domain: 'vpc',
      tags: { Name: `${props.name}-nat-${Token.asString(eipCount.index)}` },
    });
    const gatewayCount = TerraformCount.of(natCount);
    const nats = new NatGateway(this, 'nat', {
      count: gatewayCount,
      allocationId: Fn.element(splat(eips, 'id'), gatewayCount.index),
      subnetId: Fn.element(this.publicSubnetIds, gatewayCount.index),
      tags: { Name: `${props.name}-nat-${Token.asString(gatewayCount.index)}` },
      dependsOn: [igw],
    });
    const privateRouteCount = TerraformCount.of(natCount);
    const privateRoutes = new RouteTable(this, 'private-routes', {
      count: privateRouteCount,
      vpcId: vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: Fn.element(splat(nats, 'id'), privateRouteCount.index) }],
      tags: { Name: `${props.name}-private-${Token.asString(privateRouteCount.index)}` },
    });
    const privateAssociation = TerraformCount.of(this.zoneCount);
    new RouteTableAssociation(this, 'private-association', {
      count: privateAssociation,
      subnetId: Fn.element(this.privateSubnetIds, privateAssociation.index),
      // element() wraps around, so with a single NAT every private subnet uses route table 0.
      routeTableId: Fn.element(splat(privateRoutes, 'id'), privateAssociation.index),
    });
  }
}
