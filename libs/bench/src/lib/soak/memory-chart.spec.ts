import { MEMORY_CHART, memoryChartSpec, memoryPoints } from './memory-chart';
import { fakeSamples, fakeSoakConfig } from './testing';

describe('memoryPoints', () => {
  it('puts RSS and heap used of every node in long form, leaving out what could not be read', () => {
    const samples = fakeSamples((node, tS) => (node === 'follower2' && tS === 2 ? null : 64), {
      durationS: 2,
      nodes: ['leader', 'follower2'],
    });
    const points = memoryPoints(samples);
    expect(points).toContainEqual({ tS: 0, node: 'leader', measure: 'RSS', value: 64 });
    expect(points).toContainEqual({ tS: 0, node: 'leader', measure: 'heap used', value: 32 });
    expect(points.filter((p) => p.node === 'follower2')).toHaveLength(2); // only at 0 s
    expect(points.some((p) => p.measure === 'log entries')).toBe(false);
  });

  it('adds the leader log size when the leader exports it', () => {
    const points = memoryPoints(fakeSamples(() => 64, { durationS: 0, logEntries: () => 17 }));
    expect(points).toContainEqual({ tS: 0, node: 'leader', measure: 'log entries', value: 17 });
  });
});

describe('memoryChartSpec', () => {
  it('draws RSS and heap panels, plus the log panel only when there is a log size', () => {
    const config = fakeSoakConfig();
    const without = memoryChartSpec(
      config,
      fakeSamples(() => 64),
    ) as { vconcat: unknown[] };
    const withLog = memoryChartSpec(
      config,
      fakeSamples(() => 64, { logEntries: () => 5 }),
    ) as { vconcat: unknown[] };
    expect(without.vconcat).toHaveLength(2);
    expect(withLog.vconcat).toHaveLength(3);
    expect(MEMORY_CHART).toBe('memory_over_time');
  });

  it('gives the leader its own colour and each follower another', () => {
    const spec = JSON.stringify(
      memoryChartSpec(
        fakeSoakConfig(),
        fakeSamples(() => 64),
      ),
    );
    expect(spec).toContain('"domain":["leader","follower1","follower2"]');
    expect(spec).toContain('"range":["#222222","#4c78a8","#f58518"]');
  });

  it('shades the second half of the run', () => {
    const spec = JSON.stringify(
      memoryChartSpec(
        fakeSoakConfig({ durationS: 60 }),
        fakeSamples(() => 64),
      ),
    );
    expect(spec).toContain('{"fromS":30,"toS":60}');
  });
});
