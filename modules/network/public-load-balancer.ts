import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { boundedName } from '../../lib/name-rules';

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
  /**
   * Serve HTTPS on 443 with this certificate and TLS policy; port 80 then only redirects to HTTPS.
   * @default - plain HTTP on port 80
   */
  readonly https?: LoadBalancerHttps;
  /** Write access logs to this bucket (the bucket policy must let the region's ELB deliver). @default - no access logs */
  readonly accessLogs?: { readonly bucket: string; readonly prefix: string };
}

/** The HTTPS listener's certificate and TLS policy. */
export interface LoadBalancerHttps {
  /** ACM certificate ARN in the load balancer's region. */
  readonly certificateArn: string;
  /**
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
   * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
   */
  readonly sslPolicy?: string;
}

/** TLS 1.3 and 1.2 with forward-secret ciphers only: AWS's recommended policy. */
export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

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
 * An internet-facing Application Load Balancer whose serving listener (HTTPS on 443, or HTTP on
 * 80 when no certificate is given) answers with a fixed response until a target group is
 * attached (see `forwardTo`). With HTTPS, port 80 answers every request with a permanent
 * redirect to HTTPS.
 */
export class PublicLoadBalancer extends Construct {
  readonly arn: string;
  readonly dnsName: string;
  /** The load balancer's Route 53 zone, for alias records. */
  readonly zoneId: string;
  readonly securityGroupId: string;
  /** The listener that serves (HTTPS when configured, else HTTP). */
  readonly listener: LbListener;
  /** Whether the load balancer serves HTTPS. */
  readonly https: boolean;
  private readonly vpcId: string;
  private readonly arnSuffix: string;

  constructor(scope: Construct, id: string, props: PublicLoadBalancerProps) {
    super(scope, id);
    const securityGroup = new SecurityGroup(this, 'sg', {
      name: boundedName([props.name, 'alb'], 255),
      description: `Internet-facing load balancer: ${props.https !== undefined ? 'HTTPS (and HTTP to redirect)' : 'HTTP'} in from anywhere, out only to the VPC`,
      vpcId: props.vpcId,
    });
    this.securityGroupId = securityGroup.id;
    this.https = props.https !== undefined;
    const ports: [string, number, string][] = [['http-ipv4', 80, this.https ? 'HTTP from the internet (redirected to HTTPS)' : 'HTTP from the internet']];
    if (this.https) ports.push(['https-ipv4', 443, 'HTTPS from the internet']);
    for (const [ruleId, port, description] of ports) {
      new VpcSecurityGroupIngressRule(this, ruleId, {
        securityGroupId: securityGroup.id,
        description,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: '0.0.0.0/0',
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
      ...(props.accessLogs !== undefined ? { accessLogs: { bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix, enabled: true } } : {}),
    });
    this.arn = lb.arn;
    this.dnsName = lb.dnsName;
    this.zoneId = lb.zoneId;
    this.arnSuffix = lb.arnSuffix;
    this.vpcId = props.vpcId;

    const fixedResponse = [
      {
        type: 'fixed-response',
        fixedResponse: { contentType: 'text/plain', statusCode: '200', messageBody: props.defaultResponse },
      },
    ];
    if (props.https === undefined) {
      this.listener = new LbListener(this, 'http', { loadBalancerArn: lb.arn, port: 80, protocol: 'HTTP', defaultAction: fixedResponse });
    } else {
      new LbListener(this, 'http', {
        loadBalancerArn: lb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
      });
      this.listener = new LbListener(this, 'https', {
        loadBalancerArn: lb.arn,
        port: 443,
        protocol: 'HTTPS',
        certificateArn: props.https.certificateArn,
        sslPolicy: props.https.sslPolicy ?? DEFAULT_SSL_POLICY,
        defaultAction: fixedResponse,
      });
    }
  }

  /**
   * Adds an HTTP target group in the VPC and makes the serving listener forward to it instead of
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
