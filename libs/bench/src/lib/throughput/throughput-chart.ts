/**
 * The throughput chart: writes/s against W for this store and for Redis (SET + WAIT W), the
 * floor as a horizontal rule, on a log scale (the three differ by orders of magnitude). Pure.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartBase } from '../common/chart-theme';
import type { ThroughputRow } from './throughput-records';

export const THROUGHPUT_CHART = 'throughput_vs_w';

const SYSTEM_LABELS = {
  'quorum-kv': 'quorum-kv (leader + followers)',
  'stream-relay': 'bare node:http stream relay, same topology',
  redis: 'Redis, SET + WAIT W',
  floor: 'floor',
};

export function throughputSpec(rows: readonly ThroughputRow[]): TopLevelSpec {
  const bars = rows
    .filter((r) => r.w !== null && r.writesPerS > 0) // a log scale has no place for 0
    .map((r) => ({
      system:
        r.storage && r.storage !== 'memory'
          ? `${SYSTEM_LABELS[r.system]}, FSYNC=${r.storage}`
          : SYSTEM_LABELS[r.system],
      w: r.w,
      writesPerS: Math.round(r.writesPerS),
      p50Ms: r.latency.p50Ms,
      p99Ms: r.latency.p99Ms,
    }));
  const floor = rows.find((r) => r.system === 'floor');
  const y = {
    field: 'writesPerS',
    type: 'quantitative',
    title: 'writes/s (log scale)',
    scale: { type: 'log' },
  } as const;
  return {
    ...chartBase(),
    title: { text: 'Writes per second by write quorum', subtitle: 'zero injected delay; the rule is the bare floor' },
    width: 480,
    height: 300,
    layer: [
      {
        data: { values: bars },
        mark: { type: 'line', point: { size: 60 } },
        encoding: {
          x: { field: 'w', type: 'ordinal', title: 'write quorum W', axis: { labelAngle: 0 } },
          y,
          color: { field: 'system', type: 'nominal', title: null, legend: { orient: 'bottom' } },
          tooltip: [
            { field: 'system' },
            { field: 'w', title: 'W' },
            { field: 'writesPerS', title: 'writes/s' },
            { field: 'p50Ms', title: 'p50 ms', format: '.2f' },
            { field: 'p99Ms', title: 'p99 ms', format: '.2f' },
          ],
        },
      },
      ...(floor
        ? [
            {
              data: {
                values: [
                  { writesPerS: Math.round(floor.writesPerS), label: `floor ${Math.round(floor.writesPerS)}/s` },
                ],
              },
              layer: [
                { mark: { type: 'rule', strokeDash: [6, 4], color: '#555' }, encoding: { y } },
                {
                  mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#555' },
                  encoding: { y, x: { value: 0 }, text: { field: 'label' } },
                },
              ],
            },
          ]
        : []),
    ],
  } as TopLevelSpec;
}
