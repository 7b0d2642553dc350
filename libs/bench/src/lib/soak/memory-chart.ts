/**
 * The soak's chart, `memory_over_time`: RSS of every node over time, one line per node (top), heap
 * used the same way (middle), and the leader's log size when the leader exports it (bottom). The
 * second half of the run, where the slope is fitted, is shaded; a dotted rule marks the end of
 * the warm-up. Pure: builds the spec only.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartBase } from '../common/chart-theme';
import type { SoakConfig, SoakSample } from './soak-records';
import { nodeNames, secondHalfStartS } from './soak-summary';

export const MEMORY_CHART = 'memory_over_time';

export interface MemoryPoint {
  tS: number;
  node: string;
  measure: 'RSS' | 'heap used' | 'log entries';
  value: number;
}

const LEADER_COLOUR = '#222222';
const FOLLOWER_COLOURS = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#e45756',
  '#72b7b2',
  '#b279a2',
  '#eeca3b',
  '#9d755d',
  '#ff9da6',
  '#bab0ac',
];

/** The samples in long form; values that could not be read are left out (the line has a gap). */
export function memoryPoints(samples: readonly SoakSample[]): MemoryPoint[] {
  const points: MemoryPoint[] = [];
  for (const sample of samples) {
    for (const n of sample.nodes) {
      if (n.rssMiB !== null) points.push({ tS: sample.tS, node: n.node, measure: 'RSS', value: n.rssMiB });
      if (n.heapUsedMiB !== null)
        points.push({ tS: sample.tS, node: n.node, measure: 'heap used', value: n.heapUsedMiB });
    }
    if (sample.leader.logEntries !== null)
      points.push({ tS: sample.tS, node: 'leader', measure: 'log entries', value: sample.leader.logEntries });
  }
  return points;
}

export function memoryChartSpec(config: SoakConfig, samples: readonly SoakSample[]): TopLevelSpec {
  const names = nodeNames(samples);
  const colour = {
    field: 'node',
    type: 'nominal',
    title: 'Node',
    scale: {
      domain: names,
      range: names.map((name, i) =>
        name === 'leader' ? LEADER_COLOUR : FOLLOWER_COLOURS[(i - 1) % FOLLOWER_COLOURS.length],
      ),
    },
    legend: { orient: 'right' },
  } as const;
  const points = memoryPoints(samples);
  const x = {
    field: 'tS',
    type: 'quantitative',
    title: 'Time since the load started (s)',
    scale: { domain: [0, config.durationS], nice: false },
  } as const;
  const guides = [
    {
      data: { values: [{ fromS: secondHalfStartS(config.durationS), toS: config.durationS }] },
      mark: { type: 'rect', color: '#999999', opacity: 0.12 },
      encoding: { x: { field: 'fromS', type: 'quantitative' }, x2: { field: 'toS' } },
    },
    {
      data: { values: [{ tS: config.warmupS }] },
      mark: { type: 'rule', color: '#777777', strokeDash: [2, 3] },
      encoding: { x: { field: 'tS', type: 'quantitative' } },
    },
  ];
  const panel = (measure: MemoryPoint['measure'], yTitle: string, height: number) => ({
    width: 640,
    height,
    layer: [
      ...guides,
      {
        transform: [{ filter: { field: 'measure', equal: measure } }],
        mark: { type: 'line', strokeWidth: 2, point: { size: 18 } },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
          color: colour,
          tooltip: [
            { field: 'node', type: 'nominal', title: 'Node' },
            { field: 'tS', type: 'quantitative', title: 'Time (s)', format: '.1f' },
            { field: 'value', type: 'quantitative', title: yTitle, format: '.1f' },
          ],
        },
      },
    ],
  });
  const hasLog = points.some((p) => p.measure === 'log entries');
  return {
    ...chartBase(),
    title: {
      text: 'Memory per node under a steady write load',
      subtitle: [
        `${config.ratePerS} writes/s open loop for ${config.durationS} s, ` +
          `W=${config.w} of ${config.followers} followers, ` +
          `${config.keys} keys, ${config.valueBytes}-character values, delay ${config.delay}.`,
        `Shaded: the second half, where each node's slope is fitted. Dotted: end of the ${config.warmupS} s warm-up.`,
      ],
    },
    data: { values: points },
    vconcat: [
      panel('RSS', 'RSS (MiB)', 300),
      panel('heap used', 'Heap used (MiB)', 200),
      ...(hasLog ? [panel('log entries', 'Leader log (entries held)', 140)] : []),
    ],
  } as TopLevelSpec;
}
