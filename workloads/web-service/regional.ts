import { Construct } from 'constructs';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { TerraformIterator, TerraformOutput, Token } from 'cdktf';
import { boundedName } from '../../lib/name-rules';
import { RegionalCompute } from '../../modules/compute/regional-compute';
import { PublicLoadBalancer } from '../../modules/network/public-load-balancer';
import { AccessLogBucket } from '../../modules/storage/access-log-bucket';
import { Guardrails } from '../../guardrails/suppressions';
import type { RegionalPartProps } from '../framework';
import type { WebServiceSettings } from './settings';

/**
 * web-service in one region: the team's VPC, an internet-facing ALB (HTTPS with a modern TLS
 * policy, HTTP redirected; plain HTTP only when the settings say so), its access logs, and the
 * ABS web tier of compute.web behind it. With a domain, a latency-routed alias record per region
 * sends each user to the nearest region.
 */
export class WebServiceRegional extends Construct {
  readonly loadBalancer: PublicLoadBalancer;
  readonly compute: RegionalCompute;

  constructor(scope: Construct, id: string, props: RegionalPartProps<WebServiceSettings, never>) {
    super(scope, id);
    const { context: ctx, settings } = props;
    const network = props.network();
    const title = `Hello from ${ctx.region} (${ctx.project}, team ${ctx.team}, environment ${ctx.environment})`;
    const accessLogs = settings.accessLogs.enabled
      ? new AccessLogBucket(this, 'access-logs', {
          bucketName: ctx.regionalName(['alb-logs', ctx.account], 63),
          account: ctx.account,
          retentionDays: settings.accessLogs.retentionDays,
          // Outside production, destroying a region (retirement) must not stop at a bucket of logs.
          forceDestroy: !ctx.production,
        })
      : undefined;
    this.loadBalancer = new PublicLoadBalancer(this, 'alb', {
      name: boundedName([ctx.team, ctx.environment, ctx.region], 32),
      vpcId: network.vpcId,
      vpcCidr: network.cidr,
      subnetIds: network.publicSubnetIds,
      defaultResponse: title,
      deletionProtection: settings.deletionProtection ?? ctx.production,
      ...(settings.https !== undefined ? { https: { certificateArn: this.certificateArn(props), sslPolicy: settings.https.sslPolicy } } : {}),
      ...(accessLogs !== undefined ? { accessLogs: { bucket: accessLogs.name, prefix: accessLogs.prefix } } : {}),
    });
    this.compute = new RegionalCompute(this, 'compute', {
      name: ctx.name([]),
      settings: { ...ctx.compute, batch: undefined, plannedEvents: [] },
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      loadBalancer: this.loadBalancer,
      instanceProfileName: ctx.identity.instanceProfileName,
      region: ctx.region,
      pageTitle: title,
      // The provider's default_tags reach neither launched instances nor their volumes.
      tags: ctx.coreTags,
    });
    const https = settings.https;
    if (https?.domainName !== undefined && https.hostedZoneId !== undefined) {
      new Route53Record(this, 'alias', {
        zoneId: https.hostedZoneId,
        name: https.domainName,
        type: 'A',
        setIdentifier: ctx.region,
        latencyRoutingPolicy: { region: ctx.region },
        alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
      });
    }
    if (settings.https === undefined) {
      // settings.plainHttp is the explicit, reviewed choice the schema asks for: it is the reason.
      Guardrails.suppress(
        this.loadBalancer.listener,
        'MR-LB-3',
        `settings.web-service.plainHttp: plain HTTP chosen for ${ctx.environment} (no domain, no TLS)`,
      );
    }
    const scheme = settings.https !== undefined ? 'https' : 'http';
    new TerraformOutput(this, 'url', {
      value: `${scheme}://${https?.domainName ?? this.loadBalancer.dnsName}/`,
      description: 'Browse here to see the region',
    }).overrideLogicalId('web_service_url');
  }

  /** The region's certificate: the one given for this region, or a new one DNS-validated in the zone. */
  private certificateArn(props: RegionalPartProps<WebServiceSettings, never>): string {
    const { context: ctx } = props;
    const https = props.settings.https!;
    if (https.certificateArns !== undefined) {
      const given = https.certificateArns[ctx.region];
      // The config checks that certificateArns covers every region where web-service runs.
      if (given === undefined) throw new Error(`web-service in ${ctx.region}: certificateArns has no entry (config validation should have caught this)`);
      return given;
    }
    const certificate = new AcmCertificate(this, 'certificate', {
      domainName: https.domainName!,
      validationMethod: 'DNS',
      lifecycle: { createBeforeDestroy: true },
    });
    const options = TerraformIterator.fromComplexList(certificate.domainValidationOptions, 'domain_name');
    const records = new Route53Record(this, 'certificate-validation', {
      forEach: options,
      zoneId: https.hostedZoneId!,
      name: options.getString('resource_record_name'),
      type: options.getString('resource_record_type'),
      records: [options.getString('resource_record_value')],
      ttl: 300,
      // Every region's certificate for the same name asks for the same validation record.
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, 'certificate-validated', {
      certificateArn: certificate.arn,
      validationRecordFqdns: Token.asList(`\${[for record in ${records.fqn} : record.fqdn]}`),
    });
    return validation.certificateArn;
  }
}
