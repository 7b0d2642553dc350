// The bench's docker runtime as an entry point of its own (`@quorum-kv/bench/docker`): importing
// it loads testcontainers, which takes a noticeable moment users of the process runtime should not pay for.
export * from './lib/cluster/docker-cluster';
