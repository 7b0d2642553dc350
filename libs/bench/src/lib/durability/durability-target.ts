/**
 * What the durability sweep needs of a cluster, as one narrow seam: the leader's client API,
 * its crash and restart, and the links between it and each follower. The runner is written
 * against this alone, so it is tested with an in-memory cluster (`testing.ts`); the runtimes are
 * wired to it in `process-target.ts`. Followers are numbered from 1.
 */
import type { WriteAnswer } from '../cluster/kv-client';
import type { KeyRead } from './loss-check';

/** The leader's health, as its /health answers (contract of the leader-loss work). */
export interface LeaderHealth {
  /** It takes writes: `status` 'ok' (or, from a leader without recovery, a plain 200). */
  serving: boolean;
  /** 'ok' | 'recovering' | 'fenced', or 'unreachable' when it did not answer. */
  status: string;
  epoch: number | null;
}

export interface DurabilityTarget {
  readonly followers: number;
  /** Cuts the link between the leader and follower f: both keep running, bytes are dropped. */
  cut(follower: number): Promise<void>;
  heal(follower: number): Promise<void>;
  /** SIGKILL; resolves once the leader has exited (no two leaders ever run at once). */
  killLeader(): Promise<void>;
  /** Starts the leader again with its environment plus `env`; resolves once it listens (it may still be recovering). */
  startLeader(env: Record<string, string>): Promise<void>;
  put(key: string, value: string, w: number): Promise<WriteAnswer>;
  read(key: string): Promise<KeyRead>;
  health(): Promise<LeaderHealth>;
  /** The leader's /status, or null when it did not answer. */
  status(): Promise<Record<string, unknown> | null>;
  /** Every follower is `streaming` in the leader's /status (caught up, taking writes as they come). */
  followersStreaming(): Promise<boolean>;
}

/** Time for the runner: the wall clock in a run, a fake one in tests. */
export interface Clock {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

/** Whether a /status body shows every follower streaming; a status without a follower list says nothing against it. */
export function allStreaming(status: Record<string, unknown> | null): boolean {
  if (status === null) return false;
  const followers = status['followers'];
  if (!Array.isArray(followers)) return true;
  return followers.every(
    (f) => typeof f === 'object' && f !== null && (f as Record<string, unknown>)['state'] === 'streaming',
  );
}

/** /health's answer as a LeaderHealth: `status` 'ok' serves; a leader that predates recovery serves when it answers 200. */
export function parseHealth(httpStatus: number, body: unknown): LeaderHealth {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const status = typeof fields['status'] === 'string' ? fields['status'] : undefined;
  const epoch = typeof fields['epoch'] === 'number' ? fields['epoch'] : null;
  if (httpStatus === 0) return { serving: false, status: 'unreachable', epoch: null };
  if (status !== undefined) return { serving: status === 'ok', status, epoch };
  return { serving: httpStatus === 200, status: httpStatus === 200 ? 'ok' : `http ${httpStatus}`, epoch };
}
