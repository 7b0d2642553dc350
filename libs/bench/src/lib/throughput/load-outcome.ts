/**
 * What one load window yields, whatever drove it: answered writes, errors by code, latency in a
 * bounded histogram. Error codes beyond a few dozen distinct ones share `other`, so a storm of
 * odd failures cannot grow the bench's memory.
 */
import { LatencyHistogram, type LatencySummary } from '../common/latency-histogram';

export interface LoadOutcome {
  writesOk: number;
  errors: number;
  errorsByCode: Record<string, number>;
  latency: LatencySummary;
  /** Seconds from the first write sent to the last answer. */
  elapsedS: number;
}

const MAX_ERROR_CODES = 32;

export class LoadTally {
  readonly latency = new LatencyHistogram();
  writesOk = 0;
  errors = 0;
  readonly errorsByCode: Record<string, number> = {};

  ok(latencyMs: number): void {
    this.writesOk++;
    this.latency.record(latencyMs);
  }

  failed(code: string): void {
    this.errors++;
    const known = code in this.errorsByCode || Object.keys(this.errorsByCode).length < MAX_ERROR_CODES;
    const bucket = known ? code : 'other';
    this.errorsByCode[bucket] = (this.errorsByCode[bucket] ?? 0) + 1;
  }

  outcome(elapsedS: number): LoadOutcome {
    return {
      writesOk: this.writesOk,
      errors: this.errors,
      errorsByCode: { ...this.errorsByCode },
      latency: this.latency.summary(),
      elapsedS,
    };
  }
}

/** One write sent by a driver: resolves with null when it succeeded, else with an error code. */
export type SendWrite = (index: number) => Promise<string | null>;
