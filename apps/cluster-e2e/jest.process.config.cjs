// Cluster tests against a real leader and real followers started as processes on 127.0.0.1.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'cluster-e2e (processes)',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/process/**/*.e2e.ts'],
  testTimeout: 120_000,
};
