// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The package root loads ~1,100 resource modules (~3 s, ~500 MB per process): deep paths only.
const PROVIDER_ROOT = {
  name: '@cdktf/provider-aws',
  message: "Import the resource by deep path, e.g. '@cdktf/provider-aws/lib/autoscaling-group'.",
};

const PROVIDER_REQUIRE = {
  selector: "CallExpression[callee.name='require'][arguments.0.value='@cdktf/provider-aws']",
  message: "Require the resource by deep path, e.g. '@cdktf/provider-aws/lib/autoscaling-group'.",
};

// Git runs through one adapter, lib/git/repository.ts: the only file that loads simple-git (which
// the synth never loads). The synth's tag check, lib/git/sync-reader.ts, is the only other file
// that runs git itself (see docs/development.md).
const GIT_ADAPTER = 'Run git through the git adapter, GitRepository in lib/git/repository.ts (see docs/development.md).';
const SIMPLE_GIT = { name: 'simple-git', message: GIT_ADAPTER };
const SIMPLE_GIT_LOAD = [
  { selector: "ImportExpression[source.value='simple-git']", message: GIT_ADAPTER },
  { selector: "CallExpression[callee.name='require'][arguments.0.value='simple-git']", message: GIT_ADAPTER },
];
const CHILD_PROCESS_CALL = '/^(spawn|spawnSync|exec|execSync|execFile|execFileSync)$/';
const GIT_PROCESS = [
  { selector: `CallExpression[callee.name=${CHILD_PROCESS_CALL}][arguments.0.value='git']`, message: GIT_ADAPTER },
  { selector: `CallExpression[callee.property.name=${CHILD_PROCESS_CALL}][arguments.0.value='git']`, message: GIT_ADAPTER },
];
const SOURCES = ['main.ts', 'lib/**/*.ts', 'guardrails/**/*.ts', 'modules/**/*.ts', 'workloads/**/*.ts', 'stacks/**/*.ts', 'cli/**/*.ts'];

/** no-restricted-imports for a folder: the provider root and simple-git, plus the layers it may not reach. */
function layer(folder, forbidden, paths = [PROVIDER_ROOT, SIMPLE_GIT]) {
  return {
    files: [`${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths,
          patterns: forbidden.map((other) => ({
            group: [`**/${other}/*`, `**/${other}`],
            message: `${folder}/ may not import ${other}/ (layering: lib < guardrails < modules < workloads < stacks < cli; see docs/development.md).`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', '**/node_modules/', 'dist/', 'cdktf.out/', 'coverage/', 'bench/baseline/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [PROVIDER_ROOT, SIMPLE_GIT] }],
      'no-restricted-syntax': ['error', PROVIDER_REQUIRE, ...SIMPLE_GIT_LOAD],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-new': 'off',
    },
  },
  {
    files: ['bin/**/*.js', 'test/**/*.js', 'engines/*/*.js', 'jest.config.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The application runs git only through lib/git/ (tests, the benchmark and tools may run it).
  { files: SOURCES, rules: { 'no-restricted-syntax': ['error', PROVIDER_REQUIRE, ...SIMPLE_GIT_LOAD, ...GIT_PROCESS] } },
  { files: ['lib/git/repository.ts'], rules: { 'no-restricted-syntax': ['error', PROVIDER_REQUIRE, ...GIT_PROCESS] } },
  { files: ['lib/git/sync-reader.ts'], rules: { 'no-restricted-syntax': ['error', PROVIDER_REQUIRE, ...SIMPLE_GIT_LOAD] } },
  // Layering: plain logic never reaches constructs or commands; constructs never reach stacks.
  layer('lib', ['guardrails', 'modules', 'workloads', 'stacks', 'cli']),
  // The git adapter is the one file that may import simple-git.
  { ...layer('lib', ['guardrails', 'modules', 'workloads', 'stacks', 'cli'], [PROVIDER_ROOT]), files: ['lib/git/repository.ts'] },
  layer('guardrails', ['modules', 'workloads', 'stacks', 'cli']),
  layer('modules', ['workloads', 'stacks', 'cli']),
  layer('workloads', ['stacks', 'cli']),
  layer('stacks', ['cli']),
);
