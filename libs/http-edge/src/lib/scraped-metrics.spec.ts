import { Registry } from 'prom-client';
import { scrapedCounter, scrapedGauge, scrapedMetrics } from './scraped-metrics';

async function valueOf(registry: Registry, name: string): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values[0]?.value;
}

describe('scraped metrics', () => {
  it('a gauge reads its value at each scrape', async () => {
    const registry = new Registry();
    let now = 3;
    scrapedGauge(registry, 'g', 'a gauge', () => now);
    expect(await valueOf(registry, 'g')).toBe(3);
    now = 1;
    expect(await valueOf(registry, 'g')).toBe(1);
  });

  // Each case: the running totals read at successive scrapes -> what the counter shows after each.
  it.each([
    { totals: [0, 5, 5, 12], shown: [0, 5, 5, 12] },
    // A total that goes down (a node's counters restarted) never takes the counter down.
    { totals: [10, 4, 11], shown: [10, 10, 11] },
  ])('a counter follows a running total $totals', async ({ totals, shown }) => {
    const registry = new Registry();
    let i = 0;
    scrapedCounter(registry, 'c_total', 'a counter', () => totals[i] as number);
    for (i = 0; i < totals.length; i++) expect(await valueOf(registry, 'c_total')).toBe(shown[i]);
  });

  it('a table registers its rows in order, each reading the source at each scrape', async () => {
    const registry = new Registry();
    const node = { applied: 4, received: 9 };
    scrapedMetrics(registry, () => node, [
      { gauge: 'applied', help: 'a gauge', read: (n) => n.applied },
      { counter: 'received_total', help: 'a counter', read: (n) => n.received },
    ]);
    expect((await registry.getMetricsAsJSON()).map((m) => [m.name, m.type])).toEqual([
      ['applied', 'gauge'],
      ['received_total', 'counter'],
    ]);
    node.applied = 2;
    node.received = 11;
    expect(await valueOf(registry, 'applied')).toBe(2);
    expect(await valueOf(registry, 'received_total')).toBe(11);
  });
});
