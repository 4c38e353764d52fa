import type { ErrorObject, ValidateFunction } from 'ajv';
import { isNode, isScalar } from 'yaml';
import { problemAt, type FieldPath, type ParsedFile } from './yaml-source';

/** Maps a path inside the validated data to the path in the YAML document where it is written. */
export type LocateInDocument = (dataPath: FieldPath) => FieldPath;

/**
 * The schema problems of `data` (by default the whole file), one line each, naming the file, the
 * line and the field path. `locate` places data that is not the file itself (a workload's merged
 * settings) at the layer of the file that wrote it.
 */
export function schemaProblems(parsed: ParsedFile, validate: ValidateFunction, data: unknown = parsed.data, locate: LocateInDocument = (p) => p): string[] {
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  // A failed oneOf/anyOf/not says what is expected itself: the errors of its branches would only confuse.
  const combinators = errors.filter((e) => ['oneOf', 'anyOf', 'not'].includes(e.keyword)).map((e) => `${e.schemaPath}/`);
  const out: string[] = [];
  for (const error of errors) {
    if (combinators.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    const message = describeSchemaError(parsed, error, locate);
    if (message !== undefined) out.push(message);
  }
  return [...new Set(out)];
}

function pathOf(error: ErrorObject): (string | number)[] {
  if (error.instancePath === '') return [];
  return error.instancePath
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p));
}

function describeSchemaError(parsed: ParsedFile, error: ErrorObject, locate: LocateInDocument): string | undefined {
  const at = locate(pathOf(error));
  const params = error.params as Record<string, unknown>;
  const schema = error.parentSchema as { description?: string; pattern?: string } | undefined;
  switch (error.keyword) {
    case 'required': {
      // The field's own description says what to write there: the fix.
      const missing = String(params.missingProperty);
      const about = (error.parentSchema as { properties?: Record<string, { description?: string }> } | undefined)?.properties?.[missing]?.description;
      return problemAt(parsed, at, `missing field '${missing}'${about !== undefined ? `: add it (${about.replace(/\.$/, '')})` : ''}`);
    }
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return problemAt(parsed, [...at, String(params.additionalProperty)], `unknown field (expected one of: ${allowed.join(', ')})`);
    }
    case 'propertyNames':
      return undefined; // reported by the pattern error on the name itself
    case 'type': {
      const value = parsed.doc.getIn(at, true);
      const expected = String(params.type);
      if (schema?.pattern === '^[0-9]{12}$' && isScalar(value) && typeof value.value === 'number') {
        const source = value.source ?? String(value.value);
        return problemAt(
          parsed,
          at,
          `account id ${source} is a number to YAML (an unquoted number drops leading zeros): quote it as a 12-digit string, "${source.padStart(12, '0')}"`,
        );
      }
      return problemAt(parsed, at, `expected ${article(expected)} ${expected}, got ${describeValue(value)}`);
    }
    case 'pattern': {
      if (error.propertyName !== undefined) {
        return problemAt(parsed, at, `name '${error.propertyName}' is not valid: expected ${patternHint(String(params.pattern))}`);
      }
      const value = parsed.doc.getIn(at);
      return problemAt(parsed, at, `'${String(value)}' is not valid: expected ${patternHint(String(params.pattern))}`);
    }
    case 'enum':
      return problemAt(parsed, at, `'${String(parsed.doc.getIn(at))}' is not allowed: expected one of ${(params.allowedValues as unknown[]).join(', ')}`);
    case 'uniqueItems':
      return problemAt(
        parsed,
        at,
        `duplicate entry '${String(parsed.doc.getIn([...at, Number(params.j)]))}' (items ${String(params.j)} and ${String(params.i)}): list each once`,
      );
    case 'minItems':
      return problemAt(parsed, at, `expected at least ${String(params.limit)} item(s)`);
    case 'minProperties':
      return problemAt(parsed, at, `expected at least ${String(params.limit)} entry`);
    case 'maxLength':
      if (error.propertyName !== undefined) {
        return problemAt(parsed, at, `name '${error.propertyName}' is too long: at most ${String(params.limit)} characters`);
      }
      return problemAt(parsed, at, `too long: at most ${String(params.limit)} characters`);
    case 'minimum':
    case 'maximum':
      return problemAt(
        parsed,
        at,
        `${String(parsed.doc.getIn(at))} is out of range: expected ${error.keyword === 'minimum' ? '>=' : '<='} ${String(params.limit)}`,
      );
    case 'oneOf':
    case 'anyOf':
    case 'not':
      // The schema says what it expects in the description next to the combinator.
      return problemAt(parsed, at, schema?.description ?? error.message ?? 'invalid combination of fields');
    case 'dependencies':
      return problemAt(parsed, at, `'${String(params.property)}' needs '${String(params.missingProperty)}' too`);
    case 'const':
      return problemAt(parsed, at, `'${String(parsed.doc.getIn(at))}' is not allowed: expected ${JSON.stringify(params.allowedValue)}`);
    default:
      return problemAt(parsed, at, error.message ?? 'invalid value');
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function describeValue(node: unknown): string {
  if (isScalar(node)) {
    if (node.value === null) return 'nothing (an empty value)';
    return `${typeof node.value} ${JSON.stringify(node.value)}`;
  }
  if (isNode(node)) return node.constructor.name === 'YAMLSeq' ? 'a list' : 'a mapping';
  return 'nothing';
}

const PATTERN_HINTS: Record<string, string> = {
  '^[a-z][a-z0-9-]*$': 'lower-case letters, digits and hyphens, starting with a letter',
  '^[0-9]{12}$': 'a quoted 12-digit account id',
  '^[a-z]{2}(-[a-z]+)+-[0-9]+$': 'an AWS region name such as us-east-1',
  '^[a-z0-9][a-z0-9-]*[a-z0-9]$': 'lower-case letters, digits and hyphens (an S3 bucket name prefix)',
  '^[A-Za-z0-9+=,.@_-]{1,64}$': 'an IAM role name (letters, digits and +=,.@_-, at most 64)',
  '^CKV2?_[A-Z0-9]+_[0-9]+$': 'a checkov check id such as CKV_AWS_144',
  '^[a-z0-9.*-]+$': "an instance type or glob such as m7i.large or c5*.* (lower case, '*' as wildcard)",
  '^[a-z][a-z0-9-]*\\.[a-z0-9-]+$': 'an exact instance type such as m7i.large',
  '^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$': 'an availability zone such as us-east-1a',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$': 'an RFC 3339 UTC time such as 2026-12-01T00:00:00Z',
  '^[a-z0-9][a-z0-9-]*$': 'lower-case letters, digits and hyphens',
  '^([0-9]{1,3}\\.){3}[0-9]{1,3}/(1[0-8])$': 'a base range from /10 to /18 such as 10.16.0.0/12 (split into 64 region blocks)',
  '^([0-9]{1,3}\\.){3}[0-9]{1,3}/(1[6-9]|2[0-4])$': 'a CIDR block from /16 to /24 such as 10.1.0.0/16',
};

function patternHint(pattern: string): string {
  return PATTERN_HINTS[pattern] ?? `a value matching ${pattern}`;
}
