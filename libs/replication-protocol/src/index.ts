// The public API of the replication protocol: wire format, quorum logic, delay models, the
// log and the ordered apply. Pure TypeScript, no I/O (see README.md for the glossary).
export * from './lib/errors';
export * from './lib/limits';
export * from './lib/wire';
export * from './lib/clock';
export * from './lib/quorum';
export * from './lib/quorum-wait';
export * from './lib/random';
export * from './lib/delay-model';
export * from './lib/kv-state';
export * from './lib/replication-log';
export * from './lib/ordered-apply';
export * from './lib/follower-progress';
export { FakeClock } from './testing';
export * from './lib/entry-bytes';
