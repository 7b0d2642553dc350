import { intervalRows, possibleInterval, summaryRow } from './summarize-sweep';
import type { WriteRecord } from './records';

const write = (w: number, run: number, latencyMs: number, overrides: Partial<WriteRecord> = {}): WriteRecord => ({
  w,
  ackMode: 'received',
  run,
  seq: 0,
  key: 'k0',
  lsn: 1,
  startMs: 0,
  latencyMs,
  outcome: 'ok',
  httpStatus: 200,
  error: null,
  acks: w,
  delaysMs: [],
  idealMs: latencyMs - 1,
  overheadMs: 1,
  leaderQuorumMs: null,
  leaderMs: null,
  ...overrides,
});

describe('summaryRow', () => {
  it('pools the runs, counts errors, and keeps latency statistics to the successful writes', () => {
    const writes = [
      write(2, 0, 10),
      write(2, 1, 30),
      write(2, 1, 999, { outcome: 'info', httpStatus: 504, overheadMs: null }),
    ];
    const row = summaryRow(2, writes, undefined, 'received');
    expect(row).toMatchObject({ w: 2, count: 3, errors: 1, mean: 20, min: 10, max: 30, runs: 2, ackMode: 'received' });
    expect(row.modelMean).toBeNaN();
  });
});

describe('intervalRows', () => {
  it('gives one row per ack mode, W and metric, with the mean of the per-run values inside its interval', () => {
    const writes = [0, 1, 2, 3].flatMap((run) => [write(1, run, 10 + run), write(1, run, 20 + run)]);
    const rows = intervalRows(writes);
    expect(rows).toHaveLength(6);
    const mean = rows.find((r) => r.metric === 'mean');
    // Per-run means 15, 16, 17, 18.
    expect(mean).toMatchObject({ ackMode: 'received', w: 1, runs: 4, mean: 16.5 });
    // Student-t with 3 degrees of freedom: 16.5 ± 3.182·1.291/√4.
    expect(mean?.ciLow).toBeCloseTo(16.5 - (3.182 * 1.291) / 2, 3);
    expect(mean?.ciHigh).toBeCloseTo(16.5 + (3.182 * 1.291) / 2, 3);
  });

  it('has no width with a single run', () => {
    const rows = intervalRows([write(3, 0, 10), write(3, 0, 30)]);
    const mean = rows.find((r) => r.metric === 'mean');
    expect(mean).toMatchObject({ runs: 1, mean: 20, ciLow: 20, ciHigh: 20 });
  });
});

describe('possibleInterval', () => {
  it.each([
    {
      why: 'a latency interval reaching below 0 ms starts at 0',
      metric: 'mean',
      low: -6000,
      high: 6200,
      want: { low: 0, high: 6200, clipped: true },
    },
    { why: 'p99 is a latency too', metric: 'p99', low: -1, high: 3, want: { low: 0, high: 3, clipped: true } },
    {
      why: 'an interval entirely below 0 collapses onto 0',
      metric: 'median',
      low: -5,
      high: -1,
      want: { low: 0, high: 0, clipped: true },
    },
    {
      why: 'an interval inside what is possible is kept',
      metric: 'p95',
      low: 2,
      high: 9,
      want: { low: 2, high: 9, clipped: false },
    },
    {
      why: 'an overhead (latency minus the ideal) can be negative, so it is kept',
      metric: 'overheadP50',
      low: -3,
      high: 4,
      want: { low: -3, high: 4, clipped: false },
    },
    {
      why: 'NaN bounds (no successful write) are left as they are',
      metric: 'mean',
      low: NaN,
      high: NaN,
      want: { low: NaN, high: NaN, clipped: false },
    },
  ] as const)('$why', ({ metric, low, high, want }) => {
    expect(possibleInterval(metric, low, high)).toEqual(want);
  });
});

describe('intervalRows clipping', () => {
  it('never gives a latency interval below 0 ms, even with two very different runs', () => {
    // Per-run means 1 and 1000: t(1) = 12.71 sends the raw lower bound far below 0.
    const rows = intervalRows([write(1, 0, 1), write(1, 1, 1000)]);
    const mean = rows.find((r) => r.metric === 'mean');
    expect(mean?.ciLow).toBe(0);
    expect(mean?.ciHigh).toBeGreaterThan(1000);
    for (const row of rows.filter((r) => ['mean', 'median', 'p95', 'p99'].includes(r.metric)))
      expect(row.ciLow).toBeGreaterThanOrEqual(0);
  });
});
