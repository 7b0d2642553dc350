/**
 * Sends a soak's writes on its open-loop schedule: every write leaves when it is due (or as soon
 * after as the event loop allows), whether or not earlier writes have been answered, and is timed
 * from its due time to its answer, so queueing anywhere (the bench's timers, its sockets, the
 * leader) shows up as latency. At most `maxOutstanding` writes wait at once: a write due beyond
 * that is dropped and counted, which keeps the bench's own memory bounded when the cluster stalls.
 */
import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from '../common/latency-recorder';
import { createRng, type AckMode } from '@quorum-kv/replication-protocol';
import type { KvClient } from '../cluster/kv-client';
import { outcomeOf } from '../sweep/workload';
import { OpenLoopSchedule } from './open-loop-schedule';
import type { LoadSample, LoadTotals } from './soak-records';

export interface OpenLoopOptions {
  ratePerS: number;
  durationS: number;
  w: number;
  ackMode: AckMode;
  keys: number;
  valueBytes: number;
  maxOutstanding: number;
  seed: number;
}

/** Error codes beyond this many distinct ones are counted under `other`, so the map stays small. */
const MAX_ERROR_CODES = 32;

/** A JSON string value of exactly `valueBytes` characters that names its write. */
export function soakValue(index: number, valueBytes: number): string {
  return `${index}:`.padEnd(valueBytes, 'x').slice(0, valueBytes);
}

export class OpenLoopWriter {
  private readonly schedule: OpenLoopSchedule;
  private readonly latency = new LatencyRecorder();
  private readonly keyRng;
  private sent = 0;
  private ok = 0;
  private failed = 0;
  private dropped = 0;
  private outstanding = 0;
  private readonly errorsByCode: Record<string, number> = {};
  private sendSeconds = 0;
  private startMs = NaN;
  private onIdle: (() => void) | null = null;

  constructor(
    private readonly client: KvClient,
    private readonly options: OpenLoopOptions,
  ) {
    this.schedule = new OpenLoopSchedule(options.ratePerS, options.durationS);
    this.keyRng = createRng(options.seed, 5000 + options.w);
  }

  /** Sends every write on schedule starting at `startMs` (performance.now()), then waits for every answer. */
  async run(startMs: number): Promise<LoadTotals> {
    this.startMs = startMs;
    for (;;) {
      const { first, count } = this.schedule.takeDue(performance.now() - startMs);
      for (let index = first; index < first + count; index++) this.send(index);
      const waitMs = this.schedule.msUntilNext(performance.now() - startMs);
      if (waitMs === null) break;
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    this.sendSeconds = (performance.now() - startMs) / 1000;
    if (this.outstanding > 0) await new Promise<void>((resolve) => (this.onIdle = resolve));
    return this.totals();
  }

  /** The counters right now (for a sample's progress line). */
  snapshot(): LoadSample {
    return {
      writesSent: this.sent,
      writesOk: this.ok,
      writesFailed: this.failed,
      writesDropped: this.dropped,
      outstanding: this.outstanding,
      latencyMsP99SoFar: this.latency.quantileMs(0.99),
    };
  }

  totals(): LoadTotals {
    return {
      writesPlanned: this.schedule.totalWrites,
      writesSent: this.sent,
      writesOk: this.ok,
      writesFailed: this.failed,
      writesDropped: this.dropped,
      errorsByCode: { ...this.errorsByCode },
      latency: this.latency.summary(),
      sendSeconds: this.sendSeconds,
    };
  }

  private send(index: number): void {
    // Keys come from the seeded generator in schedule order, dropped writes included, so a
    // write's key never depends on how fast the cluster answered.
    const key = `k${Math.floor(this.keyRng.next() * this.options.keys)}`;
    if (this.outstanding >= this.options.maxOutstanding) {
      this.dropped++;
      return;
    }
    const dueMs = this.startMs + this.schedule.dueAtMs(index);
    this.outstanding++;
    this.sent++;
    void this.client
      .put(key, soakValue(index, this.options.valueBytes), { w: this.options.w, ack: this.options.ackMode })
      .then(({ httpStatus, body }) => {
        const latencyMs = performance.now() - dueMs;
        if (outcomeOf(httpStatus, body) === 'ok') {
          this.ok++;
          this.latency.record(latencyMs);
        } else {
          this.failed++;
          this.countError(httpStatus === 0 ? 'no_answer' : String(body['error'] ?? `http_${httpStatus}`));
        }
        this.outstanding--;
        if (this.outstanding === 0) this.onIdle?.();
      });
  }

  private countError(code: string): void {
    const known = code in this.errorsByCode || Object.keys(this.errorsByCode).length < MAX_ERROR_CODES;
    const bucket = known ? code : 'other';
    this.errorsByCode[bucket] = (this.errorsByCode[bucket] ?? 0) + 1;
  }
}
