import { progressLine } from './progress-line';
import { fakeSamples } from './testing';
import type { SoakSample } from './soak-records';

describe('progressLine', () => {
  it('shows time, load, p99 so far and the leader memory', () => {
    const sample = fakeSamples(() => 85.2, { durationS: 2 })[1] as SoakSample;
    expect(progressLine(sample)).toBe(
      't=   2.0 s | sent 400 (ok 400, failed 0, dropped 0, in flight 0) | p99 so far 12.5 ms | leader RSS 85.2 MiB, heap 42.6 MiB | lsn 400',
    );
  });

  it('adds the log size when the leader exports it, and names nodes that could not be read', () => {
    const sample = fakeSamples((node) => (node === 'follower2' ? null : 80), {
      durationS: 0,
      logEntries: () => 120,
    })[0] as SoakSample;
    const line = progressLine({ ...sample, load: { ...sample.load, latencyMsP99SoFar: NaN } });
    expect(line).toContain('p99 so far —');
    expect(line).toContain('log 120 entries');
    expect(line).toContain('unreadable: follower2');
  });
});
