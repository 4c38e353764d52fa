import { ConstructError } from '../modules/construct-error';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { DataTerraformRemoteStateS3 } from 'cdktf';
import { stateBackendFor } from '../lib/stack-spec';
import { RegionalNetwork } from '../modules/network/regional-network';
import { globalOutputName, type AnyWorkloadDefinition, type GlobalOutputs } from '../workloads/framework';
import { workloadDefinition } from '../workloads/registry';
import { WorkloadStack, type WorkloadStackProps } from './base-stack';
import { remoteStateOf } from './stack-backend';

/**
 * The regional stack of a team: the regional part of each of the team's workloads, in the
 * order the config lists them (none in a retired region). Resources that workloads share (the team's VPC in the region,
 * the global stack's state) are created on first use, so a stack that needs none has none.
 */
export class RegionalStack extends WorkloadStack {
  /** The workloads' regional parts, by workload name. */
  readonly parts: ReadonlyMap<string, Construct>;
  private network?: RegionalNetwork;
  private globalState?: DataTerraformRemoteStateS3;

  constructor(scope: Construct, props: WorkloadStackProps) {
    super(scope, props);
    const { spec } = props;
    if (spec.scope !== 'regional') throw new Error(`RegionalStack needs a regional spec, got ${spec.stack}`);
    const { context, team } = this;
    const parts = new Map<string, Construct>();
    // A retired region keeps its backend and provider and loses every resource: its plan is all destroys.
    for (const use of spec.retired ? [] : team.workloads.filter((w) => w.regions.includes(spec.region))) {
      const definition = workloadDefinition(use.name);
      if (definition.regional === undefined) continue;
      parts.set(
        use.name,
        new definition.regional(this, use.name, {
          context,
          settings: use.settings,
          global: this.globalOutputsOf(definition),
          network: () => this.sharedNetwork(),
        }),
      );
    }
    this.parts = parts;
  }

  /** The team's VPC in this region, built when the first workload asks for it. */
  private sharedNetwork(): RegionalNetwork {
    if (this.network === undefined) {
      const { org, spec } = this;
      this.network = new RegionalNetwork(this, 'network', {
        name: `${org.project.project}-${spec.team}-${spec.environment}`,
        cidr: this.team.networkRanges[spec.region] ?? this.team.network.cidr,
        maxAzs: this.team.network.maxAzs,
        natGateways: this.team.network.natGateways,
      });
      new TerraformOutput(this, 'vpc_id', { value: this.network.vpcId });
    }
    return this.network;
  }

  /** A workload's view of the global outputs: only those it declared, from one remote state per stack. */
  private globalOutputsOf(definition: AnyWorkloadDefinition): GlobalOutputs<string> {
    return {
      get: (name: string): string => {
        if (!(definition.globalOutputs ?? []).includes(name)) {
          throw new ConstructError(
            this,
            `workload ${definition.name} reads global output '${name}', which its definition does not declare (declared: ${(definition.globalOutputs ?? []).join(', ') || 'none'}): add it to globalOutputs and set it in the global part, or read a declared one`,
          );
        }
        if (this.globalState === undefined) {
          const { org, spec } = this;
          this.globalState = remoteStateOf(this, 'global-state', stateBackendFor(org, spec.environment, spec.team, 'global', org.project.globalRegion));
        }
        return this.globalState.getString(globalOutputName(definition.name, name));
      },
    };
  }
}
