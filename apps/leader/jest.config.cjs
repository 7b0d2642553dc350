module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'leader',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
