/** @type {import('jest').Config} */
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };
module.exports = {
  // One worker per core. More (e.g. 150%) looked free because tests wait on child processes, but
  // on the 2-core development VM three workers made the unit tests 3-4x slower in CPU time: with
  // the vCPUs oversubscribed, V8's parallel GC threads spin (the same run with --single-threaded-gc
  // was normal). npm test also starts jest with --single-threaded-gc, which its workers inherit.
  maxWorkers: '100%',
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
