/** Every limit has a name and a default here; apps may override them from their config. */
export interface Limits {
  /** Longest key, in characters. */
  maxKeyLength: number;
  /** Largest request body either app accepts, in bytes (a value is at most this, less the JSON wrapper). */
  maxBodyBytes: number;
  /** Deepest nesting of a value's arrays and objects. */
  maxValueDepth: number;
  /** Largest replication request body, in bytes (catch-up batches carry many entries). */
  maxReplicationBodyBytes: number;
  /** Most entries in one catch-up batch. */
  maxCatchUpEntries: number;
  /** Most out-of-order entries a follower buffers before it refuses more. */
  maxBufferedEntries: number;
  /** Most entries the leader's log holds; beyond it the oldest are trimmed even if a follower lacks them (it then gets a snapshot). */
  maxLogEntries: number;
  /** Most bytes (entries as JSON) the leader's log holds; beyond it the oldest are trimmed as for maxLogEntries. */
  maxLogBytes: number;
  /** Most bytes the leader's live keys hold (their entries as JSON); a put beyond it is refused with 507. */
  maxStoreBytes: number;
  /** Most bytes (entries as JSON) in one catch-up batch: well under a follower's body limit. */
  maxCatchUpBytes: number;
  /** Most bytes of out-of-order entries a follower buffers before it refuses more. */
  maxBufferedBytes: number;
  /** Most bytes of client request bodies the leader reads at once; beyond it, 429 before reading. */
  maxBodyBytesInFlight: number;
  /** A client body not fully arrived this long after its route began reading it is dropped (408). */
  bodyTimeoutMs: number;
  /** In `applied` mode, how long a follower holds its answer when the leader names no bound. */
  defaultApplyWaitMs: number;
  /** Most bytes (chunk bodies) of one snapshot a follower stages; at least the leader's maxStoreBytes. */
  maxSnapshotBytes: number;
  /** A staged snapshot no chunk reached for this long is dropped by the follower. */
  snapshotIdleTimeoutMs: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxKeyLength: 256,
  maxBodyBytes: 1024 * 1024,
  maxValueDepth: 64,
  maxReplicationBodyBytes: 64 * 1024 * 1024,
  maxCatchUpEntries: 512,
  maxBufferedEntries: 100_000,
  defaultApplyWaitMs: 2000,
  maxLogEntries: 100_000,
  maxLogBytes: 256 * 1024 * 1024,
  maxStoreBytes: 1024 * 1024 * 1024,
  maxCatchUpBytes: 8 * 1024 * 1024,
  maxBufferedBytes: 128 * 1024 * 1024,
  maxBodyBytesInFlight: 64 * 1024 * 1024,
  bodyTimeoutMs: 30_000,
  maxSnapshotBytes: 1024 * 1024 * 1024 + 64 * 1024 * 1024,
  snapshotIdleTimeoutMs: 60_000,
});

/**
 * The most any node accepts on the wire. A leader may be configured with smaller key and depth
 * limits for client writes (MAX_KEY_LENGTH, MAX_VALUE_DEPTH), never larger, so a follower
 * checking entries against these always takes what its leader accepted.
 */
export const WIRE_LIMITS = Object.freeze({ maxKeyLength: 4096, maxValueDepth: 256 });
