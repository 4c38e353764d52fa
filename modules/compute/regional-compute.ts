import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import type { BatchFleetSettings, ComputeRequirements, ComputeSettings, WebTierSettings } from '../../lib/config';
import { boundedName } from '../../lib/name-rules';
import { ConstructError } from '../construct-error';
import type { PublicLoadBalancer } from '../network/public-load-balancer';
import { AbsEc2Fleet } from './abs-ec2-fleet';
import { AbsLaunchTemplate } from './abs-launch-template';
import { InstanceRequirements, gib } from './instance-requirements';
import { MachineImage } from './machine-image';
import { PlannedEventCapacity } from './planned-event-capacity';
import { TargetTracking } from './target-tracking';
import { WebTier, type WebTierGroupProps } from './web-tier';

export interface RegionalComputeProps {
  /** Name prefix of everything, e.g. `<project>-<team>-<environment>`. */
  readonly name: string;
  /** The team's compute settings (organisation config, environment defaults merged in). */
  readonly settings: ComputeSettings;
  readonly vpcId: string;
  /** Private subnets, one in every availability zone of the region. */
  readonly privateSubnetIds: readonly string[];
  /** The load balancer in front of the web tier; required unless the web tier is disabled. @default - none */
  readonly loadBalancer?: PublicLoadBalancer;
  /** The global stack's instance profile, by name. */
  readonly instanceProfileName: string;
  /** Heading of the web page (names the region). */
  readonly pageTitle: string;
  /** Tags of the instances and volumes. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** The stack's region: only the planned events of this region reserve capacity here. */
  readonly region: string;
}

/** The config's requirements (memory in GiB) as a typed requirement set (memory in MiB). */
export function requirementsFromSettings(settings: ComputeRequirements): InstanceRequirements {
  const { memoryGib, ...rest } = settings;
  return InstanceRequirements.of({
    ...rest,
    memoryMib: { min: gib(memoryGib.min), ...(memoryGib.max !== undefined ? { max: gib(memoryGib.max) } : {}) },
  });
}

/** The web tier's group settings from the config. */
export function webGroupProps(web: WebTierSettings): WebTierGroupProps {
  const spot = web.spotPercent > 0;
  return {
    minCapacity: web.minCapacity,
    maxCapacity: web.maxCapacity,
    ...(web.desiredCapacity !== undefined ? { desiredCapacity: web.desiredCapacity } : {}),
    onDemandBaseCapacity: web.onDemandBaseCapacity,
    onDemandPercentageAboveBaseCapacity: 100 - web.spotPercent,
    // Only with spot: a spot strategy on an On-Demand-only group does nothing (and warns).
    ...(spot ? { spotAllocationStrategy: web.spotAllocationStrategy } : {}),
    requirements: requirementsFromSettings(web.requirements),
    scaling: web.maxCapacity > web.minCapacity ? TargetTracking.cpuUtilization(web.targetCpuPercent) : TargetTracking.none(),
  };
}

/**
 * A team's compute in one region, shaped by its settings: the web tier behind the load
 * balancer (unless disabled: then the load balancer keeps its fixed page) and, when the team
 * declares one, a batch fleet in the private subnets.
 */
export class RegionalCompute extends Construct {
  /** The web tier, unless disabled in the config. */
  readonly web?: WebTier;
  /** The batch fleet, when the team declares one. */
  readonly batch?: AbsEc2Fleet;

  constructor(scope: Construct, id: string, props: RegionalComputeProps) {
    super(scope, id);
    const { web, batch } = props.settings;
    if (web.enabled) {
      if (props.loadBalancer === undefined)
        throw new ConstructError(this, 'the web tier is enabled but no loadBalancer is given: pass the load balancer or disable settings.web');
      this.web = new WebTier(this, 'web', {
        name: props.name,
        vpcId: props.vpcId,
        subnetIds: props.privateSubnetIds,
        loadBalancer: props.loadBalancer,
        instanceProfileName: props.instanceProfileName,
        architectures: web.architectures,
        pageTitle: props.pageTitle,
        group: webGroupProps(web),
        tags: props.tags,
      });
    }
    if (batch !== undefined) this.batch = this.batchFleet(props, batch);
    for (const event of props.settings.plannedEvents.filter((e) => e.region === props.region)) {
      new PlannedEventCapacity(this, `event-${event.event}`, {
        event: event.event,
        endDate: event.endDate,
        instanceTypes: event.instanceTypes,
        availabilityZones: event.availabilityZones,
        instancesPerPool: event.instancesPerPool,
        tags: props.tags,
      });
    }
  }

  private batchFleet(props: RegionalComputeProps, batch: BatchFleetSettings): AbsEc2Fleet {
    const scope = new Construct(this, 'batch');
    const securityGroup = new SecurityGroup(scope, 'sg', {
      name: boundedName([props.name, 'batch'], 255),
      description: 'Batch instances: nothing in, HTTPS out (AWS APIs, updates)',
      vpcId: props.vpcId,
    });
    new VpcSecurityGroupEgressRule(scope, 'https-out', {
      securityGroupId: securityGroup.id,
      description: 'HTTPS to AWS APIs and package repositories (through NAT)',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
    });
    const template = new AbsLaunchTemplate(scope, 'template', {
      name: `${props.name}-batch`,
      images: Object.fromEntries(batch.architectures.map((a) => [a, MachineImage.latestAmazonLinux2023(a)])),
      instanceProfileName: props.instanceProfileName,
      securityGroupIds: [securityGroup.id],
      tags: { ...(props.tags ?? {}), Name: `${props.name}-batch` },
    });
    return new AbsEc2Fleet(scope, 'fleet', {
      type: batch.type,
      launchTemplate: template,
      requirements: requirementsFromSettings(batch.requirements),
      subnetIds: props.privateSubnetIds,
      targetCapacity: {
        total: batch.totalCapacity,
        onDemand: batch.onDemandCapacity,
        defaultType: 'spot',
        ...(batch.capacityUnit !== 'units' ? { unitType: batch.capacityUnit } : {}),
      },
      spot: { allocationStrategy: batch.spotAllocationStrategy },
      tags: { Name: `${props.name}-batch` },
    });
  }
}
