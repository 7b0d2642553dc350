/**
 * A seeded, concurrent mix of puts and deletes on a few keys, and the replay of its answers
 * into the state the leader must have had after each LSN. With many writes in flight on few
 * keys and a random delay per RPC, replication RPCs overtake each other; the replay tells what
 * a follower that applies strictly in LSN order may show at any moment (a prefix state).
 */
import { createRng, type JsonValue, type AckMode } from '@quorum-kv/replication-protocol';
import type { KvClient, StoreDump } from '@quorum-kv/bench';

export interface PlannedWrite {
  /** 0-based position in the plan. */
  seq: number;
  op: 'put' | 'delete';
  key: string;
  /** For puts: unique per write, so the replay can tell every write apart. */
  value?: JsonValue;
  w: number;
  ackMode: AckMode;
}

export interface DoneWrite extends PlannedWrite {
  httpStatus: number;
  body: Record<string, unknown>;
  /** The LSN the leader gave it, when it answered with one. */
  lsn: number | null;
}

export interface PlanOptions {
  writes: number;
  keys: number;
  seed: number;
  /** Quorums to draw from, uniformly. */
  quorums: number[];
  /** Ack modes to draw from, uniformly; `received` alone by default. */
  ackModes?: AckMode[];
  /** Share of deletes among the writes, 0..1; none by default. */
  deleteShare?: number;
  /** Prefix of the values and keys, so several plans in one cluster stay apart. */
  label: string;
}

export function planWrites(options: PlanOptions): PlannedWrite[] {
  const { ackModes = ['received'], deleteShare = 0 } = options;
  const rng = createRng(options.seed, 7);
  const pick = <T>(list: T[]): T => list[Math.floor(rng.next() * list.length)] as T;
  return Array.from({ length: options.writes }, (_, seq) => {
    const key = `${options.label}-k${Math.floor(rng.next() * options.keys)}`;
    const op = rng.next() < deleteShare ? 'delete' : 'put';
    const write: PlannedWrite = { seq, op, key, w: pick(options.quorums), ackMode: pick(ackModes) };
    if (op === 'put') write.value = { label: options.label, seq };
    return write;
  });
}

/** Runs the plan with at most `concurrency` writes in flight; answers come back in plan order. */
export async function runWrites(leader: KvClient, plan: PlannedWrite[], concurrency: number): Promise<DoneWrite[]> {
  const done: DoneWrite[] = new Array(plan.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.length) {
      const write = plan[next++] as PlannedWrite;
      const query = { w: write.w, ack: write.ackMode };
      const answer =
        write.op === 'put' ? await leader.put(write.key, write.value, query) : await leader.delete(write.key, query);
      const lsn = typeof answer.body['lsn'] === 'number' ? answer.body['lsn'] : null;
      done[write.seq] = { ...write, httpStatus: answer.httpStatus, body: answer.body, lsn };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.length) }, worker));
  return done;
}

/**
 * The leader's state after each LSN: `states[n]` is the map after LSNs 1..n (`states[0]` is
 * `base`, the state before the first of these writes). Every LSN from `firstLsn` on must
 * belong to exactly one write, else it throws (the leader gave an LSN twice or skipped one).
 */
export function replayStates(writes: DoneWrite[], base: StoreDump): Array<Record<string, JsonValue>> {
  const byLsn = new Map<number, DoneWrite>();
  for (const write of writes) {
    if (write.lsn === null) throw new Error(`write ${write.seq} has no LSN: ${JSON.stringify(write.body)}`);
    if (byLsn.has(write.lsn))
      throw new Error(`LSN ${write.lsn} given to writes ${byLsn.get(write.lsn)?.seq} and ${write.seq}`);
    byLsn.set(write.lsn, write);
  }
  const states: Array<Record<string, JsonValue>> = [];
  let state = { ...(base.store as Record<string, JsonValue>) };
  states[base.lsn] = state;
  for (let lsn = base.lsn + 1; lsn <= base.lsn + writes.length; lsn++) {
    const write = byLsn.get(lsn);
    if (!write) throw new Error(`no write got LSN ${lsn} (LSNs ${base.lsn + 1}..${base.lsn + writes.length} expected)`);
    state = { ...state };
    if (write.op === 'put') state[write.key] = write.value as JsonValue;
    else delete state[write.key];
    states[lsn] = state;
  }
  return states;
}
