/**
 * Metrics read from the node when Prometheus scrapes, not updated on the hot path: a gauge set
 * to what `read` gives, and a counter fed from a running total `read` gives (a counter only goes
 * up, so each scrape adds what is new). A node declares its metrics as one table of these.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export function scrapedGauge(registry: Registry, name: string, help: string, read: () => number): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

export function scrapedCounter(registry: Registry, name: string, help: string, readTotal: () => number): Counter {
  let countedSoFar = 0;
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const total = readTotal();
      if (total > countedSoFar) this.inc(total - countedSoFar);
      countedSoFar = Math.max(countedSoFar, total);
    },
  });
}

/** One row of a metrics table: a gauge or a counter, its help, and how to read it from the source. */
export type ScrapedMetric<S> = ({ gauge: string } | { counter: string }) & {
  help: string;
  read: (source: S) => number;
};

/** Registers every row of `table`, each reading `source()` when scraped, in the table's order. */
export function scrapedMetrics<S>(registry: Registry, source: () => S, table: ReadonlyArray<ScrapedMetric<S>>): void {
  for (const row of table) {
    const read = () => row.read(source());
    if ('gauge' in row) scrapedGauge(registry, row.gauge, row.help, read);
    else scrapedCounter(registry, row.counter, row.help, read);
  }
}
