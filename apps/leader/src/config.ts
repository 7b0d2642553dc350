/** The leader's configuration, read once from the environment (see the README's table). */
import { z } from 'zod';
import {
  ACK_MODES,
  DEFAULT_FAIL_FAST_AFTER_FAILURES,
  DEFAULT_LIMITS,
  DEFAULT_OUTBOX_LIMITS,
  WIRE_LIMITS,
  DelaySpecError,
  parseDelayPlan,
} from '@quorum-kv/replication-protocol';
import { env, loadConfig } from '@quorum-kv/http-edge';
import { DISK_LOG_CONFIG_FIELDS } from '@quorum-kv/disk-log';
import { BATCH_TRANSPORTS } from './replication/http-transport';

const followerUrls = z
  .string({ message: 'is required: comma-separated follower base URLs' })
  .transform((text) =>
    text
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== ''),
  )
  .pipe(
    z
      .array(z.url({ protocol: /^https?$/, message: 'must be http(s) URLs' }))
      .min(1, 'must name at least one follower')
      .max(64, 'must name at most 64 followers'),
  );

const schema = z
  .object({
    PORT: env.port(8080),
    HOST: z.string().default('0.0.0.0'),
    LEADER_ID: z.string().min(1).max(128).default('leader'),
    FOLLOWERS: followerUrls,
    WRITE_QUORUM: env.int(1, 1, 64),
    DELAY: z.string().default('uniform:0:1000'),
    REPLICATION_TIMEOUT_MS: env.int(2000, 1, 600_000),
    ACK_MODE: z.enum(ACK_MODES).default('received'),
    CLUSTER_TOKEN: env.token(),
    /** The cluster this leader belongs to; unset, derived from the token (as on followers). */
    CLUSTER_ID: z.string().min(1).max(128).optional(),
    /** R: the followers a recovering leader needs promises from; unset, a majority. */
    RECOVERY_QUORUM: z.coerce.number().int('must be an integer').min(1, 'must be at least 1').optional(),
    SEED: env.int(1, 0, 2 ** 31 - 1),
    ENABLE_DEBUG: env.bool(false),
    LOG_LEVEL: env.logLevel(),
    MAX_KEY_LENGTH: env.int(DEFAULT_LIMITS.maxKeyLength, 1, WIRE_LIMITS.maxKeyLength),
    MAX_VALUE_DEPTH: env.int(DEFAULT_LIMITS.maxValueDepth, 1, WIRE_LIMITS.maxValueDepth),
    MAX_BODY_BYTES: env.int(DEFAULT_LIMITS.maxBodyBytes, 64, 256 * 1024 * 1024),
    MAX_IN_FLIGHT_WRITES: env.int(10_000, 1, 1_000_000),
    FAIL_FAST_AFTER_FAILURES: env.int(DEFAULT_FAIL_FAST_AFTER_FAILURES, 1, 1000),
    MAX_IN_FLIGHT_MESSAGES: env.int(DEFAULT_OUTBOX_LIMITS.maxInFlightMessages, 1, 1024),
    /** How batches travel to followers: one request each, or lines of one long-lived stream (http-transport.ts). */
    BATCH_TRANSPORT: z.enum(BATCH_TRANSPORTS).default('stream'),
    MAX_CATCH_UP_ENTRIES: env.int(DEFAULT_LIMITS.maxCatchUpEntries, 1, 100_000),
    CATCH_UP_INTERVAL_MS: env.int(100, 1, 60_000),
    MAX_LOG_ENTRIES: env.int(DEFAULT_LIMITS.maxLogEntries, 1, 100_000_000),
    MAX_LOG_BYTES: env.int(DEFAULT_LIMITS.maxLogBytes, 1024, 64 * 1024 ** 3),
    MAX_STORE_BYTES: env.int(DEFAULT_LIMITS.maxStoreBytes, 1024, 1024 ** 4),
    MAX_CATCH_UP_BYTES: env.int(DEFAULT_LIMITS.maxCatchUpBytes, 1024, 1024 ** 3),
    MAX_BODY_BYTES_IN_FLIGHT: env.int(DEFAULT_LIMITS.maxBodyBytesInFlight, 64, 64 * 1024 ** 3),
    BODY_TIMEOUT_MS: env.int(DEFAULT_LIMITS.bodyTimeoutMs, 100, 600_000),
    HEADERS_TIMEOUT_MS: env.int(10_000, 100, 600_000),
    KEEP_ALIVE_TIMEOUT_MS: env.int(65_000, 100, 3_600_000),
    ...DISK_LOG_CONFIG_FIELDS,
  })
  .superRefine((c, ctx) => {
    if (c.WRITE_QUORUM > c.FOLLOWERS.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['WRITE_QUORUM'],
        message: `must be at most the number of FOLLOWERS (${c.FOLLOWERS.length})`,
      });
    }
    if (c.RECOVERY_QUORUM !== undefined && c.RECOVERY_QUORUM > c.FOLLOWERS.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECOVERY_QUORUM'],
        message: `must be at most the number of FOLLOWERS (${c.FOLLOWERS.length})`,
      });
    }
    if (c.MAX_BODY_BYTES_IN_FLIGHT < c.MAX_BODY_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAX_BODY_BYTES_IN_FLIGHT'],
        message: `must be at least MAX_BODY_BYTES (${c.MAX_BODY_BYTES}), or a body of the largest size is never read`,
      });
    }
    try {
      parseDelayPlan(c.DELAY, c.FOLLOWERS.length);
    } catch (err) {
      if (!(err instanceof DelaySpecError)) throw err;
      ctx.addIssue({ code: 'custom', path: ['DELAY'], message: err.message });
    }
  });

export type LeaderConfig = z.infer<typeof schema>;

export function loadLeaderConfig(source: Record<string, string | undefined>): Readonly<LeaderConfig> {
  return loadConfig(schema, source);
}
