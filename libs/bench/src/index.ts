// The bench's public API: cluster runtimes, the client, the workload, the consistency check
// and the sweep (used by the cluster tests too).
export * from './lib/records';
export * from './lib/kv-client';
export * from './lib/workload';
export * from './lib/consistency';
export * from './lib/runtimes/cluster';
export * from './lib/runtimes/process-cluster';
export * from './lib/cluster/cuttable-proxy';
export * from './lib/runtimes/build';
export * from './lib/sweep';
export * from './lib/model';
export * from './lib/summarize-sweep';
