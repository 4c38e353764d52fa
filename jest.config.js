/** @type {import('jest').Config} */
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };
module.exports = {
  // Tests spend much of their time in child processes (synth, git, terraform, bash): one worker
  // per core leaves cores idle, so run 1.5 per core (3 on 2 cores).
  maxWorkers: '150%',
  globalSetup: '<rootDir>/test/global-setup.js',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/test/integration/'],
      setupFiles: ['<rootDir>/test/setup-engine.ts'],
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/integration'],
      testMatch: ['**/*.test.ts'],
      transform,
    },
  ],
};
