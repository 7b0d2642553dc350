/** The follower's configuration, read once from the environment (see the README's table). */
import { z } from 'zod';
import { DEFAULT_LIMITS } from '@quorum-kv/replication-protocol';
import { env, loadConfig } from '@quorum-kv/http-edge';
import { DISK_LOG_CONFIG_FIELDS } from '@quorum-kv/disk-log';

const schema = z.object({
  PORT: env.port(8080),
  HOST: z.string().default('0.0.0.0'),
  FOLLOWER_ID: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, _ . -')
    .default('follower'),
  CLUSTER_TOKEN: env.token(),
  /** The cluster this follower belongs to; unset, derived from the token. */
  CLUSTER_ID: z.string().min(1).max(128).optional(),
  /** When set, entries from any other leader id are refused. */
  ACCEPT_LEADER_ID: z.string().min(1).max(128).optional(),
  ENABLE_DEBUG: env.bool(false),
  LOG_LEVEL: env.logLevel(),
  MAX_BODY_BYTES: env.int(DEFAULT_LIMITS.maxReplicationBodyBytes, 1024, 1024 * 1024 * 1024),
  /** Also how far ahead of its applied LSN the follower buffers: a farther entry is refused. */
  MAX_BUFFERED_ENTRIES: env.int(DEFAULT_LIMITS.maxBufferedEntries, 1, 10_000_000),
  MAX_BUFFERED_BYTES: env.int(DEFAULT_LIMITS.maxBufferedBytes, 1024, 64 * 1024 ** 3),
  ...DISK_LOG_CONFIG_FIELDS,
  /** Most bytes of one snapshot's chunks staged before it installs; keep it at least the leader's MAX_STORE_BYTES. */
  MAX_SNAPSHOT_BYTES: env.int(DEFAULT_LIMITS.maxSnapshotBytes, 1024, 64 * 1024 ** 3),
  /** A staged snapshot no chunk has reached for this long is dropped. */
  SNAPSHOT_IDLE_TIMEOUT_MS: env.int(DEFAULT_LIMITS.snapshotIdleTimeoutMs, 100, 3_600_000),
});

export type FollowerConfig = z.infer<typeof schema>;

export function loadFollowerConfig(source: Record<string, string | undefined>): Readonly<FollowerConfig> {
  return loadConfig(schema, source);
}
