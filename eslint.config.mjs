// One lint config for the workspace. The tag matrix keeps the layers honest:
//   type:app      -> type:edge, type:storage, type:core, type:util   (leader, follower)
//   type:edge     -> type:core, type:util              (http-edge: express glue shared by the apps)
//   type:storage  -> type:core, type:util              (disk-log: files, fsync; no servers)
//   type:core     -> type:util                         (replication-protocol: pure, no I/O)
//   type:tooling  -> type:core, type:util              (bench)
//   type:e2e      -> type:tooling, type:core, type:util (cluster tests)
// Nothing imports an app. Core and util may not import servers, sockets or the file system.
import nx from '@nx/eslint-plugin';

const noIoInPureLibs = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        'express',
        'axios',
        'pino',
        'prom-client',
        'node:http',
        'http',
        'node:net',
        'net',
        'node:fs',
        'fs',
        'node:fs/promises',
        'fs/promises',
        'node:child_process',
        'child_process',
      ].map((name) => ({
        name,
        message: 'Core and util libraries do no I/O: take a small interface and let the app wire the real one.',
      })),
    },
  ],
};

// The storage library does file I/O and nothing else: no servers, sockets, loggers or metrics.
const noServersInStorage = {
  'no-restricted-imports': [
    'error',
    {
      paths: ['express', 'axios', 'pino', 'prom-client', 'node:http', 'http', 'node:net', 'net'].map((name) => ({
        name,
        message: 'The storage library only touches files: the app logs, serves and counts.',
      })),
    },
  ],
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/results', '**/tmp', '**/*.cjs', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:edge', 'type:storage', 'type:core', 'type:util'],
            },
            { sourceTag: 'type:edge', onlyDependOnLibsWithTags: ['type:core', 'type:util'] },
            { sourceTag: 'type:storage', onlyDependOnLibsWithTags: ['type:core', 'type:util'] },
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:core', 'type:util'] },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: ['type:tooling', 'type:edge', 'type:core', 'type:util'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['libs/replication-protocol/src/**/*.ts', 'libs/stats/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: noIoInPureLibs,
  },
  {
    files: ['libs/disk-log/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: noServersInStorage,
  },
];
