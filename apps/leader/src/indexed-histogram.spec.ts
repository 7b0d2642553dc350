import { Histogram, Registry } from 'prom-client';
import { IndexedHistogram } from './indexed-histogram';

const BOUNDS = [0.001, 0.01, 0.1];
const LABELS = [{ follower: 'a' }, { follower: 'b' }];

/** The exposition text of one metric, as /metrics shows it. */
async function text(registry: Registry, name: string): Promise<string> {
  return registry.getSingleMetricAsString(name);
}

describe('IndexedHistogram', () => {
  it("writes exactly the text prom-client's Histogram writes for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    for (const r of [ours, theirs]) r.setDefaultLabels({ role: 'leader' });
    const indexed = new IndexedHistogram('h_seconds', 'help', BOUNDS, LABELS).register(ours);
    const reference = new Histogram({
      name: 'h_seconds',
      help: 'help',
      labelNames: ['follower'],
      buckets: BOUNDS,
      registers: [theirs],
    });
    const observations: Array<[number, number]> = [
      [0, 0.0005],
      [0, 0.001], // on a bound: counted in that bucket (le is "less or equal")
      [0, 0.05],
      [1, 0.5], // above every bound: only in +Inf
    ];
    for (const [i, v] of observations) {
      indexed.observe(i, v);
      reference.observe(LABELS[i] as { follower: string }, v);
    }
    expect(await text(ours, 'h_seconds')).toBe(await text(theirs, 'h_seconds'));
  });

  it('prints label sets never observed at zero, unlike prom-client (rate() and absent() need them)', async () => {
    const registry = new Registry();
    const h = new IndexedHistogram('h_seconds', 'help', BOUNDS, LABELS).register(registry);
    h.observe(1, 0.002);
    const out = await text(registry, 'h_seconds');
    expect(out).toContain('h_seconds_count{follower="b"} 1');
    expect(out).toContain('h_seconds_count{follower="a"} 0');
  });

  it.each([
    { name: 'an index beyond the label sets', index: 2, value: 0.1 },
    { name: 'a negative index', index: -1, value: 0.1 },
    { name: 'a value that is not a finite number', index: 0, value: NaN },
  ])('ignores $name rather than corrupting another set', ({ index, value }) => {
    const h = new IndexedHistogram('h_seconds', 'help', BOUNDS, LABELS);
    h.observe(index, value);
    expect([h.countOf(0).count, h.countOf(1).count]).toEqual([0, 0]);
  });

  it('starts from zero again after a reset of the registry', async () => {
    const registry = new Registry();
    const h = new IndexedHistogram('h_seconds', 'help', BOUNDS, LABELS).register(registry);
    h.observe(0, 0.002);
    registry.resetMetrics();
    expect(h.countOf(0)).toEqual({ count: 0, sum: 0 });
  });
});
