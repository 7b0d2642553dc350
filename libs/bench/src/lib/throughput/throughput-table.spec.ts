import { ratioRows, storageLines, throughputMarkdown } from './throughput-table';
import { result, row } from './testing';

const floor = row({ system: 'floor', w: null, writesPerS: 8000 });
const store = [
  row({ system: 'quorum-kv', w: 1, writesPerS: 800, cpuMsPerWriteByProcess: { leader: 0.4, follower1: 0.12 } }),
  row({ system: 'quorum-kv', w: 3, writesPerS: 400 }),
];
const relay = [row({ system: 'stream-relay', w: 1, writesPerS: 1600, cpuMsPerWrite: 0.5 })];
const redis = [row({ system: 'redis', w: 1, writesPerS: 20000 }), row({ system: 'redis', w: 3, writesPerS: 16000 })];

describe('ratioRows', () => {
  it("divides the store's writes/s by the floor's and by Redis' at the same W", () => {
    const ratios = ratioRows([floor, ...store, ...redis]);
    expect(ratios.map(({ w, toFloor, toRedis }) => ({ w, toFloor, toRedis }))).toEqual([
      { w: 1, toFloor: 0.1, toRedis: 0.04 },
      { w: 3, toFloor: 0.05, toRedis: 0.025 },
    ]);
  });
  it('leaves the Redis ratio unknown (NaN) at a W Redis was not measured at', () => {
    const [w1, w3] = ratioRows([floor, ...store, redis[0] as never]);
    expect(w1?.toRedis).toBe(0.04);
    expect(w3?.toRedis).toBeNaN();
    expect(w3?.redis).toBeNull();
  });
  it('divides by the stream relay at the same W, unknown where it was not measured', () => {
    const [w1, w3] = ratioRows([floor, ...relay, ...store]);
    expect([w1?.toRelay, w3?.toRelay]).toEqual([0.5, NaN]);
  });
  it('leaves the floor ratio unknown without a floor row', () => {
    expect(ratioRows(store)[0]?.toFloor).toBeNaN();
  });
});

describe('throughputMarkdown', () => {
  it('has one table row per W with the ratios, and a line for the floor', () => {
    const md = throughputMarkdown(result([floor, ...relay, ...store, ...redis]));
    expect(md).toContain(
      '| 1 | 800 | 9.0 | 30.0 | 0 | 1.000 | 0.400 | ×0.10 | 1600 | 9.0 | 0.500 | ×0.50 | 20000 | 9.0 | 30.0 | 1.000 | ×0.04 |',
    );
    expect(md).toContain('| 3 | 400 | 9.0 | 30.0 | 0 | 1.000 | — | ×0.05 | — | — | — | — |');
    expect(md).toContain('| 3 | 400 |');
    expect(md).toMatch(/Floor \(a bare node:http server.*\): 8000 writes\/s/);
    expect(md).toContain('closed loop, 50 connections, 10 s per W');
  });
  it('says in one line why Redis is missing, and drops its columns', () => {
    const md = throughputMarkdown(result([floor, ...store], 'redis-server is not on PATH'));
    expect(md).toContain('Redis not measured: redis-server is not on PATH.');
    expect(md).not.toContain('Redis writes/s');
  });
  it('names the open loop and its offered rate when the run had one', () => {
    const open = result([floor, ...store]);
    const md = throughputMarkdown({ ...open, config: { ...open.config, ratePerS: 500 } });
    expect(md).toContain("open loop at 500 writes/s (latency from each write's due time)");
  });
  it('shows an unreadable CPU as a dash, not as zero', () => {
    const md = throughputMarkdown(result([floor, row({ system: 'quorum-kv', w: 1, cpuMsPerWrite: null })], 'none'));
    expect(md).toMatch(/\| 1 \| 100 \| 9\.0 \| 30\.0 \| 0 \| — \| — \|/);
  });
});

describe('storageLines', () => {
  const rows = [
    row({ system: 'floor', w: null, writesPerS: 1000 }),
    row({ system: 'quorum-kv', storage: 'memory', w: 3, writesPerS: 200 }),
    row({ system: 'quorum-kv', storage: 'always', w: 3, writesPerS: 50 }),
  ];
  const groupCommit = [
    { storage: 'always' as const, leaderRecordsPerFsync: 3.25, followerRecordsPerFsync: 2.5, leaderFsyncs: 120 },
  ];

  it('puts every storage mode side by side per W, with the ratio to memory and the group commit', () => {
    const text = storageLines(result(rows, null, { storage: ['memory', 'always'], groupCommit })).join('\n');
    expect(text).toMatch(/\| memory \| 3 \| 200 \|.*\| ×1\.00 \|/);
    expect(text).toMatch(/\| FSYNC=always \| 3 \| 50 \|.*\| ×0\.25 \|/);
    expect(text).toMatch(/\| FSYNC=always \| 3\.3 \| 120 \| 2\.5 \|/);
  });

  it('says nothing when the store ran in memory only', () => {
    expect(storageLines(result(rows.slice(0, 2)))).toEqual([]);
  });

  it("uses the first mode for the main table's ratios", () => {
    const [only] = ratioRows(rows, 'always');
    expect(only?.store.writesPerS).toBe(50);
    expect(throughputMarkdown(result(rows, null, { storage: ['always', 'memory'] }))).toContain(
      'ran on a DATA_DIR per node, FSYNC=always',
    );
  });
});
