/**
 * Metrics read from the node when Prometheus scrapes, not updated on the hot path: a gauge set
 * to what `read` gives, and a counter fed from a running total `read` gives (a counter only goes
 * up, so each scrape adds what is new).
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
