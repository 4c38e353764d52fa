import { UserError } from '../errors';
import { NAME_PATTERN } from '../name-rules';

/** Names that cannot be workloads: files of workloads/ and words the config gives another meaning. */
const RESERVED_WORKLOAD_NAMES = ['framework', 'registry', 'index', 'global', 'regional', 'settings', 'network'];

/** What `workload new` is asked for. */
export interface WorkloadScaffold {
  readonly name: string;
  readonly regional: boolean;
  readonly global: boolean;
}

/** Why `name` cannot name a new workload, given the existing ones; undefined when it can. */
export function workloadNameProblem(name: string, existing: readonly string[]): string | undefined {
  if (!NAME_PATTERN.test(name) || name.length > 40 || name.endsWith('-')) {
    return `workload name '${name}' is not valid: expected lower-case letters, digits and hyphens, starting with a letter, at most 40 characters`;
  }
  if (RESERVED_WORKLOAD_NAMES.includes(name)) return `workload name '${name}' is reserved: choose another`;
  if (existing.includes(name)) return `workload '${name}' already exists (workloads/${name}/): choose another name or edit it`;
  return undefined;
}

/** `orders-queue` → `ordersQueue`. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `orders-queue` → `OrdersQueue`. */
export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/**
 * The files of a new workload, by path from the repository root: a settings schema and its
 * type, the parts asked for (a global part publishes an output that the regional part reads),
 * the definition, a README stub and a passing test.
 */
export function workloadFiles(scaffold: WorkloadScaffold): Record<string, string> {
  const { name, regional, global } = scaffold;
  const type = pascalCase(name);
  const value = camelCase(name);
  const outputs = `${name.replace(/-/g, '_').toUpperCase()}_OUTPUTS`;
  const outputType = global ? `${type}Output` : 'never';
  const dir = `workloads/${name}`;
  const files: Record<string, string> = {};
  files[`${dir}/settings.schema.json`] = `${JSON.stringify(
    {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: `${name} settings`,
      description: `What ${name} builds, in one sentence. Reference: workloads/${name}/README.md.`,
      type: 'object',
      additionalProperties: false,
      properties: {
        message: {
          description: `A value ${name} publishes (replace with the workload's own settings).`,
          type: 'string',
          minLength: 1,
          maxLength: 200,
          default: `hello from ${name}`,
        },
      },
    },
    null,
    2,
  )}\n`;
  files[`${dir}/settings.ts`] = [
    `/** The settings of ${name}, validated and with defaults filled in: generated from settings.schema.json (npm run generate). */`,
    `export type { ${type}Settings } from '../../lib/generated/workload-settings-types';`,
    ...(global
      ? [
          '',
          '/** What the global part publishes for the regional parts. */',
          `export const ${outputs} = ['parameter_name'] as const;`,
          `export type ${type}Output = (typeof ${outputs})[number];`,
        ]
      : []),
    '',
  ].join('\n');
  if (global) {
    files[`${dir}/global.ts`] = [
      "import { Construct } from 'constructs';",
      "import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';",
      "import type { GlobalPartProps } from '../framework';",
      `import type { ${type}Output, ${type}Settings } from './settings';`,
      '',
      `/** ${name}, once per team and environment (from the global region). */`,
      `export class ${type}Global extends Construct {`,
      `  readonly outputs: Readonly<Record<${type}Output, string>>;`,
      '',
      `  constructor(scope: Construct, id: string, props: GlobalPartProps<${type}Settings>) {`,
      '    super(scope, id);',
      '    const { context: ctx, settings } = props;',
      "    const parameter = new SsmParameter(this, 'message', {",
      `      name: \`/\${ctx.project}/\${ctx.team}/\${ctx.environment}/${name}/message\`,`,
      "      type: 'String',",
      '      value: settings.message,',
      '    });',
      '    this.outputs = { parameter_name: parameter.name };',
      '  }',
      '}',
      '',
    ].join('\n');
  }
  if (regional) {
    files[`${dir}/regional.ts`] = [
      "import { Construct } from 'constructs';",
      "import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';",
      "import type { RegionalPartProps } from '../framework';",
      `import type { ${global ? `${type}Output, ` : ''}${type}Settings } from './settings';`,
      '',
      `/** ${name} in one region of the team. */`,
      `export class ${type}Regional extends Construct {`,
      `  constructor(scope: Construct, id: string, props: RegionalPartProps<${type}Settings, ${outputType}>) {`,
      '    super(scope, id);',
      '    const { context: ctx, settings } = props;',
      "    new SsmParameter(this, 'message', {",
      `      name: \`/\${ctx.project}/\${ctx.team}/\${ctx.environment}/${name}/\${ctx.region}/message\`,`,
      "      type: 'String',",
      '      value: settings.message,',
      ...(global
        ? [
            "      // Read from the team's global stack (its output, through the stack's remote state).",
            "      description: `Global copy: ${props.global.get('parameter_name')}`,",
          ]
        : []),
      '    });',
      '  }',
      '}',
      '',
    ].join('\n');
  }
  files[`${dir}/index.ts`] = [
    "import { defineWorkload } from '../framework';",
    ...(global ? [`import { ${type}Global } from './global';`] : []),
    ...(regional ? [`import { ${type}Regional } from './regional';`] : []),
    `import ${global ? `{ ${outputs}, type ${type}Output, type ${type}Settings }` : `type { ${type}Settings }`} from './settings';`,
    '',
    `/** ${name} (README.md in this folder). */`,
    `export const ${value} = defineWorkload<${type}Settings${global ? `, ${type}Output` : ''}>({`,
    `  name: '${name}',`,
    ...(global ? [`  globalOutputs: ${outputs},`, `  global: ${type}Global,`] : []),
    ...(regional ? [`  regional: ${type}Regional,`] : []),
    '});',
    '',
  ].join('\n');
  const parts = [
    regional ? '| regional | an SSM parameter with `message`, per region |' : '',
    global ? '| global | an SSM parameter with `message`, once; its name is the output `parameter_name` |' : '',
  ].filter((l) => l !== '');
  files[`${dir}/README.md`] = [
    `# ${name}`,
    '',
    'What this workload builds and for whom, in a sentence or two.',
    '',
    '| part | what it builds |',
    '|---|---|',
    ...parts,
    '',
    `## Settings (\`settings.${name}\`)`,
    '',
    '```yaml',
    'teams:',
    '  research:',
    `    workloads: [${name}]`,
    '    settings:',
    `      ${name}:`,
    `        message: hello        # default: hello from ${name}`,
    '```',
    '',
    'Replace the example setting with the real ones in `settings.schema.json` and `settings.ts`, then',
    'run `npm run generate` (see docs/workloads.md).',
    '',
  ].join('\n');
  const tag = regional ? 'dev_eu-central-1/research/1.0' : 'dev_global/research/1.0';
  files[`test/workloads/${name}/${name}.test.ts`] = [
    "import { configProblems, DEV, PROJECT, withChanges } from '../../support/org';",
    "import { devOrg, resources, synthTag } from '../../support/synth';",
    '',
    `const uses = (settings: object) => ({ 'teams.research.workloads': ['${name}'], 'teams.research.settings': { '${name}': settings } });`,
    '',
    `describe('${name}', () => {`,
    `  test('GIVEN a team that uses it WHEN its stack is synthesized THEN the message is published', () => {`,
    `    const json = synthTag(devOrg(uses({ message: 'hi' })), '${tag}');`,
    "    const parameters = resources(json, 'aws_ssm_parameter');",
    "    expect(parameters.map((p) => p.value)).toContain('hi');",
    '  });',
    '',
    `  test('GIVEN no message WHEN loaded THEN the schema default applies', () => {`,
    `    const team = devOrg(uses({})).environments[0].teams.find((t) => t.name === 'research')!;`,
    `    expect(team.workloads[0].settings).toEqual({ message: 'hello from ${name}' });`,
    '  });',
    '',
    `  test('GIVEN an empty message WHEN loaded THEN the config is rejected at its line', () => {`,
    `    const problems = configProblems({ 'project.yaml': PROJECT, 'dev.yaml': withChanges(DEV, uses({ message: '' })) });`,
    `    expect(problems).toContainEqual(expect.stringMatching(/dev\\.yaml:\\d+: teams\\.research\\.settings\\.${name}\\.message: /));`,
    '  });',
    '});',
    '',
  ].join('\n');
  return files;
}

/** The width the project's formatter (.prettierrc.json) wraps at: the registry stays formatted. */
const PRINT_WIDTH = 160;
const WORKLOADS_LIST = /^export const WORKLOADS\b[^=]*=\s*\[([^\]]*)\];/m;

/**
 * workloads/registry.ts with the new workload imported and listed, both in name order, so the
 * registry stays the one place that names every workload. The list is written as the formatter
 * writes it: on one line when it fits, else one entry per line.
 */
export function registerWorkload(registry: string, name: string): string {
  const value = camelCase(name);
  const list = WORKLOADS_LIST.exec(registry);
  if (list === null) {
    throw new UserError(
      'workloads/registry.ts has no `export const WORKLOADS: readonly AnyWorkloadDefinition[] = [...];` list to add the workload to: restore it from git',
    );
  }
  const listed = list[1]
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  // Only plain names are rewritten: a comment or an expression in the list would be mangled.
  const odd = listed.find((entry) => !/^[A-Za-z_$][\w$]*$/.test(entry));
  if (odd !== undefined) {
    throw new UserError(
      `workloads/registry.ts: the WORKLOADS list holds '${odd.split('\n')[0]}', not just workload names: move comments out of the list, then run the command again`,
    );
  }
  const importLine = `import { ${value} } from './${name}';`;
  if (listed.includes(value) || registry.split('\n').includes(importLine)) {
    throw new UserError(`workloads/registry.ts already registers ${value} (./${name}): remove that line and its import, or choose another name`);
  }
  const entries = [...listed, value].sort();
  const head = list[0].slice(0, list[0].length - list[1].length - 2);
  const oneLine = `${head}${entries.join(', ')}];`;
  const declaration = oneLine.length <= PRINT_WIDTH ? oneLine : `${head}\n${entries.map((entry) => `  ${entry},`).join('\n')}\n];`;
  const lines = registry.replace(list[0], declaration).split('\n');
  const imports = lines.map((line, i) => ({ line, i })).filter(({ line }) => /^import /.test(line));
  const after = imports.filter(({ line }) => line.localeCompare(importLine) < 0).pop() ?? imports[0];
  lines.splice(after.i + (after.line.localeCompare(importLine) < 0 ? 1 : 0), 0, importLine);
  return lines.join('\n');
}
