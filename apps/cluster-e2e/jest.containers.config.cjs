// Cluster tests against six real containers started with testcontainers (needs a Docker engine;
// without one every test fails and says so: skipping is the test script's decision, not jest's).
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'cluster-e2e (containers)',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/containers/**/*.e2e.ts'],
  // Before any test module loads: testcontainers must not pull its reaper or helper images.
  setupFiles: ['<rootDir>/src/containers/testcontainers-env.ts'],
  // After the framework: removes any cluster a test file left behind, even a half-started one.
  setupFilesAfterEnv: ['<rootDir>/src/containers/remove-clusters-after-all.ts'],
  testTimeout: 120_000,
};
