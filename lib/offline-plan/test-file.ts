/**
 * The `terraform test` file that plans and applies one stack offline. Two runs:
 * - `plan`: the real provider, configured to reach nothing (see offline-config.ts). Data sources
 *   that would read AWS get well-formed values (`reads`); everything AWS computes at apply stays
 *   unknown, exactly where a real plan leaves it unknown.
 * - `apply`: a mocked provider (`mock_provider`, terraform ≥ 1.7) applies the stack, with
 *   well-formed values for what AWS would compute (`mocks`), so expressions over ARNs and ids are
 *   evaluated and the provider's validators see known values.
 */

type Json = Record<string, unknown>;

export interface OfflineTestFile {
  /** The aliases of the stack's aws provider blocks; '' for the default one. */
  readonly aliases: readonly string[];
  /** Values of the data sources both runs read instead of AWS (and the team's global outputs), by address. */
  readonly reads: Readonly<Record<string, Json>>;
  /** Values the mocked apply gives resources and the remaining data sources, by address. */
  readonly mocks: Readonly<Record<string, Json>>;
  /** Addresses of `mocks` whose values are known at plan time, as the real provider's are. */
  readonly duringPlan?: ReadonlySet<string>;
  /** The stack's directory, relative to the root where terraform runs; unset: the root itself. */
  readonly module?: string;
}

/** The first terraform version with `mock_provider` and `override_*` in test files. */
export const MINIMUM_TERRAFORM_FOR_MOCKS = '1.7.0';

/** An HCL expression for a JSON value: JSON syntax is HCL syntax, except template sigils and two escapes. */
export function hclValue(value: unknown): string {
  return JSON.stringify(value ?? null)
    .replace(/\\(\\|b|f)/g, (match: string, escaped: string) => (escaped === 'b' ? '\\u0008' : escaped === 'f' ? '\\u000c' : match))
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}

function mockAlias(alias: string): string {
  return alias === '' ? 'mock' : `mock_${alias}`;
}

function override(kind: 'override_resource' | 'override_data', target: string, values: Json, indent: string, duringPlan = false): string[] {
  return [
    `${indent}${kind} {`,
    `${indent}  target = ${target}`,
    ...(duringPlan ? [`${indent}  override_during = plan`] : []),
    `${indent}  values = ${hclValue(values)}`,
    `${indent}}`,
  ];
}

export function renderTestFile(file: OfflineTestFile): string {
  const lines = ['# Written by `multiregion plan --offline` for one run; see docs/cli.md.', ''];
  for (const [address, values] of Object.entries(file.reads)) lines.push(...override('override_data', address, values, ''), '');
  for (const alias of file.aliases) lines.push(`mock_provider "aws" {`, `  alias = "${mockAlias(alias)}"`, `}`, '');
  const module = file.module !== undefined ? [`  module {`, `    source = "${file.module}"`, `  }`] : [];
  lines.push('run "plan" {', '  command = plan', ...module, '}', '');
  const providers = file.aliases.map((alias) => `${alias === '' ? 'aws' : `aws.${alias}`} = aws.${mockAlias(alias)}`).join(', ');
  lines.push('run "apply" {', '  command = apply', ...module, `  providers = { ${providers} }`);
  for (const [address, values] of Object.entries(file.mocks)) {
    lines.push(...override(address.startsWith('data.') ? 'override_data' : 'override_resource', address, values, '  ', file.duringPlan?.has(address) === true));
  }
  lines.push('}', '');
  return lines.join('\n');
}
