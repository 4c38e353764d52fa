/**
 * The files through which `multiregion ci` hands values to the buildspec shell: `KEY='value'`
 * lines that the buildspec sources, so CodeBuild can export them as pipeline variables.
 * Values are single-quoted, so nothing in them is ever expanded by the shell.
 */

const KEY = /^[A-Z][A-Z0-9_]*$/;

/** Quotes a value for POSIX shells: single quotes, with embedded quotes closed and escaped. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Renders variables as a sourceable file of `export KEY='value'` lines, keys in the given order. */
export function formatEnvFile(variables: Readonly<Record<string, string>>): string {
  const lines = Object.entries(variables).map(([key, value]) => {
    if (!KEY.test(key)) throw new Error(`invalid variable name '${key}'`);
    if (/[\r\n\0]/.test(value)) throw new Error(`variable ${key} holds a line break or NUL, which an exported variable cannot carry`);
    return `export ${key}=${shellQuote(value)}`;
  });
  return `${lines.join('\n')}\n`;
}

/** Reads a file written by formatEnvFile (the tests and later steps use it). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (!line.startsWith('export ')) throw new Error(`not an env file line: ${line}`);
    const eq = line.indexOf('=');
    const key = line.slice('export '.length, eq);
    const quoted = line.slice(eq + 1);
    if (!KEY.test(key) || !quoted.startsWith(`'`) || !quoted.endsWith(`'`)) throw new Error(`not an env file line: ${line}`);
    out[key] = quoted.slice(1, -1).replace(/'\\''/g, `'`);
  }
  return out;
}
