import { ConstructError } from '../modules/construct-error';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { deployBoundaryName } from '../lib/access-policies';
import { iamPolicyArn } from '../lib/arn';
import { WorkloadIdentity } from '../modules/identity/workload-identity';
import { globalOutputName } from '../workloads/framework';
import { workloadDefinition } from '../workloads/registry';
import { WorkloadStack, type WorkloadStackProps } from './base-stack';

/**
 * The global stack of a team, deployed once from the global region: the team's instance role
 * and profile (IAM is account-wide), then the global part of each of its workloads, whose
 * declared outputs become this stack's outputs for the regional stacks to read.
 */
export class GlobalStack extends WorkloadStack {
  readonly identity: WorkloadIdentity;
  /** The workloads' global parts, by workload name. */
  readonly parts: ReadonlyMap<string, Construct>;

  constructor(scope: Construct, props: WorkloadStackProps) {
    super(scope, props);
    const { spec } = props;
    if (spec.scope !== 'global') throw new Error(`GlobalStack needs a global spec, got ${spec.stack}`);
    const { context, team } = this;
    this.identity = new WorkloadIdentity(this, 'identity', {
      roleName: context.identity.roleName,
      instanceProfileName: context.identity.instanceProfileName,
      account: spec.account,
      partition: spec.partition,
      // The deploy role may create roles only under its own boundary.
      permissionsBoundaryArn: iamPolicyArn(spec.partition, spec.account, deployBoundaryName(props.org.project.deployRoleName)),
    });
    new TerraformOutput(this, 'workload_role_arn', { value: this.identity.roleArn });
    new TerraformOutput(this, 'workload_instance_profile', { value: this.identity.instanceProfileName });

    const parts = new Map<string, Construct>();
    for (const use of team.workloads) {
      const definition = workloadDefinition(use.name);
      if (definition.global === undefined) continue;
      const part = new definition.global(this, use.name, {
        context,
        settings: use.settings,
        workloadRole: { name: this.identity.roleName, arn: this.identity.roleArn },
      });
      for (const output of definition.globalOutputs ?? []) {
        const value = part.outputs[output];
        if (value === undefined) {
          throw new ConstructError(
            part,
            `the global part of ${definition.name} declares output '${output}' but does not set it: set outputs.${output}, or drop it from globalOutputs`,
          );
        }
        new TerraformOutput(this, globalOutputName(definition.name, output), { value });
      }
      parts.set(use.name, part);
    }
    this.parts = parts;
  }
}
