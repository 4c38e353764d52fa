import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { PublicLoadBalancer } from '../network/public-load-balancer';
import { boundedName } from '../../lib/name-rules';
import { AbsAutoScalingGroup, type AbsAutoScalingGroupProps } from './abs-auto-scaling-group';
import { AbsLaunchTemplate } from './abs-launch-template';
import { MachineImage, type CpuArchitecture } from './machine-image';
import { Placement } from './placement';

/** How the group sizes and shapes itself: everything of AbsAutoScalingGroupProps the tier does not decide. */
export type WebTierGroupProps = Omit<AbsAutoScalingGroupProps, 'name' | 'launchTemplate' | 'placement' | 'targetGroupArns' | 'tags' | 'instanceTypes'>;

export interface WebTierProps {
  /** Name prefix of the templates, the group and the target group. */
  readonly name: string;
  readonly vpcId: string;
  /** Private subnets, one in every availability zone of the region. */
  readonly subnetIds: readonly string[];
  /** The load balancer that forwards to the tier (its fixed response is replaced). */
  readonly loadBalancer: PublicLoadBalancer;
  /** Instance profile of the instances (the global stack's, found by name). */
  readonly instanceProfileName: string;
  /** Architectures to run on, each with the latest Amazon Linux 2023 AMI; the first is the default. */
  readonly architectures: readonly CpuArchitecture[];
  /** Heading of the page the instances serve. */
  readonly pageTitle: string;
  /** Capacity, distribution, requirements and scaling of the group. */
  readonly group: WebTierGroupProps;
  /** Tags of the instances and volumes. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

const PORT = 80;

/**
 * The seed article's web tier: an ABS Auto Scaling group in the private subnets behind the
 * public load balancer, whose instances serve a page naming the region, the instance type,
 * architecture, zone and purchase option they landed on.
 */
export class WebTier extends Construct {
  readonly group: AbsAutoScalingGroup;
  readonly launchTemplate: AbsLaunchTemplate;
  readonly securityGroupId: string;
  readonly targetGroupArn: string;

  constructor(scope: Construct, id: string, props: WebTierProps) {
    super(scope, id);
    const securityGroup = new SecurityGroup(this, 'sg', {
      name: boundedName([props.name, 'web'], 255),
      description: 'Web tier instances: HTTP from the load balancer only, HTTPS out (updates, SSM)',
      vpcId: props.vpcId,
    });
    this.securityGroupId = securityGroup.id;
    new VpcSecurityGroupIngressRule(this, 'http-from-alb', {
      securityGroupId: securityGroup.id,
      description: 'HTTP from the load balancer',
      ipProtocol: 'tcp',
      fromPort: PORT,
      toPort: PORT,
      referencedSecurityGroupId: props.loadBalancer.securityGroupId,
    });
    new VpcSecurityGroupEgressRule(this, 'https-out', {
      securityGroupId: securityGroup.id,
      description: 'HTTPS to AWS APIs and package repositories (through NAT)',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
    });

    const targets = props.loadBalancer.forwardTo('web-targets', { name: `${props.name}-web`, port: PORT, healthCheckPath: '/' });
    this.targetGroupArn = targets.arn;

    this.launchTemplate = new AbsLaunchTemplate(this, 'template', {
      name: `${props.name}-web`,
      images: Object.fromEntries(props.architectures.map((a) => [a, MachineImage.latestAmazonLinux2023(a)])),
      instanceProfileName: props.instanceProfileName,
      securityGroupIds: [securityGroup.id],
      userData: webPageUserData(props.pageTitle),
      tags: props.tags,
    });
    this.group = new AbsAutoScalingGroup(this, 'group', {
      ...props.group,
      name: `${props.name}-web`,
      launchTemplate: this.launchTemplate,
      placement: Placement.subnets(props.subnetIds),
      targetGroupArns: [targets.arn],
      tags: { ...(props.tags ?? {}), Name: `${props.name}-web` },
    });
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * User data of the web instances: a page with the title and what the instance found out about
 * itself through IMDSv2, served on port 80 by Python's http.server as an unprivileged systemd
 * service (Amazon Linux 2023 ships Python; nothing to install, so no repository access needed).
 */
export function webPageUserData(title: string): string {
  // The page heredoc expands $(...) for the metadata, so the title must not contain shell syntax.
  const safeTitle = escapeHtml(title).replace(/[\\`$]/g, '');
  return [
    '#!/bin/bash',
    '# multiregion web tier: serve a page naming the region on port 80.',
    'set -euo pipefail',
    'imds() {',
    '  local token',
    "  token=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')",
    '  curl -sS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"',
    '}',
    'mkdir -p /var/www',
    'cat > /var/www/index.html <<PAGE',
    `<!doctype html><html><head><meta charset="utf-8"><title>${safeTitle}</title></head><body>`,
    `<h1>${safeTitle}</h1>`,
    '<p>Served by $(imds instance-type) ($(uname -m), $(imds instance-life-cycle)) in $(imds placement/availability-zone).</p>',
    '</body></html>',
    'PAGE',
    "cat > /etc/systemd/system/web-page.service <<'UNIT'",
    '[Unit]',
    'Description=multiregion web page',
    'After=network-online.target',
    '[Service]',
    'ExecStart=/usr/bin/python3 -m http.server 80 --directory /var/www',
    'DynamicUser=yes',
    'AmbientCapabilities=CAP_NET_BIND_SERVICE',
    'Restart=always',
    '[Install]',
    'WantedBy=multi-user.target',
    'UNIT',
    'systemctl daemon-reload',
    'systemctl enable --now web-page.service',
    '',
  ].join('\n');
}
