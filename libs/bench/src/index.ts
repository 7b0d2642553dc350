// The bench's public API: cluster runtimes, the client, the workload, the consistency check
// the sweep and the durability sweep (used by the cluster tests too).
export * from './lib/sweep/records';
export * from './lib/cluster/kv-client';
export * from './lib/sweep/workload';
export * from './lib/cluster/consistency';
export * from './lib/cluster/cluster';
export * from './lib/cluster/process-cluster';
export * from './lib/cluster/cuttable-proxy';
export * from './lib/cluster/build';
export * from './lib/common/prometheus-text';
export * from './lib/sweep/run-sweep';
export * from './lib/sweep/model';
export * from './lib/sweep/summarize-sweep';
export * from './lib/durability';
