/**
 * cdktf's encoding of a string token (`${TfToken[TOKEN.42]}`, see cdktf's tokens/private/encoding):
 * a reference that cdktf resolves to `${aws_sns_topic.topic.arn}` at synth. The characters it may
 * hold are cdktf's VALID_KEY_CHARS.
 */
const STRING_TOKEN = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/** Doubles every template sigil of plain text (no tokens in it). */
function escapeTemplateSyntax(text: string): string {
  // A function replacement: in a replacement string, '$$' would mean one '$'.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/**
 * A string that terraform must take literally. Strings in Terraform JSON are templates: `${` starts
 * an interpolation and `%{` a directive, so a bash buildspec with `${TAG:0:12}` breaks the
 * configuration (or, worse, gets evaluated). Doubling the sigil makes terraform render it as is.
 *
 * cdktf tokens in the text are references, not text, and stay references: escaping one turned the
 * drift build's `TOPIC_ARN` into the literal text `${aws_sns_topic.topic.arn}`, so no drift was
 * ever reported. Only the text around tokens is escaped.
 */
export function terraformLiteral(text: string): string {
  let literal = '';
  let last = 0;
  for (const token of text.matchAll(STRING_TOKEN)) {
    // A `$` right before a token would make `$${`, which terraform reads as text: write it as ${"$"}.
    literal += escapeTemplateSyntax(text.slice(last, token.index)).replace(/\$$/, () => '${"$"}') + token[0];
    last = token.index + token[0].length;
  }
  return literal + escapeTemplateSyntax(text.slice(last));
}

/** What terraform renders from a literal made by terraformLiteral (for tests and readers). */
export function renderedLiteral(text: string): string {
  return text.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}

/**
 * The bodies of the interpolations of a string, live or escaped: the text between `${` and its matching `}`,
 * braces inside (for expressions, object constructors) and quoted strings counted. A `${` after
 * a `$` is literal text, not an interpolation (checked against terraform 1.11).
 */
function bodiesOf(text: string, escaped: boolean): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    // Terraform renders any `${` that follows a `$` as text (`$${x}` is `${x}`, `$$${x}` is `$${x}`).
    if (text[i] !== '$' || text[i + 1] !== '{' || (i > 0 && text[i - 1] === '$') !== escaped) continue;
    let depth = 1;
    let quoted = false;
    let j = i + 2;
    for (; j < text.length && depth > 0; j++) {
      const ch = text[j];
      if (quoted) {
        if (ch === '\\') j++;
        else if (ch === '"') quoted = false;
      } else if (ch === '"') quoted = true;
      else if (ch === '{') depth++;
      else if (ch === '}') depth--;
    }
    bodies.push(text.slice(i + 2, j - 1));
    i = j - 1;
  }
  return bodies;
}

/** The bodies of the live interpolations of a string (a `${` after a `$` is text). */
export function interpolationsOf(text: string): string[] {
  return bodiesOf(text, false);
}

/** The bodies of what would be interpolations but reach terraform as text: `$${...}`, `$$${...}`. */
export function escapedInterpolationsOf(text: string): string[] {
  return bodiesOf(text, true);
}

// A resource (`aws_s3_bucket.logs`) or data source (`data.aws_iam_policy_document.d`) name, not
// one that follows a dot (`var.x.aws_y.z` is an attribute path): resource types always hold an
// underscore, which var, local, each, count, module, path and self do not.
const REFERENCE = /(?<![\w.])((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)/g;

/** The resource and data source names an expression body mentions, in any accessor or function call. */
export function namesIn(body: string): string[] {
  return [...body.matchAll(REFERENCE)].map((m) => m[1]);
}

/** A value that names a resource of its own stack but reaches terraform as literal text. */
export interface EscapedReference {
  /** The block that holds the value: `aws_codebuild_project.drift`, `output.url`, `provider.aws`... */
  readonly address: string;
  /** Where in that block, e.g. `environment.environment_variable[2].value`. */
  readonly attribute: string;
  /** The text terraform renders, e.g. `${aws_sns_topic.topic.arn}`. */
  readonly text: string;
  /** The resource or data source it names, e.g. `aws_sns_topic.topic`. */
  readonly target: string;
}

/** The parts of a stack's Terraform JSON that can hold a reference. */
interface StackJson {
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly data?: Record<string, Record<string, unknown>>;
  readonly output?: unknown;
  readonly locals?: unknown;
  readonly provider?: unknown;
  readonly module?: unknown;
}

/**
 * Every escaped interpolation whose first name is a resource or data source of the same stack:
 * almost always a reference that was escaped by mistake (as terraformLiteral once did to cdktf
 * tokens), so the resource receives the text `${aws_sns_topic.topic.arn}` instead of an ARN.
 * Bash expansions such as `$${TAG:0:12}` name nothing in the stack and are not reported.
 */
export function escapedReferences(json: StackJson): EscapedReference[] {
  const addresses = new Set<string>();
  for (const [type, blocks] of Object.entries(json.resource ?? {})) for (const name of Object.keys(blocks)) addresses.add(`${type}.${name}`);
  for (const [type, blocks] of Object.entries(json.data ?? {})) for (const name of Object.keys(blocks)) addresses.add(`data.${type}.${name}`);
  const found: EscapedReference[] = [];
  const visit = (value: unknown, address: string, attribute: string): void => {
    if (typeof value === 'string') {
      // The whole body: a mistakenly escaped Fn call ($${replace(aws_x.y.arn, ...)}) names the resource inside it.
      for (const body of escapedInterpolationsOf(value)) {
        for (const target of new Set(namesIn(body).filter((name) => addresses.has(name)))) found.push({ address, attribute, text: `\${${body}}`, target });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, address, `${attribute}[${index}]`));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key === '//') continue;
        const at = attribute === '' ? key : `${attribute}.${key}`;
        visit(key, address, `${at} (its key)`);
        visit(item, address, at);
      }
    }
  };
  const named = (kind: 'output' | 'locals' | 'provider' | 'module', prefix: string): void => {
    const blocks = json[kind];
    if (typeof blocks !== 'object' || blocks === null) return;
    for (const [name, body] of Object.entries(blocks)) visit(body, `${prefix}${name}`, '');
  };
  for (const [type, blocks] of Object.entries(json.resource ?? {})) for (const [name, body] of Object.entries(blocks)) visit(body, `${type}.${name}`, '');
  for (const [type, blocks] of Object.entries(json.data ?? {})) for (const [name, body] of Object.entries(blocks)) visit(body, `data.${type}.${name}`, '');
  named('output', 'output.');
  named('locals', 'local.');
  named('provider', 'provider.');
  named('module', 'module.');
  return found;
}
