module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'replication-protocol',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
