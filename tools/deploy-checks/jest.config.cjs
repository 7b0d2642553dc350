// Offline checks of the deployment files (docker/, k8s/): no engine, no cluster. kubernetes-models
// and its helpers are ESM-only and export only an `import` condition: esm-resolver.cjs resolves
// that condition, and swc turns them into CommonJS like the workspace's other ESM-only packages.
const preset = require('../../jest.preset.cjs');

const esmOnly = [
  'p-limit',
  'yocto-queue',
  'kubernetes-models',
  '@kubernetes-models',
  'is-cidr',
  'cidr-regex',
  'ip-regex',
];

module.exports = {
  ...preset,
  displayName: 'deploy-checks',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  resolver: '<rootDir>/esm-resolver.cjs',
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
};
