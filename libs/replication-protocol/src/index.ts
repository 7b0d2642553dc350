// The public API of the replication protocol: wire format, quorum logic, delay models, the
// log and the ordered apply. Pure TypeScript, no I/O (see README.md for the glossary).
export * from './lib/errors';
export * from './lib/limits';
export * from './lib/wire';
export * from './lib/wire-fast';
export * from './lib/zod-error';
export * from './lib/clock';
export * from './lib/quorum';
export * from './lib/quorum-wait';
export * from './lib/random';
export * from './lib/delay-model';
export * from './lib/kv-state';
export * from './lib/replication-log';
export * from './lib/ordered-apply';
export * from './lib/follower-progress';
export * from './lib/epochs';
export * from './lib/recovery';
export * from './lib/min-heap';
export * from './lib/sequence-map';
export * from './lib/follower-outbox';
export * from './lib/cumulative-acks';
export * from './lib/protocol-version';
export { FakeClock, SAMPLE_BATCH_REQUEST, SAMPLE_BATCH_RESPONSE, apiErrorOf, putEntry } from './testing';
export * from './lib/entry-bytes';
export * from './lib/fsync-modes';
export * from './lib/snapshot-transfer';
export * from './lib/snapshot-staging';
export * from './lib/follower-answer';
