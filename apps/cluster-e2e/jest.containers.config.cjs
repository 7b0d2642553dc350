// Cluster tests against six real containers started with testcontainers (needs a Docker engine).
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'cluster-e2e (containers)',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/containers/**/*.e2e.ts'],
  testTimeout: 300_000,
};
