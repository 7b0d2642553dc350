// Shared helpers of the cluster tests. They take a running `Cluster` / `FaultableCluster`
// from `@quorum-kv/bench` and never start one, so the process and the container tests share them.
export * from './wait-until';
export * from './cluster-clients';
export * from './stores';
export * from './leader-status';
export * from './raw-http';
export * from './error-answers';
export * from './traced-writes';
export * from './concurrent-writes';
export * from './raw-socket';
export * from './file-cluster';
export * from './fencing';
