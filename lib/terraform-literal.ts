/**
 * A string that terraform must take literally. Strings in Terraform JSON are templates: `${` starts
 * an interpolation and `%{` a directive, so a bash buildspec with `${TAG:0:12}` breaks the
 * configuration (or, worse, gets evaluated). Doubling the sigil makes terraform render it as is.
 */
export function terraformLiteral(text: string): string {
  // A function replacement: in a replacement string, '$$' would mean one '$'.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** What terraform renders from a literal made by terraformLiteral (for tests and readers). */
export function renderedLiteral(text: string): string {
  return text.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}
