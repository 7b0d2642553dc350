/**
 * The markdown a person reads first: per W, this store's writes/s, latency, errors and CPU per
 * write, as ratios to the floor (a bare node:http server, same client, same run) and to Redis
 * (SET + WAIT W). Pure.
 */
import { fmtDecimal, fmtMs, fmtRatio, markdownTable } from '../common/format';
import type { StorageMode, ThroughputResult, ThroughputRow, ThroughputSystem } from './throughput-records';

export interface RatioRow {
  w: number;
  store: ThroughputRow;
  redis: ThroughputRow | null;
  relay: ThroughputRow | null;
  /** Store writes/s over the floor's. */
  toFloor: number;
  /** Store writes/s over the stream relay's at the same W; NaN without it. */
  toRelay: number;
  /** Store writes/s over Redis' at the same W; NaN without Redis. */
  toRedis: number;
}

export function rowsOf(rows: readonly ThroughputRow[], system: ThroughputSystem): ThroughputRow[] {
  return rows.filter((r) => r.system === system);
}

/** The store's rows under one storage mode (rows older than the flag were in memory). */
export function storeRows(rows: readonly ThroughputRow[], storage: StorageMode): ThroughputRow[] {
  return rowsOf(rows, 'quorum-kv').filter((r) => (r.storage ?? 'memory') === storage);
}

export function ratioRows(rows: readonly ThroughputRow[], storage: StorageMode = 'memory'): RatioRow[] {
  const floor = rowsOf(rows, 'floor')[0];
  const redisAt = new Map(rowsOf(rows, 'redis').map((r) => [r.w, r]));
  const relayAt = new Map(rowsOf(rows, 'stream-relay').map((r) => [r.w, r]));
  return storeRows(rows, storage).map((store) => {
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
  return (
    `${load}, ${config.durationS} s per W, ${config.followers} followers, delay ${config.delay}, ` +
    `ack ${config.ackMode}, ${config.keys} keys, ${config.valueBytes}-character values`
  );
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
  const primary = result.config.storage?.[0] ?? 'memory';
  if (primary !== 'memory') lines.push(`The store below ran on a DATA_DIR per node, FSYNC=${primary}.`, '');
  const body = ratioRows(result.rows, primary).map(({ w, store, redis, relay, toFloor, toRedis, toRelay }) => {
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
      `Floor (a bare node:http server answering the same PUTs): ` +
        `${rate(floor.writesPerS)} writes/s, p50 ${fmtMs(floor.latency.p50Ms)} ms, ` +
        `p99 ${fmtMs(floor.latency.p99Ms)} ms, ${floor.errors} errors, CPU ${cpu(floor.cpuMsPerWrite)} ms/write.`,
      '',
    );
  lines.push(...storageLines(result));
  lines.push(
    "The stream relay is bare node:http processes in the store's topology and replication design: one " +
      'long-lived chunked POST per follower, the entries of one event-loop turn in one JSON line, cumulative ' +
      'acks, a PUT answered once W followers acked it; no framework, no validation, no window, no timeout. ' +
      "What the store's design costs at least in Node on this machine.",
    '',
    'CPU per write is the CPU time of every process of the system ' +
      '(leader and followers; primary and replicas) over the window, ' +
      'divided by the writes answered. The load generator runs on the same cores: ' +
      'its own CPU per write is in throughput.json (`clientCpuMsPerWrite`).',
    '',
  );
  return lines.join('\n');
}

/**
 * The store under every storage mode measured, side by side per W: writes/s, latency, CPU per
 * write, the ratio to the store in memory (when measured), and the group commit of each on-disk
 * run. Nothing when only one mode ran in memory.
 */
export function storageLines(result: ThroughputResult): string[] {
  const modes = result.config.storage ?? ['memory'];
  if (modes.length === 1 && modes[0] === 'memory') return [];
  const memoryAt = new Map(storeRows(result.rows, 'memory').map((r) => [r.w, r]));
  const body = modes.flatMap((storage) =>
    storeRows(result.rows, storage).map((r) => {
      const memory = memoryAt.get(r.w);
      return [
        storage === 'memory' ? 'memory' : `FSYNC=${storage}`,
        String(r.w),
        rate(r.writesPerS),
        fmtMs(r.latency.p50Ms),
        fmtMs(r.latency.p99Ms),
        String(r.errors),
        cpu(r.cpuMsPerWrite),
        fmtRatio(memory ? r.writesPerS / memory.writesPerS : NaN),
      ];
    }),
  );
  const lines = [
    '## On disk: the store per storage mode',
    '',
    'The same load on the store in memory and on a fresh DATA_DIR per node under each FSYNC mode, one after the other in this run.',
    '',
    markdownTable(['storage', 'W', 'writes/s', 'p50 ms', 'p99 ms', 'errors', 'CPU ms/write', '÷ memory'], body),
    '',
  ];
  const groupCommit = result.groupCommit ?? [];
  if (groupCommit.length > 0) {
    lines.push(
      'Group commit over each on-disk run (warm-up included): records one fsync covered, on average.',
      '',
      markdownTable(
        ['storage', 'leader records/fsync', 'leader fsyncs', 'follower records/fsync'],
        groupCommit.map((g) => [
          `FSYNC=${g.storage}`,
          fmtDecimal(g.leaderRecordsPerFsync, 1),
          g.leaderFsyncs === null ? '—' : String(g.leaderFsyncs),
          fmtDecimal(g.followerRecordsPerFsync, 1),
        ]),
      ),
      '',
    );
  }
  return lines;
}
