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
    literal += escapeTemplateSyntax(text.slice(last, token.index)) + token[0];
    last = token.index + token[0].length;
  }
  return literal + escapeTemplateSyntax(text.slice(last));
}

/** What terraform renders from a literal made by terraformLiteral (for tests and readers). */
export function renderedLiteral(text: string): string {
  return text.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}
