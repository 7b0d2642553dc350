/**
 * Just enough of the Prometheus text exposition format to read a node's gauges: one sample per
 * line, `name{label="value",...} number [timestamp]`, comments and blank lines skipped, label
 * values with escaped quotes understood. prom-client writes metrics but has no parser. Pure.
 * The soak, the throughput and memory benchmarks and the cluster tests read /metrics with it.
 */

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** What a soak reads from one node's /metrics: memory, and the leader's log size when it exports one. */
export interface NodeGauges {
  rssBytes: number | null;
  heapUsedBytes: number | null;
  /** `quorumkv_log_entries`: entries the leader's log holds now; null when not exported. */
  logEntries: number | null;
}

export const RSS_METRIC = 'process_resident_memory_bytes';
export const HEAP_USED_METRIC = 'nodejs_heap_size_used_bytes';
export const LOG_ENTRIES_METRIC = 'quorumkv_log_entries';

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?[0-9]+)?\s*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/y;

export function parsePrometheusText(text: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) continue; // a line this tiny parser does not understand is skipped, not fatal
    const labels = parseLabels(match[2] ?? '');
    const value = parseValue(match[3] as string);
    if (labels === null || value === null) continue;
    samples.push({ name: match[1] as string, labels, value });
  }
  return samples;
}

/** The value of the first sample named `name` (gauges of one process have one), or null. */
export function firstValue(samples: readonly PromSample[], name: string): number | null {
  return samples.find((s) => s.name === name)?.value ?? null;
}

/**
 * The sum of the samples named `name` in a /metrics page whose labels include every one of
 * `labels` (a counter or gauge over its label sets); 0 when there is none.
 */
export function metricSum(metricsText: string, name: string, labels: Record<string, string> = {}): number {
  return parsePrometheusText(metricsText)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

export function nodeGauges(metricsText: string): NodeGauges {
  const samples = parsePrometheusText(metricsText);
  return {
    rssBytes: firstValue(samples, RSS_METRIC),
    heapUsedBytes: firstValue(samples, HEAP_USED_METRIC),
    logEntries: firstValue(samples, LOG_ENTRIES_METRIC),
  };
}

function parseLabels(text: string): Record<string, string> | null {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const match = LABEL.exec(text);
    if (!match) return text.slice(start).trim() === '' ? labels : null;
    labels[match[1] as string] = (match[2] as string).replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function parseValue(text: string): number | null {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  return text !== '' && !Number.isNaN(value) ? value : null;
}
