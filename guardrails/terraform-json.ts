/**
 * Reading a stack's rendered Terraform JSON (what cdktf writes to cdk.tf.json): resources with
 * their construct paths, references between them, and IAM policy documents.
 */
export interface TerraformJson {
  readonly '//'?: Record<string, unknown>;
  readonly terraform?: { readonly backend?: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  readonly provider?: Record<string, readonly Record<string, unknown>[]>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface ResourceBlock {
  readonly type: string;
  readonly name: string;
  /** `aws_s3_bucket.logs_1234` */
  readonly address: string;
  /** The construct path from cdktf's metadata, when present. */
  readonly path?: string;
  readonly body: Record<string, unknown>;
}

export function resourcesOf(json: TerraformJson, type: string): ResourceBlock[] {
  return Object.entries(json.resource?.[type] ?? {}).map(([name, body]) => ({
    type,
    name,
    address: `${type}.${name}`,
    path: (body['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path,
    body,
  }));
}

export function allResources(json: TerraformJson): ResourceBlock[] {
  return Object.keys(json.resource ?? {}).flatMap((type) => resourcesOf(json, type));
}

/** Whether `value` is an interpolation of an attribute of the resource at `address`. */
export function refersTo(value: unknown, address: string): boolean {
  return typeof value === 'string' && new RegExp(`\\$\\{${address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`).test(value);
}

/**
 * The blocks of `type` that configure the bucket `bucket`: by reference to it, or by its literal
 * name (as a configuration written by hand might).
 */
export function configurationsOf(json: TerraformJson, type: string, target: ResourceBlock, field = 'bucket'): ResourceBlock[] {
  const literal = target.body.bucket;
  return resourcesOf(json, type).filter((r) => refersTo(r.body[field], target.address) || (typeof literal === 'string' && r.body[field] === literal));
}

/** A nested block as cdktf renders it: an object, or a one-element list. */
export function block(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) return value.length > 0 && typeof value[0] === 'object' ? (value[0] as Record<string, unknown>) : undefined;
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

export function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
  return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: string | Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  /** The resource holding the document and the attribute it sits in. */
  readonly owner: ResourceBlock;
  readonly attribute: string;
  readonly statements: readonly PolicyStatement[];
}

/** Where IAM and resource policies sit in the provider's resources. */
const POLICY_ATTRIBUTES: Record<string, readonly string[]> = {
  aws_iam_role: ['assume_role_policy'],
  aws_iam_role_policy: ['policy'],
  aws_iam_policy: ['policy'],
  aws_iam_user_policy: ['policy'],
  aws_iam_group_policy: ['policy'],
  aws_kms_key: ['policy'],
  aws_s3_bucket_policy: ['policy'],
  aws_sns_topic_policy: ['policy'],
  aws_sqs_queue_policy: ['policy'],
  aws_dynamodb_resource_policy: ['policy'],
};

/**
 * Every policy document written as JSON text (as this project renders them). A document that is
 * a reference only (`${data.aws_iam_policy_document.x.json}`) cannot be read here and is skipped.
 */
export function policyDocuments(json: TerraformJson): PolicyDocument[] {
  const out: PolicyDocument[] = [];
  for (const [type, attributes] of Object.entries(POLICY_ATTRIBUTES)) {
    for (const owner of resourcesOf(json, type)) {
      for (const attribute of attributes) {
        const statements = parseStatements(owner.body[attribute]);
        if (statements !== undefined) out.push({ owner, attribute, statements });
      }
    }
  }
  for (const role of resourcesOf(json, 'aws_iam_role')) {
    for (const inline of blocks(role.body.inline_policy)) {
      const statements = parseStatements(inline.policy);
      if (statements !== undefined) out.push({ owner: role, attribute: 'inline_policy', statements });
    }
  }
  return out;
}

function parseStatements(text: unknown): PolicyStatement[] | undefined {
  if (typeof text !== 'string' || !text.trimStart().startsWith('{')) return undefined;
  try {
    const document = JSON.parse(text) as { Statement?: PolicyStatement | PolicyStatement[] };
    if (document.Statement === undefined) return [];
    return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  } catch {
    return undefined;
  }
}

export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The literal value, or undefined when it is an interpolation known only at plan time. */
export function literal<T>(value: T): T | undefined {
  return typeof value === 'string' && value.includes('${') ? undefined : value;
}
