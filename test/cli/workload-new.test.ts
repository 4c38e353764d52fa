import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../lib/errors';
import { camelCase, registerWorkload, workloadFiles, workloadNameProblem } from '../../lib/scaffold/workload-template';
import { REPO_ROOT, tempDir } from '../support/org';

/** A scratch copy of the repository's sources (node_modules linked), for commands that write files. */
function scratchRepository(): string {
  const dir = tempDir('scaffold');
  for (const entry of [
    'cli',
    'lib',
    'guardrails',
    'modules',
    'stacks',
    'workloads',
    'scripts',
    'environments',
    'main.ts',
    'package.json',
    'tsconfig.json',
    'cdktf.json',
  ]) {
    fs.cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  for (const linked of ['node_modules', 'data']) fs.symlinkSync(path.join(REPO_ROOT, linked), path.join(dir, linked));
  return dir;
}

/** Runs a TypeScript entry point of `repo` without type-checking (tsc does that), as a user's command would. */
function runIn(repo: string, entry: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const code = `require(${JSON.stringify(path.join(REPO_ROOT, 'test', 'support', 'transpile-hook.js'))}).register(${JSON.stringify(path.join(repo, 'tsconfig.json'))});
const main = require(${JSON.stringify(path.join(repo, entry))}); if (main.run) void main.run(process.argv.slice(1));`;
  const result = spawnSync(process.execPath, ['-e', code, '--', ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('workload names', () => {
  test.each([
    ['orders-queue', undefined],
    ['Orders', /is not valid/],
    ['orders_queue', /is not valid/],
    ['orders-', /is not valid/],
    ['registry', /is reserved/],
    ['web-service', /already exists \(workloads\/web-service\/\)/],
  ])('GIVEN %s WHEN checked THEN the problem is %s', (name, expected) => {
    const problem = workloadNameProblem(name, ['web-service']);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});

describe('the workload template', () => {
  test('GIVEN a regional and global workload WHEN scaffolded THEN every file of the API is written', () => {
    const files = workloadFiles({ name: 'orders-queue', regional: true, global: true });
    expect(Object.keys(files).sort()).toEqual([
      'test/workloads/orders-queue/orders-queue.test.ts',
      'workloads/orders-queue/README.md',
      'workloads/orders-queue/global.ts',
      'workloads/orders-queue/index.ts',
      'workloads/orders-queue/regional.ts',
      'workloads/orders-queue/settings.schema.json',
      'workloads/orders-queue/settings.ts',
    ]);
    expect(files['workloads/orders-queue/regional.ts']).toContain("props.global.get('parameter_name')");
    expect(JSON.parse(files['workloads/orders-queue/settings.schema.json']).properties.message.default).toBe('hello from orders-queue');
  });

  test('GIVEN a regional-only workload WHEN scaffolded THEN it has no global part and reads no output', () => {
    const files = workloadFiles({ name: 'cache', regional: true, global: false });
    expect(files['workloads/cache/global.ts']).toBeUndefined();
    expect(files['workloads/cache/regional.ts']).not.toContain('props.global');
  });

  test('GIVEN the registry WHEN a workload is registered THEN its import and entry land in name order', () => {
    const registry = fs.readFileSync(path.join(REPO_ROOT, 'workloads', 'registry.ts'), 'utf8');
    const updated = registerWorkload(registry, 'cache');
    expect(updated).toContain("import { batchFleet } from './batch-fleet';\nimport { cache } from './cache';\n");
    expect(updated).toContain('export const WORKLOADS: readonly AnyWorkloadDefinition[] = [batchFleet, cache, globalTable, webService];\n');
    expect(camelCase('orders-queue-2')).toBe('ordersQueue2');
  });

  test('GIVEN a list too long for one line WHEN a workload is registered THEN it is written one entry per line, as the formatter writes it', () => {
    const long = Array.from({ length: 12 }, (_, i) => `someLongWorkloadName${String(i).padStart(2, '0')}`);
    const registry = `import { a } from './a';\n\nexport const WORKLOADS: readonly AnyWorkloadDefinition[] = [${long.join(', ')}];\n`;
    const updated = registerWorkload(registry, 'zz-last');
    expect(updated).toBe(
      `import { a } from './a';\nimport { zzLast } from './zz-last';\n\nexport const WORKLOADS: readonly AnyWorkloadDefinition[] = [\n${[...long, 'zzLast'].map((e) => `  ${e},\n`).join('')}];\n`,
    );
  });

  test.each([
    [
      'a comment inside the list',
      'export const WORKLOADS: readonly AnyWorkloadDefinition[] = [\n  batchFleet, // the batch one\n  webService,\n];\n',
      /holds '\/\/ the batch one', not just workload names/,
    ],
    [
      'the name already listed',
      "import { cache } from './cache';\nexport const WORKLOADS: readonly AnyWorkloadDefinition[] = [cache];\n",
      /already registers cache \(\.\/cache\)/,
    ],
    [
      'the import already there',
      "import { cache } from './cache';\nexport const WORKLOADS: readonly AnyWorkloadDefinition[] = [webService];\n",
      /already registers cache/,
    ],
  ])('GIVEN a registry with %s WHEN a workload is registered THEN it is refused with a user error, not rewritten', (_case, registry, message) => {
    expect(() => registerWorkload(registry, 'cache')).toThrow(UserError);
    expect(() => registerWorkload(registry, 'cache')).toThrow(message);
  });

  test('GIVEN a registry without the WORKLOADS list WHEN a workload is registered THEN a user error says what to restore', () => {
    expect(() => registerWorkload("import { a } from './a';\nexport const OTHER = [];\n", 'cache')).toThrow(
      /workloads\/registry.ts has no `export const WORKLOADS.*restore it from git/,
    );
  });

  test('GIVEN a scaffolded workload WHEN checked with the project formatter THEN every file and the registry are already formatted', () => {
    const dir = tempDir('formatted');
    fs.copyFileSync(path.join(REPO_ROOT, '.prettierrc.json'), path.join(dir, '.prettierrc.json'));
    const registry = registerWorkload(fs.readFileSync(path.join(REPO_ROOT, 'workloads', 'registry.ts'), 'utf8'), 'orders-queue');
    const files = { ...workloadFiles({ name: 'orders-queue', regional: true, global: true }), 'workloads/registry.ts': registry };
    const code = Object.keys(files).filter((file) => /\.(ts|js)$/.test(file));
    for (const file of code) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), files[file as keyof typeof files]);
    }
    const check = spawnSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--list-different', ...code], { cwd: dir, encoding: 'utf8' });
    expect({ unformatted: check.stdout.trim(), status: check.status }).toEqual({ unformatted: '', status: 0 });
  });
});

describe('npx multiregion workload new', () => {
  jest.setTimeout(120_000);

  test('GIVEN a new name WHEN scaffolded THEN config check and synth work with it right away, reading the global output', () => {
    const repo = scratchRepository();
    const created = runIn(repo, 'cli/main.ts', ['workload', 'new', 'orders-queue', '--regional', '--global']);
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toContain('registered it in workloads/registry.ts');
    expect(fs.readFileSync(path.join(repo, 'workloads', 'registry.ts'), 'utf8')).toContain("import { ordersQueue } from './orders-queue';");
    expect(fs.existsSync(path.join(repo, 'test', 'workloads', 'orders-queue', 'orders-queue.test.ts'))).toBe(true);
    const schema = JSON.parse(fs.readFileSync(path.join(repo, 'environments', 'schema', 'environment.schema.json'), 'utf8'));
    expect(schema.definitions.workloadName.enum).toContain('orders-queue');

    const dev = path.join(repo, 'environments', 'dev.yaml');
    fs.writeFileSync(
      dev,
      fs.readFileSync(dev, 'utf8').replace('workloads: [web-service, global-table]', 'workloads: [web-service, global-table, orders-queue]'),
    );
    const check = runIn(repo, 'cli/main.ts', ['config', 'check']);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);

    const out = path.join(repo, 'out');
    const synth = runIn(repo, 'main.ts', [], { DEPLOY_TAG: 'dev_eu-central-1/research/1.0', CDKTF_OUTDIR: out, MULTIREGION_ALLOW_UNRELEASED: '1' });
    expect(synth.stderr).toBe('');
    const stack = JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'research-dev-eu-central-1', 'cdk.tf.json'), 'utf8'));
    const parameters = Object.values(stack.resource.aws_ssm_parameter as Record<string, { name: string; description?: string }>);
    expect(parameters.find((p) => p.name === '/awsome-infra/research/dev/orders-queue/eu-central-1/message')?.description).toBe(
      'Global copy: ${data.terraform_remote_state.global-state.outputs.orders_queue__parameter_name}',
    );
  });

  test.each([
    [['web-service'], /^error: workload 'web-service' already exists/],
    [['Bad_Name'], /^error: workload name 'Bad_Name' is not valid/],
  ])('GIVEN %j WHEN scaffolded THEN it is refused with one line, exit 2, and nothing is written', (args, message) => {
    const repo = scratchRepository();
    const before = fs.readFileSync(path.join(repo, 'workloads', 'registry.ts'), 'utf8');
    const result = runIn(repo, 'cli/main.ts', ['workload', 'new', ...args]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(fs.readFileSync(path.join(repo, 'workloads', 'registry.ts'), 'utf8')).toBe(before);
  });
});
