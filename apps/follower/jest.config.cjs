module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'follower',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
