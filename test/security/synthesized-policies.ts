import type { Json } from '../pipeline/helpers';

/**
 * The IAM documents of synthesized stacks, with their Terraform references replaced by the ARNs
 * terraform would give them, so that a policy evaluator can run on them. Only the reference
 * kinds the tooling and access stacks use are known; any other reference fails the test.
 */
export interface StackPolicies {
  /** Inline and attached identity policies by role name. */
  readonly identity: Map<string, { name: string; policy: Json }[]>;
  /** Trust policies by role ARN. */
  readonly trust: Map<string, Json>;
  /** Permissions boundaries by role ARN. */
  readonly boundaries: Map<string, Json>;
  /** Resource policies (bucket, table, key) by resource ARN. */
  readonly resources: Map<string, Json>;
  /** Every policy document, for the action-name check. */
  readonly all: Json[];
  readonly arnOf: (type: string, construct: string) => string;
}

const MANAGED: Record<string, Json> = {
  // AdministratorAccess, as AWS publishes it.
  AdministratorAccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  // ViewOnlyAccess is not in the offline data: stand in the widest grant it could be, so that a
  // "denied" row holds whatever ViewOnlyAccess grants (only explicit denies can pass it).
  'job-function/ViewOnlyAccess': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

export function policiesOf(json: Json, account: string, region: string): StackPolicies {
  const arns = new Map<string, string>();
  const resources = (json.resource ?? {}) as Record<string, Record<string, Json>>;
  for (const [type, byId] of Object.entries(resources)) {
    for (const [id, r] of Object.entries(byId)) {
      const at = (r.region as string | undefined) ?? region;
      const arnFor: Record<string, () => string> = {
        aws_s3_bucket: () => `arn:aws:s3:::${r.bucket as string}`,
        aws_kms_key: () => `arn:aws:kms:${at}:${account}:key/${id}`,
        aws_iam_role: () => `arn:aws:iam::${account}:role/${r.name as string}`,
        aws_iam_policy: () => `arn:aws:iam::${account}:policy/${r.name as string}`,
        aws_dynamodb_table: () => `arn:aws:dynamodb:${at}:${account}:table/${r.name as string}`,
        aws_sns_topic: () => `arn:aws:sns:${at}:${account}:${r.name as string}`,
      };
      const arn = arnFor[type]?.();
      if (arn !== undefined) {
        arns.set(`${type}.${id}.arn`, arn);
        arns.set(`${type}.${id}.id`, type === 'aws_s3_bucket' ? (r.bucket as string) : (r.name as string));
        arns.set(`${type}.${id}.name`, r.name as string);
        arns.set(`${type}.${id}.bucket`, r.bucket as string);
      }
    }
  }
  arns.set('data.aws_iam_session_context.deployer.issuer_arn', `arn:aws:iam::${account}:role/Deployer`);
  const resolve = (text: string): string =>
    text.replace(/\$\{([^}]+)\}/g, (_m, ref: string) => {
      const value = arns.get(ref);
      if (value === undefined) throw new Error(`unresolved reference \${${ref}}`);
      return value;
    });
  const doc = (text: unknown): Json => JSON.parse(resolve(text as string)) as Json;

  const identity = new Map<string, { name: string; policy: Json }[]>();
  const add = (role: string, name: string, policy: Json): void => void identity.set(role, [...(identity.get(role) ?? []), { name, policy }]);
  const all: Json[] = [];
  for (const r of Object.values(resources.aws_iam_role_policy ?? {})) {
    const policy = doc(r.policy);
    add(resolve(r.role as string), r.name as string, policy);
    all.push(policy);
  }
  for (const r of Object.values(resources.aws_iam_role_policy_attachment ?? {})) {
    const name = resolve(r.policy_arn as string).split(':policy/')[1];
    if (MANAGED[name] === undefined) throw new Error(`no document for managed policy ${name}`);
    add(resolve(r.role as string), name, MANAGED[name]);
  }
  const trust = new Map<string, Json>();
  const boundaries = new Map<string, Json>();
  const policyDocs = new Map<string, Json>();
  for (const [id, r] of Object.entries(resources.aws_iam_policy ?? {})) {
    const policy = doc(r.policy);
    policyDocs.set(arns.get(`aws_iam_policy.${id}.arn`)!, policy);
    all.push(policy);
  }
  for (const [id, r] of Object.entries(resources.aws_iam_role ?? {})) {
    const arn = arns.get(`aws_iam_role.${id}.arn`)!;
    const policy = doc(r.assume_role_policy);
    trust.set(arn, policy);
    all.push(policy);
    if (r.permissions_boundary !== undefined) boundaries.set(arn, policyDocs.get(resolve(r.permissions_boundary as string))!);
  }
  const resourcePolicies = new Map<string, Json>();
  for (const r of Object.values(resources.aws_s3_bucket_policy ?? {})) {
    const policy = doc(r.policy);
    resourcePolicies.set(`arn:aws:s3:::${resolve(r.bucket as string)}`, policy);
    all.push(policy);
  }
  for (const r of Object.values(resources.aws_dynamodb_resource_policy ?? {})) {
    const policy = doc(r.policy);
    resourcePolicies.set(resolve(r.resource_arn as string), policy);
    all.push(policy);
  }
  for (const [id, r] of Object.entries(resources.aws_kms_key ?? {})) {
    const policy = doc(r.policy);
    resourcePolicies.set(arns.get(`aws_kms_key.${id}.arn`)!, policy);
    all.push(policy);
  }
  const arnOf = (type: string, construct: string): string => {
    const found = [...arns.entries()].filter(([k]) => k.startsWith(`${type}.${construct}`) && k.endsWith('.arn'));
    if (found.length !== 1) throw new Error(`expected one ${type} ${construct}, found ${found.map(([k]) => k).join(', ') || 'none'}`);
    return found[0][1];
  };
  return { identity, trust, boundaries, resources: resourcePolicies, all, arnOf };
}
