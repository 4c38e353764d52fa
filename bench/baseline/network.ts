// The network of baseline (c): the VPC, subnets, gateways and routes of modules/network, written
// as the cdktf template would (see main.ts). Split from main.ts only to keep files short.
import { Construct } from "constructs";
import { Fn, Op, TerraformCount, TerraformStack, Token, ref } from "cdktf";
import { dataAwsAvailabilityZones, defaultSecurityGroup, eip, internetGateway, natGateway, routeTable, routeTableAssociation, subnet, vpc } from "@cdktf/provider-aws";

export const NAME = "awsome-infra-research-dev";
export const CIDR = "10.21.64.0/18";
const MAX_AZS = 3;

export function splat(resource: { terraformResourceType: string; friendlyUniqueId: string }, attribute: string, stack: TerraformStack): string[] {
  return Token.asList(ref(`${resource.terraformResourceType}.${resource.friendlyUniqueId}[*].${attribute}`, stack));
}

export class Network extends Construct {
  readonly vpcId: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];

  constructor(scope: TerraformStack, id: string) {
    super(scope, id);
    const zones = new dataAwsAvailabilityZones.DataAwsAvailabilityZones(this, "zones", {
      state: "available",
      filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    const zoneCount = Token.asNumber(Fn.min([Fn.lengthOf(zones.names), MAX_AZS]));

    const theVpc = new vpc.Vpc(this, "vpc", {
      cidrBlock: CIDR,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: NAME },
    });
    this.vpcId = theVpc.id;
    new defaultSecurityGroup.DefaultSecurityGroup(this, "default-sg", { vpcId: theVpc.id, tags: { Name: `${NAME}-default-deny` } });
    const igw = new internetGateway.InternetGateway(this, "igw", { vpcId: theVpc.id, tags: { Name: NAME } });

    const publicCount = TerraformCount.of(zoneCount);
    const publicSubnets = new subnet.Subnet(this, "public", {
      count: publicCount,
      vpcId: theVpc.id,
      availabilityZone: Fn.element(zones.names, publicCount.index),
      cidrBlock: Fn.cidrsubnet(CIDR, 4, publicCount.index),
      mapPublicIpOnLaunch: false,
      tags: { Name: `${NAME}-public-${Token.asString(publicCount.index)}`, Tier: "public" },
    });
    const privateCount = TerraformCount.of(zoneCount);
    const privateSubnets = new subnet.Subnet(this, "private", {
      count: privateCount,
      vpcId: theVpc.id,
      availabilityZone: Fn.element(zones.names, privateCount.index),
      cidrBlock: Fn.cidrsubnet(CIDR, 4, Op.add(8, privateCount.index)),
      tags: { Name: `${NAME}-private-${Token.asString(privateCount.index)}`, Tier: "private" },
    });
    this.publicSubnetIds = splat(publicSubnets, "id", scope);
    const privateSubnetIds = splat(privateSubnets, "id", scope);
    this.privateSubnetIds = privateSubnetIds;

    const publicRoutes = new routeTable.RouteTable(this, "public-routes", {
      vpcId: theVpc.id,
      route: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
      tags: { Name: `${NAME}-public` },
    });
    const publicAssociation = TerraformCount.of(zoneCount);
    new routeTableAssociation.RouteTableAssociation(this, "public-association", {
      count: publicAssociation,
      subnetId: Fn.element(this.publicSubnetIds, publicAssociation.index),
      routeTableId: publicRoutes.id,
    });

    // dev uses a single NAT gateway (natGateways: single in environments/dev.yaml).
    const eipCount = TerraformCount.of(1);
    const eips = new eip.Eip(this, "nat-ip", {
      count: eipCount,
      domain: "vpc",
      tags: { Name: `${NAME}-nat-${Token.asString(eipCount.index)}` },
    });
    const gatewayCount = TerraformCount.of(1);
    const nats = new natGateway.NatGateway(this, "nat", {
      count: gatewayCount,
      allocationId: Fn.element(splat(eips, "id", scope), gatewayCount.index),
      subnetId: Fn.element(this.publicSubnetIds, gatewayCount.index),
      tags: { Name: `${NAME}-nat-${Token.asString(gatewayCount.index)}` },
      dependsOn: [igw],
    });
    const privateRouteCount = TerraformCount.of(1);
    const privateRoutes = new routeTable.RouteTable(this, "private-routes", {
      count: privateRouteCount,
      vpcId: theVpc.id,
      route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: Fn.element(splat(nats, "id", scope), privateRouteCount.index) }],
      tags: { Name: `${NAME}-private-${Token.asString(privateRouteCount.index)}` },
    });
    const privateAssociation = TerraformCount.of(zoneCount);
    new routeTableAssociation.RouteTableAssociation(this, "private-association", {
      count: privateAssociation,
      subnetId: Fn.element(privateSubnetIds, privateAssociation.index),
      routeTableId: Fn.element(splat(privateRoutes, "id", scope), privateAssociation.index),
    });
  }
}

