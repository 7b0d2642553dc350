import { throughputSpec } from './throughput-chart';
import { row } from './testing';

type Layer = { data?: { values: Array<Record<string, unknown>> } };

describe('throughputSpec', () => {
  const rows = [
    row({ system: 'floor', w: null, writesPerS: 8000.4 }),
    row({ system: 'quorum-kv', w: 1, writesPerS: 500 }),
    row({ system: 'quorum-kv', w: 2, writesPerS: 0 }),
    row({ system: 'redis', w: 1, writesPerS: 20000 }),
  ];
  const spec = throughputSpec(rows) as unknown as { layer: Layer[] };

  it('plots one point per system and W, leaving out zero rates a log scale cannot show', () => {
    const points = spec.layer[0]?.data?.values ?? [];
    expect(points.map((p) => [p['system'], p['w']])).toEqual([
      ['quorum-kv (leader + followers)', 1],
      ['Redis, SET + WAIT W', 1],
    ]);
  });
  it('draws the floor as one rule at its rate, not as a point at some W', () => {
    expect(spec.layer[1]?.data?.values).toEqual([{ writesPerS: 8000, label: 'floor 8000/s' }]);
  });
  it('has no floor layer when the floor was not measured', () => {
    const noFloor = throughputSpec(rows.slice(1)) as unknown as { layer: Layer[] };
    expect(noFloor.layer).toHaveLength(1);
  });
});
