import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { workloadInstanceProfileName, workloadRoleName } from '../lib/naming';
import { WorkloadIdentity } from '../modules/identity/workload-identity';
import { WorkloadStack, type WorkloadStackProps } from './base-stack';

/** The global stack of a team: account-wide resources, deployed once from the global region. */
export class GlobalStack extends WorkloadStack {
  readonly identity: WorkloadIdentity;

  constructor(scope: Construct, props: WorkloadStackProps) {
    super(scope, props);
    const { spec, org } = props;
    if (spec.scope !== 'global') throw new Error(`GlobalStack needs a global spec, got ${spec.stack}`);
    this.identity = new WorkloadIdentity(this, 'identity', {
      roleName: workloadRoleName(org.project.project, spec.environment, spec.team),
      instanceProfileName: workloadInstanceProfileName(org.project.project, spec.environment, spec.team),
      account: spec.account,
      partition: spec.partition,
    });
    new TerraformOutput(this, 'workload_role_arn', { value: this.identity.roleArn });
    new TerraformOutput(this, 'workload_instance_profile', { value: this.identity.instanceProfileName });
  }
}
