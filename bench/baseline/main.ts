// Baseline (c) of the synth benchmark: one regional stack written the way the default cdktf
// TypeScript template writes it. It runs under type-checking `ts-node main.ts` (the template's
// app command) and imports provider classes from the ROOT of @cdktf/provider-aws, which loads
// every resource module of the provider. Nothing else differs from the real app: the construct
// tree mirrors stacks/regional-stack.ts, stacks/base-stack.ts, the regional parts of the
// web-service and global-table workloads, modules/network/*.ts and the web tier of
// modules/compute/, with the values of the tag dev_eu-central-1/research/1.0 against
// environments/ hard-coded, so it synthesizes the same Terraform JSON but for the app's guardrail
// metadata (the suppressions it records under "//"; the benchmark checks the resources and warns
// when the real stack has moved on). Excluded from lint and from the main
// tsconfig on purpose: the root import is exactly what the lint rule forbids.
import { Construct } from "constructs";
import { CIDR, NAME, Network } from "./network";
import { App, DataTerraformRemoteStateS3, Fn, S3Backend, TerraformOutput, TerraformStack, Token } from "cdktf";
import {
  autoscalingGroup,
  autoscalingPolicy,
  dataAwsSsmParameter,
  launchTemplate,
  lb,
  lbListener,
  lbTargetGroup,
  provider,
  securityGroup,
  ssmParameter,
  vpcSecurityGroupEgressRule,
  vpcSecurityGroupIngressRule,
} from "@cdktf/provider-aws";

const STACK = "research-dev-eu-central-1";
const REGION = "eu-central-1";
const ACCOUNT = "555555555555";
/** eu-central-1's block of research's baseRange 10.16.0.0/12. */
const PAGE_TITLE = `Hello from ${REGION} (awsome-infra, team research, environment dev)`;
/** The stack's default tags without Version: instances and volumes carry these. */
const INSTANCE_TAGS = {
  Project: "awsome-infra",
  Environment: "dev",
  Team: "research",
  Scope: REGION,
  Stack: STACK,
  ManagedBy: "multiregion",
};

class Web extends Construct {
  readonly dnsName: string;
  readonly securityGroupId: string;
  readonly targetGroupArn: string;

  constructor(scope: Construct, id: string, vpcId: string, subnetIds: string[]) {
    super(scope, id);
    const sg = new securityGroup.SecurityGroup(this, "sg", {
      name: `${STACK}-alb`,
      description: "Internet-facing load balancer: HTTP in from anywhere, out only to the VPC",
      vpcId,
    });
    this.securityGroupId = sg.id;
    new vpcSecurityGroupIngressRule.VpcSecurityGroupIngressRule(this, "http-ipv4", {
      securityGroupId: sg.id,
      description: "HTTP from the internet",
      ipProtocol: "tcp",
      fromPort: 80,
      toPort: 80,
      cidrIpv4: "0.0.0.0/0",
    });
    new vpcSecurityGroupEgressRule.VpcSecurityGroupEgressRule(this, "to-vpc", {
      securityGroupId: sg.id,
      description: "To targets inside the VPC only",
      ipProtocol: "tcp",
      fromPort: 0,
      toPort: 65535,
      cidrIpv4: CIDR,
    });
    const alb = new lb.Lb(this, "alb", {
      name: STACK,
      loadBalancerType: "application",
      internal: false,
      securityGroups: [sg.id],
      subnets: subnetIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: false,
    });
    this.dnsName = alb.dnsName;
    const targets = new lbTargetGroup.LbTargetGroup(this, "web-targets", {
      name: `${NAME}-web`,
      port: 80,
      protocol: "HTTP",
      targetType: "instance",
      vpcId,
      deregistrationDelay: "30",
      healthCheck: { path: "/", matcher: "200", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3, timeout: 5 },
    });
    this.targetGroupArn = targets.arn;
    new lbListener.LbListener(this, "http", {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "forward", targetGroupArn: targets.arn }],
    });
  }
}

function webPageUserData(title: string): string {
  return [
    "#!/bin/bash",
    "# multiregion web tier: serve a page naming the region on port 80.",
    "set -euo pipefail",
    "imds() {",
    "  local token",
    "  token=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')",
    '  curl -sS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"',
    "}",
    "mkdir -p /var/www",
    "cat > /var/www/index.html <<PAGE",
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>`,
    `<h1>${title}</h1>`,
    "<p>Served by $(imds instance-type) ($(uname -m), $(imds instance-life-cycle)) in $(imds placement/availability-zone).</p>",
    "</body></html>",
    "PAGE",
    "cat > /etc/systemd/system/web-page.service <<'UNIT'",
    "[Unit]",
    "Description=multiregion web page",
    "After=network-online.target",
    "[Service]",
    "ExecStart=/usr/bin/python3 -m http.server 80 --directory /var/www",
    "DynamicUser=yes",
    "AmbientCapabilities=CAP_NET_BIND_SERVICE",
    "Restart=always",
    "[Install]",
    "WantedBy=multi-user.target",
    "UNIT",
    "systemctl daemon-reload",
    "systemctl enable --now web-page.service",
    "",
  ].join("\n");
}

/** The web tier: an ABS Auto Scaling group (arm64 and x86_64 templates) behind the load balancer. */
class WebTier extends Construct {
  constructor(scope: Construct, id: string, vpcId: string, subnetIds: string[], web: Web) {
    super(scope, id);
    const sg = new securityGroup.SecurityGroup(this, "sg", {
      name: `${NAME}-web`,
      description: "Web tier instances: HTTP from the load balancer only, HTTPS out (updates, SSM)",
      vpcId,
    });
    new vpcSecurityGroupIngressRule.VpcSecurityGroupIngressRule(this, "http-from-alb", {
      securityGroupId: sg.id,
      description: "HTTP from the load balancer",
      ipProtocol: "tcp",
      fromPort: 80,
      toPort: 80,
      referencedSecurityGroupId: web.securityGroupId,
    });
    new vpcSecurityGroupEgressRule.VpcSecurityGroupEgressRule(this, "https-out", {
      securityGroupId: sg.id,
      description: "HTTPS to AWS APIs and package repositories (through NAT)",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });

    const templateScope = new Construct(this, "template");
    const templates = ["arm64", "x86_64"].map((architecture) => {
      const ami = new dataAwsSsmParameter.DataAwsSsmParameter(templateScope, `ami-${architecture}`, {
        name: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`,
      });
      return new launchTemplate.LaunchTemplate(templateScope, architecture, {
        namePrefix: `${NAME}-web-${architecture}-`,
        description: `ABS launch template (${architecture}), managed by multiregion`,
        imageId: ami.insecureValue,
        updateDefaultVersion: true,
        tags: { "multiregion:architecture": architecture },
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [
          { deviceName: "/dev/xvda", ebs: { volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
        ],
        iamInstanceProfile: { name: `${NAME}-workload` },
        vpcSecurityGroupIds: [sg.id],
        userData: Buffer.from(webPageUserData(PAGE_TITLE), "utf8").toString("base64"),
        tagSpecifications: ["instance", "volume"].map((resourceType) => ({ resourceType, tags: { ...INSTANCE_TAGS } })),
      });
    });

    const requirements = {
      vcpuCount: { min: 2, max: 4 },
      memoryMib: { min: 4096, max: 16384 },
      acceleratorCount: { max: 0 },
      instanceGenerations: ["current"],
    };
    const specification = (template: launchTemplate.LaunchTemplate) => ({
      launchTemplateId: template.id,
      version: Token.asString(template.latestVersion),
    });
    const groupScope = new Construct(this, "group");
    const tags: Record<string, string> = { ...INSTANCE_TAGS, Name: `${NAME}-web` };
    const group = new autoscalingGroup.AutoscalingGroup(groupScope, "group", {
      name: `${NAME}-web`,
      minSize: 2,
      maxSize: 6,
      vpcZoneIdentifier: subnetIds,
      capacityRebalance: true,
      healthCheckType: "ELB",
      healthCheckGracePeriod: 300,
      targetGroupArns: [web.targetGroupArn],
      mixedInstancesPolicy: {
        instancesDistribution: {
          onDemandAllocationStrategy: "lowest-price",
          onDemandBaseCapacity: 1,
          onDemandPercentageAboveBaseCapacity: 50,
          spotAllocationStrategy: "price-capacity-optimized",
        },
        launchTemplate: {
          launchTemplateSpecification: specification(templates[0]),
          override: templates.map((template) => ({
            instanceRequirements: requirements,
            launchTemplateSpecification: specification(template),
          })),
        },
      },
      initialLifecycleHook: [
        {
          name: "drain-before-termination",
          lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
          heartbeatTimeout: 120,
          defaultResult: "CONTINUE",
        },
      ],
      instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 90 } },
      tag: Object.keys(tags)
        .sort()
        .map((key) => ({ key, value: tags[key], propagateAtLaunch: true })),
      lifecycle: { ignoreChanges: ["desired_capacity"] },
    });
    new autoscalingPolicy.AutoscalingPolicy(groupScope, "target-tracking", {
      name: "cpu-target-tracking",
      autoscalingGroupName: group.name,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        targetValue: 50,
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
      },
    });
  }
}

class MyStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const backend = new S3Backend(this, {
      bucket: "org-awesome-tf-state-dev",
      key: "research/dev-eu-central-1/terraform.tfstate",
      region: "us-east-1",
      encrypt: true,
      kmsKeyId: "arn:aws:kms:us-east-1:111122223333:alias/awsome-infra-dev-state",
    });
    backend.addOverride("use_lockfile", true);
    new provider.AwsProvider(this, "aws", {
      region: REGION,
      allowedAccountIds: [ACCOUNT],
      assumeRole: [{ roleArn: `arn:aws:iam::${ACCOUNT}:role/InfraBuildRole`, sessionName: "multiregion-dev-research" }],
      defaultTags: [
        {
          tags: {
            Project: "awsome-infra",
            Environment: "dev",
            Team: "research",
            Scope: REGION,
            Stack: STACK,
            ManagedBy: "multiregion",
            Version: "1.0",
          },
        },
      ],
    });
    // The workloads of research in dev: web-service (the team's VPC created on its first use),
    // then global-table, whose regional part reads the global stack's outputs.
    const webService = new Construct(this, "web-service");
    const network = new Network(this, "network");
    new TerraformOutput(this, "vpc_id", { value: network.vpcId });
    const web = new Web(webService, "alb", network.vpcId, network.publicSubnetIds);
    const compute = new Construct(webService, "compute");
    new WebTier(compute, "web", network.vpcId, network.privateSubnetIds, web);
    new TerraformOutput(webService, "url", { value: `http://${web.dnsName}/`, description: "Browse here to see the region" }).overrideLogicalId("web_service_url");
    const globalTable = new Construct(this, "global-table");
    const globalState = new DataTerraformRemoteStateS3(this, "global-state", {
      bucket: "org-awesome-tf-state-dev",
      key: "research/dev-global/terraform.tfstate",
      region: "us-east-1",
      encrypt: true,
    });
    globalState.addOverride("config.use_lockfile", true);
    const parameters = "/awsome-infra/research/dev/global-table/experiments";
    new ssmParameter.SsmParameter(globalTable, "table-name", {
      name: `${parameters}/name`,
      type: "String",
      value: globalState.getString("global_table__table_name"),
      description: "DynamoDB global table name (from the global stack)",
    });
    new ssmParameter.SsmParameter(globalTable, "replica-arn", {
      name: `${parameters}/arn`,
      type: "String",
      value: Fn.replace(globalState.getString("global_table__table_arn"), ":us-east-1:", `:${REGION}:`),
      description: `ARN of the table's replica in ${REGION}`,
    });
  }
}

const app = new App();
new MyStack(app, STACK);
app.synth();
