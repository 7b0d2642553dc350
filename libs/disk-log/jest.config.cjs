module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'disk-log',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
