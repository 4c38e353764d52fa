import { isKnownRegion, partitionOf } from '../regions';
import { escapedReferences } from '../terraform-literal';
import { mockValues, PLAN_TIME_TYPES, planTimeValues, type MockTarget } from './mock-values';
import { contain } from './containment';
import { allowTeardown, awsProviderAliases, offlineProviders, providerTarget, relaxForProvider, type ProviderSchema, type Removal } from './offline-config';
import { renderTestFile } from './test-file';

type Json = Record<string, unknown>;
type Blocks = Record<string, Record<string, Json>>;

/**
 * Data sources the provider answers without calling AWS (documents, fixed service accounts, the
 * configured region and partition). The plan run lets the real provider compute them; every
 * other data source is given well-formed values instead of reading AWS.
 */
export const LOCAL_DATA_SOURCES: ReadonlySet<string> = new Set([
  'aws_iam_policy_document',
  'aws_elb_service_account',
  'aws_partition',
  'aws_region',
  'aws_default_tags',
  'aws_arn',
  'aws_service_principal',
  'aws_billing_service_account',
  'aws_cloudtrail_service_account',
  'aws_redshift_service_account',
  'aws_lb_hosted_zone_id',
  'aws_elb_hosted_zone_id',
]);

/** A remote state a stack reads: where it is, by the backend settings that name it. */
export interface RemoteStateRef {
  readonly address: string;
  readonly backend: string;
  readonly bucket?: string;
  readonly key?: string;
}

export function remoteStatesOf(config: Json): RemoteStateRef[] {
  return Object.entries(((config.data ?? {}) as Blocks).terraform_remote_state ?? {}).map(([name, body]) => {
    const settings = (body.config ?? {}) as Json;
    return {
      address: `data.terraform_remote_state.${name}`,
      backend: String(body.backend ?? ''),
      bucket: typeof settings.bucket === 'string' ? settings.bucket : undefined,
      key: typeof settings.key === 'string' ? settings.key : undefined,
    };
  });
}

/** Where a stack's own state is written: its backend's bucket and key. */
export function stateLocationOf(config: Json): { bucket?: string; key?: string } {
  const s3 = (((config.terraform ?? {}) as Json).backend as Record<string, Json> | undefined)?.s3;
  return { bucket: typeof s3?.bucket === 'string' ? s3.bucket : undefined, key: typeof s3?.key === 'string' ? s3.key : undefined };
}

export interface StackCopy {
  /** The configuration terraform runs (main.tf.json). */
  readonly config: Json;
  /** The test file (tests/offline.tftest.hcl). */
  readonly testFile: string;
  readonly removals: readonly Removal[];
  /** What fails the stack before terraform runs, one line each. */
  readonly problems: readonly string[];
  /** Why the stack cannot be planned offline at all (it is then not run); empty when it can. */
  readonly refusals: readonly string[];
  /** What the copy dropped to stay offline (check and import blocks, provisioners). */
  readonly dropped: readonly string[];
}

/** The outputs a stack's remote state holds, or undefined when no stack of the run writes that state. */
export type OutputsOf = (state: RemoteStateRef) => Json | undefined;

/** The scratch copy of one synthesized stack and the test that plans and applies it offline. */
export function offlineStackCopy(
  stack: string,
  synthesized: Json,
  schema: ProviderSchema,
  providerVersion: string,
  outputsOf: OutputsOf,
  module?: string,
): StackCopy {
  const contained = contain(synthesized);
  const { region, account } = providerTarget(contained.config);
  const target: MockTarget = {
    region: region ?? 'us-east-1',
    account: account ?? '123456789012',
    partition: region !== undefined && isKnownRegion(region) ? partitionOf(region) : 'aws',
  };
  const relaxed = relaxForProvider(stack, contained.config, schema, providerVersion);
  const config = offlineProviders(relaxed.config);
  allowTeardown(config);
  const problems = escapedReferences(contained.config).map(
    (found) => `${found.address}: ${found.attribute} is the literal text '${found.text}', not a reference to ${found.target} (guardrail MR-TF-1)`,
  );

  const reads: Record<string, Json> = {};
  const mocks: Record<string, Json> = {};
  for (const state of remoteStatesOf(contained.config)) {
    const outputs = outputsOf(state);
    if (outputs === undefined) {
      problems.push(`${state.address}: reads the ${state.backend} state ${state.bucket ?? '?'}/${state.key ?? '?'}, which no stack of this run writes`);
    } else reads[state.address] = { outputs };
  }
  for (const [type, instances] of Object.entries(((config.data ?? {}) as Blocks) ?? {})) {
    if (type === 'terraform_remote_state') continue;
    const attributes = schema.data_source_schemas[type]?.block.attributes ?? {};
    for (const [name, body] of Object.entries(instances)) {
      const values = mockValues(type, name, body, attributes, target);
      (LOCAL_DATA_SOURCES.has(type) ? mocks : reads)[`data.${type}.${name}`] = values;
    }
  }
  const duringPlan = new Set<string>();
  for (const [type, instances] of Object.entries(((config.resource ?? {}) as Blocks) ?? {})) {
    const attributes = schema.resource_schemas[type]?.block.attributes ?? {};
    for (const [name, body] of Object.entries(instances)) {
      const address = `${type}.${name}`;
      const values = mockValues(type, name, body, attributes, target);
      if (PLAN_TIME_TYPES.has(type)) {
        mocks[address] = planTimeValues(type, body, attributes, values);
        duringPlan.add(address);
      } else if (Object.keys(values).length > 0) mocks[address] = values;
    }
  }
  const testFile = renderTestFile({ aliases: awsProviderAliases(config), reads, mocks, duringPlan, ...(module !== undefined ? { module } : {}) });
  return { config, testFile, removals: relaxed.removals, problems, refusals: contained.refusals, dropped: contained.removed };
}
