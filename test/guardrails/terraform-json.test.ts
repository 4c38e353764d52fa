import fc from 'fast-check';
import { ruleById } from '../../guardrails/packs';
import type { JsonRule } from '../../guardrails/rule';
import { configurationsOf, interpolationsOf, referencedAddresses, resourcesOf, type TerraformJson } from '../../guardrails/terraform-json';
import { CONTEXT, stackWith } from './fixtures';

describe('referencedAddresses: every form a reference takes', () => {
  test.each([
    ['a plain attribute', '${aws_s3_bucket.logs.id}', ['aws_s3_bucket.logs']],
    ['count.index', '${aws_s3_bucket.logs[count.index].id}', ['aws_s3_bucket.logs']],
    ['each.key', '${aws_s3_bucket.this[each.key].arn}', ['aws_s3_bucket.this']],
    ['a literal index', '${aws_s3_bucket.logs[0].id}', ['aws_s3_bucket.logs']],
    ['a string key', '${aws_s3_bucket.this["a"].id}', ['aws_s3_bucket.this']],
    ['a splat', '${aws_s3_bucket.logs[*].arn}', ['aws_s3_bucket.logs']],
    ['a legacy splat', '${aws_s3_bucket.logs.*.arn}', ['aws_s3_bucket.logs']],
    ['a whole resource', '${aws_s3_bucket.this}', ['aws_s3_bucket.this']],
    ['a data source', '${data.aws_iam_policy_document.d.json}', ['data.aws_iam_policy_document.d']],
    ['a function call over two', '${concat(aws_subnet.a[*].id, [aws_subnet.b.id])}', ['aws_subnet.a', 'aws_subnet.b']],
    ['a for expression with braces and quotes', '${{ for k, v in aws_s3_bucket.this : k => "}${v.id}" }}', ['aws_s3_bucket.this']],
    ['a conditional', '${var.on ? aws_kms_key.k.arn : null}', ['aws_kms_key.k']],
    ['text around it', 'arn=${aws_sns_topic.t.arn}/x', ['aws_sns_topic.t']],
    ['an attribute path that merely looks like a name', '${var.config.aws_thing.name}', []],
    ['variables, locals, each and count', '${var.a}${local.b}${each.value}${count.index}', []],
    ['an escaped interpolation', '$${aws_s3_bucket.logs.id}', []],
    ['a doubly escaped one (terraform renders it as $${...})', '$$${aws_s3_bucket.logs.id}', []],
  ])('%s', (_name, value, addresses) => {
    expect([...referencedAddresses(value)].sort()).toEqual(addresses);
  });

  test('GIVEN references nested in lists and objects THEN all are found', () => {
    expect([...referencedAddresses({ a: ['${aws_vpc.v.id}'], b: { c: [{ d: '${aws_subnet.s[0].id}' }] } })].sort()).toEqual(['aws_subnet.s', 'aws_vpc.v']);
  });

  test('GIVEN JSON with escaped keys and values THEN the decoded text is read', () => {
    const value = JSON.parse('{"bucket": "\\u0024{aws_s3_bucket.logs[count.index].id}"}') as Record<string, unknown>;
    expect([...referencedAddresses(value)]).toEqual(['aws_s3_bucket.logs']);
  });

  test('GIVEN a template with two interpolations and text THEN each body is read once', () => {
    expect(interpolationsOf('a ${x} b $${y} c ${ {a = "}"} }')).toEqual(['x', ' {a = "}"} ']);
  });
});

type Form = 'plain' | 'count.index' | 'each.key' | 'literal index' | 'splat' | 'for_each over the bucket' | 'literal name';

/** A bucket made in one of three ways and a versioning block that points at it in one form. */
function versionedBucket(name: string, made: 'single' | 'count' | 'for_each', form: Form, linked: boolean): TerraformJson {
  const bucketBody: Record<string, unknown> = { bucket: `${name}-bucket` };
  if (made === 'count') bucketBody.count = 2;
  if (made === 'for_each') bucketBody.for_each = '${toset(["a", "b"])}';
  const target = linked ? `aws_s3_bucket.${name}` : 'aws_s3_bucket.elsewhere';
  const versioning: Record<string, unknown> = { versioning_configuration: [{ status: 'Enabled' }] };
  switch (form) {
    case 'plain':
      versioning.bucket = `\${${target}.id}`;
      break;
    case 'count.index':
      versioning.count = 2;
      versioning.bucket = `\${${target}[count.index].id}`;
      break;
    case 'each.key':
      versioning.for_each = '${toset(["a", "b"])}';
      versioning.bucket = `\${${target}[each.key].id}`;
      break;
    case 'literal index':
      versioning.bucket = `\${${target}[0].id}`;
      break;
    case 'splat':
      versioning.bucket = `\${element(${target}[*].id, 0)}`;
      break;
    case 'for_each over the bucket':
      versioning.for_each = `\${${target}}`;
      versioning.bucket = '${each.value.id}';
      break;
    case 'literal name':
      versioning.bucket = linked ? `${name}-bucket` : 'some-other-bucket';
      break;
  }
  return stackWith({ aws_s3_bucket: { [name]: bucketBody }, aws_s3_bucket_versioning: { v: versioning } });
}

describe('settings resources link to their bucket however either side is written (MR-S3-1 as the witness)', () => {
  const rule = ruleById('MR-S3-1') as JsonRule;
  const forms: Form[] = ['plain', 'count.index', 'each.key', 'literal index', 'splat', 'for_each over the bucket', 'literal name'];
  const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/).filter((n) => n !== 'elsewhere');
  const made = fc.constantFrom<'single' | 'count' | 'for_each'>('single', 'count', 'for_each');

  test('GIVEN any bucket versioned by any form of reference THEN it is linked and MR-S3-1 passes', () => {
    fc.assert(
      fc.property(name, made, fc.constantFrom(...forms), (n, m, form) => {
        const json = versionedBucket(n, m, form, true);
        const [bucket] = resourcesOf(json, 'aws_s3_bucket');
        expect(configurationsOf(json, 'aws_s3_bucket_versioning', bucket)).toHaveLength(1);
        expect(rule.check(json, CONTEXT)).toEqual([]);
      }),
    );
  });

  test('GIVEN the same forms pointing at another bucket THEN nothing is linked and MR-S3-1 fails', () => {
    fc.assert(
      fc.property(name, made, fc.constantFrom(...forms), (n, m, form) => {
        const json = versionedBucket(n, m, form, false);
        expect(rule.check(json, CONTEXT)).toEqual([expect.objectContaining({ address: `aws_s3_bucket.${n}` })]);
      }),
    );
  });

  test('GIVEN a versioning block whose for_each ranges over other values THEN each.value does not link it', () => {
    const json = stackWith({
      aws_s3_bucket: { logs: { bucket: 'logs' } },
      aws_s3_bucket_versioning: { v: { for_each: '${var.buckets}', bucket: '${each.value}', versioning_configuration: [{ status: 'Enabled' }] } },
    });
    expect(rule.check(json, CONTEXT)).toEqual([expect.objectContaining({ address: 'aws_s3_bucket.logs' })]);
  });
});
