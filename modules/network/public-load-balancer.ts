import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { boundedName } from '../../lib/names';

export interface PublicLoadBalancerProps {
  /** Name of the load balancer; shortened with a hash to the 32 characters AWS allows. */
  readonly name: string;
  readonly vpcId: string;
  /** CIDR of the VPC: the load balancer may only send traffic there. */
  readonly vpcCidr: string;
  /** Public subnets, one per zone. */
  readonly subnetIds: string[];
  /** Text of the default response (the seed article's page names the region). */
  readonly defaultResponse: string;
  /** Refuse `terraform destroy` of the load balancer. @default false */
  readonly deletionProtection?: boolean;
}

export interface ForwardTargetsProps {
  /** Name of the target group; shortened with a hash to the 32 characters AWS allows. */
  readonly name: string;
  /** Port the targets listen on (HTTP). @default 80 */
  readonly port?: number;
  /** Path the load balancer checks for a 200. @default "/" */
  readonly healthCheckPath?: string;
  /** Seconds a deregistering target keeps serving in-flight requests. @default 30 */
  readonly deregistrationDelaySeconds?: number;
}

/** A target group the listener forwards to; register instances with `arn`. */
export interface ForwardTargets {
  readonly arn: string;
  /** For ALBRequestCountPerTarget scaling: `<lb arn suffix>/<target group arn suffix>`. */
  readonly resourceLabel: string;
}

/**
 * An internet-facing Application Load Balancer with an HTTP listener that answers with a fixed
 * response until a target group is attached (see `forwardTo`).
 */
export class PublicLoadBalancer extends Construct {
  readonly arn: string;
  readonly dnsName: string;
  readonly securityGroupId: string;
  readonly listener: LbListener;
  private readonly vpcId: string;
  private readonly arnSuffix: string;

  constructor(scope: Construct, id: string, props: PublicLoadBalancerProps) {
    super(scope, id);
    const securityGroup = new SecurityGroup(this, 'sg', {
      name: boundedName([props.name, 'alb'], 255),
      description: 'Internet-facing load balancer: HTTP in from anywhere, out only to the VPC',
      vpcId: props.vpcId,
    });
    this.securityGroupId = securityGroup.id;
    for (const [ruleId, cidr] of [['http-ipv4', '0.0.0.0/0']] as const) {
      new VpcSecurityGroupIngressRule(this, ruleId, {
        securityGroupId: securityGroup.id,
        description: 'HTTP from the internet',
        ipProtocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        cidrIpv4: cidr,
      });
    }
    new VpcSecurityGroupEgressRule(this, 'to-vpc', {
      securityGroupId: securityGroup.id,
      description: 'To targets inside the VPC only',
      ipProtocol: 'tcp',
      fromPort: 0,
      toPort: 65535,
      cidrIpv4: props.vpcCidr,
    });

    const lb = new Lb(this, 'alb', {
      name: boundedName([props.name], 32),
      loadBalancerType: 'application',
      internal: false,
      securityGroups: [securityGroup.id],
      subnets: props.subnetIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? false,
    });
    this.arn = lb.arn;
    this.dnsName = lb.dnsName;
    this.arnSuffix = lb.arnSuffix;
    this.vpcId = props.vpcId;

    this.listener = new LbListener(this, 'http', {
      loadBalancerArn: lb.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [
        {
          type: 'fixed-response',
          fixedResponse: { contentType: 'text/plain', statusCode: '200', messageBody: props.defaultResponse },
        },
      ],
    });
  }

  /**
   * Adds an HTTP target group in the VPC and makes the listener forward to it instead of
   * answering with the fixed response. Call once: the listener has one default action.
   */
  forwardTo(id: string, props: ForwardTargetsProps): ForwardTargets {
    const targetGroup = new LbTargetGroup(this, id, {
      name: boundedName([props.name], 32),
      port: props.port ?? 80,
      protocol: 'HTTP',
      targetType: 'instance',
      vpcId: this.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySeconds ?? 30),
      healthCheck: {
        path: props.healthCheckPath ?? '/',
        matcher: '200',
        interval: 15,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
        timeout: 5,
      },
    });
    this.listener.putDefaultAction([{ type: 'forward', targetGroupArn: targetGroup.arn }]);
    return { arn: targetGroup.arn, resourceLabel: `${this.arnSuffix}/${targetGroup.arnSuffix}` };
  }
}
