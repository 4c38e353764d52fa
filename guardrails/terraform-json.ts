import { interpolationsOf, namesIn } from '../lib/terraform-literal';
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

/**
 * Every resource and data source address a value references, however it is written:
 * `${aws_s3_bucket.logs.id}`, `${aws_s3_bucket.logs[count.index].id}`,
 * `${aws_s3_bucket.this[each.key].arn}`, `${aws_s3_bucket.logs[0].id}`, splats
 * (`aws_s3_bucket.logs[*].id`, `aws_s3_bucket.logs.*.id`), a whole resource
 * (`${aws_s3_bucket.this}` as a for_each), and inside any function call, conditional or for
 * expression; in strings nested at any depth of lists and objects. JSON string escapes are
 * already decoded by the parser. An escaped `$${...}` references nothing.
 */
export function referencedAddresses(value: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const body of interpolationsOf(v)) for (const address of namesIn(body)) found.add(address);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(visit);
  };
  visit(value);
  return found;
}

/** Whether `value` references the resource at `address` (see referencedAddresses for the forms). */
export function refersTo(value: unknown, address: string): boolean {
  return referencedAddresses(value).has(address);
}

export { interpolationsOf } from '../lib/terraform-literal';

/** Whether a value reads the current element of its block's `for_each` (`each.key`, `each.value...`). */
function readsEach(value: unknown): boolean {
  return typeof value === 'string' && interpolationsOf(value).some((body) => /(?<![\w.])each\.(key|value)\b/.test(body));
}

/**
 * Whether `field` of the block `settings` points at `target`: it references the target with any
 * accessor (plain, `[count.index]`, `[each.key]`, a literal index, a splat), or it reads
 * `each.key`/`each.value` of a `for_each` that references the target (`for_each =
 * aws_s3_bucket.this` with `bucket = each.value.id`).
 */
export function configures(settings: ResourceBlock, target: ResourceBlock, field: string): boolean {
  const value = settings.body[field];
  if (refersTo(value, target.address)) return true;
  return readsEach(value) && refersTo(settings.body.for_each, target.address);
}

/**
 * The blocks of `type` that configure the bucket `bucket`: by reference to it (in every form
 * configures() reads), or by its literal name (as a configuration written by hand might).
 */
export function configurationsOf(json: TerraformJson, type: string, target: ResourceBlock, field = 'bucket'): ResourceBlock[] {
  const literal = target.body.bucket;
  return resourcesOf(json, type).filter(
    (r) => configures(r, target, field) || (typeof literal === 'string' && !literal.includes('${') && r.body[field] === literal),
  );
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

/**
 * A nested block as the configuration gives it: the literal blocks (inline, in either cdktf
 * rendering) and the `content` of each `dynamic` block of that name, with whether its for_each is
 * a literal that is known not to be empty (else whether the block exists is known only at plan).
 */
export interface NestedBlocks {
  readonly literal: Record<string, unknown>[];
  readonly dynamic: { readonly content: Record<string, unknown>; readonly known: boolean }[];
}

export function nestedBlocks(body: Record<string, unknown>, name: string): NestedBlocks {
  const dynamic = blocks(body.dynamic).flatMap((d) =>
    blocks(d[name]).map((spec) => {
      const forEach = spec.for_each;
      const known =
        (Array.isArray(forEach) && forEach.length > 0) ||
        (typeof forEach === 'object' && forEach !== null && !Array.isArray(forEach) && Object.keys(forEach).length > 0);
      return { content: block(spec.content) ?? {}, known };
    }),
  );
  return { literal: blocks(body[name]), dynamic };
}

/** What a rule can say of a setting: it holds, it does not, or it depends on a dynamic block's for_each. */
export type Verdict = 'holds' | 'fails' | 'unknown';

/** Whether some block in `nested` satisfies `test`: holds on a literal (or known dynamic) block, unknown on a dynamic one only. */
export function someBlock(nested: readonly NestedBlocks[], test: (block: Record<string, unknown>) => boolean): Verdict {
  if (nested.some((n) => n.literal.some(test) || n.dynamic.some((d) => d.known && test(d.content)))) return 'holds';
  return nested.some((n) => n.dynamic.some((d) => test(d.content))) ? 'unknown' : 'fails';
}

/** The strongest of several verdicts: any holds, else any unknown, else fails. */
export function anyVerdict(...verdicts: readonly Verdict[]): Verdict {
  return verdicts.includes('holds') ? 'holds' : verdicts.includes('unknown') ? 'unknown' : 'fails';
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
  // Deprecated in the provider but still accepted: a bucket's inline policy.
  aws_s3_bucket: ['policy'],
  // Inline resource policies of queues, topics, secrets and repositories, and their separate forms.
  aws_sqs_queue: ['policy'],
  aws_sns_topic: ['policy'],
  aws_secretsmanager_secret: ['policy'],
  aws_secretsmanager_secret_policy: ['policy'],
  aws_ecr_repository_policy: ['policy'],
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
