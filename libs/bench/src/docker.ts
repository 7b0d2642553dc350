// The bench's docker runtime as an entry point of its own (`@quorum-kv/bench/docker`): importing
// it loads testcontainers (~300 ms), which users of the process runtime should not pay for.
export * from './lib/cluster/docker-cluster';
