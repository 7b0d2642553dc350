/**
 * The markdown a person reads first: per W, this store's writes/s, latency, errors and CPU per
 * write, as ratios to the floor (a bare node:http server, same client, same run) and to Redis
 * (SET + WAIT W). Pure.
 */
import { fmtDecimal, fmtMs, fmtRatio, markdownTable } from '../common/format';
import type { ThroughputResult, ThroughputRow, ThroughputSystem } from './throughput-records';

export interface RatioRow {
  w: number;
  store: ThroughputRow;
  redis: ThroughputRow | null;
  relay: ThroughputRow | null;
  /** Store writes/s over the floor's. */
  toFloor: number;
  /** Store writes/s over the relay floor's at the same W; NaN without it. */
  toRelay: number;
  /** Store writes/s over Redis' at the same W; NaN without Redis. */
  toRedis: number;
}

export function rowsOf(rows: readonly ThroughputRow[], system: ThroughputSystem): ThroughputRow[] {
  return rows.filter((r) => r.system === system);
}

export function ratioRows(rows: readonly ThroughputRow[]): RatioRow[] {
  const floor = rowsOf(rows, 'floor')[0];
  const redisAt = new Map(rowsOf(rows, 'redis').map((r) => [r.w, r]));
  const relayAt = new Map(rowsOf(rows, 'relay-floor').map((r) => [r.w, r]));
  return rowsOf(rows, 'quorum-kv').map((store) => {
    const redis = redisAt.get(store.w) ?? null;
    const relay = relayAt.get(store.w) ?? null;
    return {
      w: store.w as number,
      store,
      redis,
      relay,
      toRelay: relay ? store.writesPerS / relay.writesPerS : NaN,
      toFloor: floor ? store.writesPerS / floor.writesPerS : NaN,
      toRedis: redis ? store.writesPerS / redis.writesPerS : NaN,
    };
  });
}

const rate = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : '—');
const cpu = (v: number | null) => fmtDecimal(v, 3);

function loadLine({ config }: ThroughputResult): string {
  const load =
    config.ratePerS === null
      ? `closed loop, ${config.connections} connections`
      : `open loop at ${config.ratePerS} writes/s (latency from each write's due time), up to ${config.connections} connections`;
  return `${load}, ${config.durationS} s per W, ${config.followers} followers, delay ${config.delay}, ack ${config.ackMode}, ${config.keys} keys, ${config.valueBytes}-character values`;
}

export function throughputMarkdown(result: ThroughputResult): string {
  const floor = rowsOf(result.rows, 'floor')[0];
  const lines = [`# Throughput`, '', loadLine(result), ''];
  if (result.redisSkipped) lines.push(`Redis not measured: ${result.redisSkipped}.`, '');
  const header = [
    'W',
    'writes/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'CPU ms/write',
    'leader CPU ms/write',
    '÷ floor',
    'relay writes/s',
    'relay p50 ms',
    'relay CPU ms/write',
    '÷ relay',
  ];
  if (!result.redisSkipped)
    header.push('Redis writes/s', 'Redis p50 ms', 'Redis p99 ms', 'Redis CPU ms/write', '÷ Redis');
  const body = ratioRows(result.rows).map(({ w, store, redis, relay, toFloor, toRedis, toRelay }) => {
    const cells = [
      String(w),
      rate(store.writesPerS),
      fmtMs(store.latency.p50Ms),
      fmtMs(store.latency.p99Ms),
      String(store.errors),
      cpu(store.cpuMsPerWrite),
      cpu(store.cpuMsPerWriteByProcess['leader'] ?? null),
      fmtRatio(toFloor),
      rate(relay?.writesPerS ?? NaN),
      fmtMs(relay?.latency.p50Ms ?? NaN),
      cpu(relay?.cpuMsPerWrite ?? null),
      fmtRatio(toRelay),
    ];
    if (!result.redisSkipped)
      cells.push(
        rate(redis?.writesPerS ?? NaN),
        fmtMs(redis?.latency.p50Ms ?? NaN),
        fmtMs(redis?.latency.p99Ms ?? NaN),
        cpu(redis?.cpuMsPerWrite ?? null),
        fmtRatio(toRedis),
      );
    return cells;
  });
  lines.push(markdownTable(header, body), '');
  if (floor)
    lines.push(
      `Floor (a bare node:http server answering the same PUTs): ${rate(floor.writesPerS)} writes/s, p50 ${fmtMs(floor.latency.p50Ms)} ms, p99 ${fmtMs(floor.latency.p99Ms)} ms, ${floor.errors} errors, CPU ${cpu(floor.cpuMsPerWrite)} ms/write.`,
      '',
    );
  lines.push(
    "The relay floor is bare node:http processes in the store's topology (a leader that answers once W followers answered its POST): what the topology itself costs on this machine.",
    '',
    'CPU per write is the CPU time of every process of the system (leader and followers; primary and replicas) over the window, divided by the writes answered. The load generator runs on the same cores: its own CPU per write is in throughput.json (`clientCpuMsPerWrite`).',
    '',
  );
  return lines.join('\n');
}
