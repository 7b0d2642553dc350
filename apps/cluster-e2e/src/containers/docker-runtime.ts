// The bench's docker runtime, the one place the container tests reach into the bench's sources.
// It is not in the bench's public index on purpose: that would load testcontainers (~300 ms) for
// every user of the bench. The fix is an entry point of its own (e.g. `@quorum-kv/bench/docker`
// in tsconfig.base.json's paths), which the bench's owner decides; until then, this import.
// eslint-disable-next-line @nx/enforce-module-boundaries
export * from '../../../../libs/bench/src/lib/runtimes/docker-cluster';
