// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The package root loads ~1,100 resource modules (~3 s, ~500 MB per process): deep paths only.
const PROVIDER_ROOT = {
  name: '@cdktf/provider-aws',
  message: "Import the resource by deep path, e.g. '@cdktf/provider-aws/lib/autoscaling-group'.",
};

/** no-restricted-imports for a folder: the provider root, plus the layers it may not reach. */
function layer(folder, forbidden) {
  return {
    files: [`${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [PROVIDER_ROOT],
          patterns: forbidden.map((other) => ({
            group: [`**/${other}/*`, `**/${other}`],
            message: `${folder}/ may not import ${other}/ (layering: lib < modules < workloads < stacks < cli; see docs/development.md).`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cdktf.out/', 'coverage/', 'bench/baseline/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [PROVIDER_ROOT] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require'][arguments.0.value='@cdktf/provider-aws']",
          message: "Require the resource by deep path, e.g. '@cdktf/provider-aws/lib/autoscaling-group'.",
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-new': 'off',
    },
  },
  {
    files: ['bin/**/*.js', 'test/**/*.js', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Layering: plain logic never reaches constructs or commands; constructs never reach stacks.
  layer('lib', ['modules', 'workloads', 'stacks', 'cli']),
  layer('modules', ['workloads', 'stacks', 'cli']),
  layer('workloads', ['stacks', 'cli']),
  layer('stacks', ['cli']),
);
