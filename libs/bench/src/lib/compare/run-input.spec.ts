import { CompareError } from './compare-error';
import { parseJsonText, parseRun, type RunFiles } from './run-input';

/** A folder's files as the sweep writes them (JSON: NaN is null). */
function files(overrides: Partial<RunFiles> = {}): RunFiles {
  const summaryRow = (w: number, extra: Record<string, unknown> = {}) => ({
    w,
    count: 20,
    errors: 0,
    mean: 10 * w,
    median: 10 * w,
    p95: 12 * w,
    p99: 13 * w,
    min: 1,
    max: 20 * w,
    modelMean: 9 * w,
    modelP50: 9 * w,
    modelP95: 11 * w,
    modelP99: 12 * w,
    overheadP50: 1,
    overheadP99: 2,
    ...extra,
  });
  return {
    config: {
      runtime: 'process',
      followers: 5,
      quorums: [1, 2],
      writes: 20,
      concurrency: 10,
      keys: 10,
      delay: 'uniform:0:20',
      replicationTimeoutMs: 2000,
      ackMode: 'received',
      seed: 1,
      warmupWrites: 20,
      warmupConcurrency: 50,
      out: 'tmp/a',
    },
    summary: [summaryRow(2), summaryRow(1)],
    ...overrides,
  };
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CompareError);
    return (error as CompareError).message;
  }
  throw new Error('expected a CompareError');
}

describe('parseRun', () => {
  it('reads a folder from before several ack modes per run: rows sorted by W, the ack mode from the config', () => {
    const data = parseRun('A', 'tmp/a', files());
    expect(data.summary.map((r) => r.w)).toEqual([1, 2]);
    expect(data.summary[0]).toMatchObject({ w: 1, mean: 10, ackMode: 'received', runs: 1 });
    expect(data.ackMode).toBe('received');
    expect(data.consistency).toBeNull();
  });

  it('gives settings added later the value older runs implicitly had', () => {
    expect(parseRun('A', 'tmp/a', files()).config).toMatchObject({ repeat: 1, rate: null, downFollowers: [] });
  });

  it('turns null (how JSON carries NaN) and a missing optional column into NaN', () => {
    const summary = [{ w: 1, count: 20, errors: 20, mean: null, median: null, p95: null, p99: null }];
    const [only] = parseRun('A', 'tmp/a', files({ summary })).summary;
    expect(only?.mean).toBeNaN();
    expect(only?.overheadP50).toBeNaN();
  });

  it('keeps one ack mode of a folder that measured several, and drops the list from the config', () => {
    const rows = (files().summary as object[]).flatMap((r) => [
      { ...r, ackMode: 'received', runs: 3 },
      { ...r, ackMode: 'applied', runs: 3, mean: 99 },
    ]);
    const config = { ...(files().config as object), ackModes: ['received', 'applied'] };
    const data = parseRun('B', 'tmp/b', { config, summary: rows }, 'applied');
    expect(data.summary.map((r) => [r.w, r.ackMode, r.mean, r.runs])).toEqual([
      [1, 'applied', 99, 3],
      [2, 'applied', 99, 3],
    ]);
    expect(data.config.ackMode).toBe('applied');
    expect(data.config).not.toHaveProperty('ackModes');
  });

  it('asks which ack mode when a folder measured several and none was named', () => {
    const rows = [
      { ...(files().summary as object[])[0], ackMode: 'received' },
      { ...(files().summary as object[])[0], ackMode: 'applied' },
    ];
    const message = messageOf(() => parseRun('B', 'tmp/b', files({ summary: rows })));
    expect(message).toBe('run B (tmp/b): measured ack modes received and applied; pick one with --ack-mode-b');
  });

  it('says which ack modes a folder has when the one asked for is not there (a usage error)', () => {
    try {
      parseRun('A', 'tmp/a', files(), 'applied');
      throw new Error('expected a CompareError');
    } catch (error) {
      expect((error as CompareError).message).toBe(
        'run A (tmp/a): has no results for ack mode applied (--ack-mode-a); it measured received',
      );
      expect((error as CompareError).exitCode).toBe(2);
    }
  });

  // Each case: a broken file and the one line that names the run, the file and the problem.
  it.each([
    [
      'a missing required setting',
      files({ config: { ...(files().config as object), ackMode: undefined } }),
      /^run A \(tmp\/a\): config\.json is malformed: ackMode: /,
    ],
    [
      'a wrong type in a row',
      files({ summary: [{ ...(files().summary as object[])[0], mean: 'fast' }] }),
      /^run A \(tmp\/a\): summary\.json is malformed: \[0\]\.mean: .*expected number/,
    ],
    ['an empty summary', files({ summary: [] }), /summary\.json is malformed: has no rows$/],
    ['a summary that is not a list', files({ summary: { w: 1 } }), /summary\.json is malformed: .*expected array/],
    [
      'two rows for one W',
      files({ summary: [(files().summary as object[])[0], (files().summary as object[])[0]] }),
      /summary\.json is malformed: two rows for W=2 \(ack mode received\)$/,
    ],
    [
      'a broken consistency.json',
      files({ consistency: [{ w: 1 }] }),
      /consistency\.json is malformed: \[0\]\.follower: .* \(and \d+ more problems\)$/,
    ],
  ])('rejects %s', (_case, input, message) => {
    expect(messageOf(() => parseRun('A', 'tmp/a', input))).toMatch(message);
  });

  it('keeps only the compared ack mode of consistency.json, without followers stopped on purpose', () => {
    const check = (w: number, follower: number, extra: object = {}) => ({
      w,
      follower,
      differingKeysAtLastAck: 1,
      lsnBehindAtLastAck: 2,
      differingKeysAfterDrain: 0,
      lsnBehindAfterDrain: 0,
      ...extra,
    });
    const consistency = [
      check(1, 1),
      check(1, 2, { ackMode: 'applied' }),
      check(1, 3, { down: true, lsnBehindAtLastAck: null }),
    ];
    expect(parseRun('A', 'tmp/a', files({ consistency })).consistency?.map((r) => r.follower)).toEqual([1]);
  });
});

describe('parseJsonText', () => {
  it('parses JSON and names the run and file when it is not JSON', () => {
    expect(parseJsonText('[1]', 'A', 'tmp/a', 'summary.json')).toEqual([1]);
    expect(messageOf(() => parseJsonText('{"w":', 'B', 'tmp/b', 'summary.json'))).toMatch(
      /^run B \(tmp\/b\): summary\.json is not valid JSON \(/,
    );
  });
});
