// Express glue shared by the leader and follower apps: errors, JSON bodies, the cluster token,
// configuration, logging, metrics and the server lifecycle.
export * from './lib/error-status';
export * from './lib/errors-middleware';
export * from './lib/json-body';
export * from './lib/cluster-auth';
export * from './lib/config';
export * from './lib/logger';
export * from './lib/server';
export * from './lib/metrics';
export * from './lib/express-app';
export * from './lib/send-json';
export * from './lib/arrival-order';
export * from './lib/body-budget';
export * from './lib/exact-numbers';
export * from './lib/disk-log-metrics';
export * from './lib/scraped-metrics';
export * from './lib/ndjson-lines';
