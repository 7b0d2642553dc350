import type { DurabilityConfig } from './durability-records';
import { summarizeDurability, sweepVerdict } from './durability-summary';
import { allStreaming, parseHealth } from './durability-target';
import { CellRunner, durabilityKey, runDurabilityCells, waitUntilServing, waitUntilStreaming } from './run-durability';
import { fakeClock, FakeDurabilityCluster, fakeDurabilityConfig } from './testing';

const SEED = 42;

const config = (overrides: Partial<DurabilityConfig> = {}) =>
  fakeDurabilityConfig({
    writes: 12,
    concurrency: 3,
    delay: 'uniform:0:10',
    replicationTimeoutMs: 1000,
    recoveryTimeoutMs: 500,
    seed: SEED,
    ...overrides,
  });

async function sweep(cluster: FakeDurabilityCluster, cfg: DurabilityConfig) {
  const run = await runDurabilityCells(cluster, cfg, fakeClock());
  return summarizeDurability({
    followers: cfg.followers,
    quorums: cfg.quorums,
    recoveryQuorums: cfg.recoveryQuorums,
    ...run,
  });
}

describe(`the durability sweep against an in-memory cluster (seed ${SEED})`, () => {
  it('finds no loss wherever W + R > N, and losses in every cell where W + R ≤ N, against a correct store', async () => {
    const cells = await sweep(new FakeDurabilityCluster({ followers: 5 }), config());
    expect(cells).toHaveLength(25);
    for (const cell of cells) {
      expect(cell.acknowledged).toBeGreaterThan(0);
      if (cell.w + cell.r > 5) expect(cell).toMatchObject({ lost: 0, status: 'held' });
      // Every crash of such a cell loses at least the writes between its cut and the crash.
      else expect(cell.lost).toBeGreaterThanOrEqual(cell.crashes);
    }
    expect(sweepVerdict(cells).ok).toBe(true);
  });

  it('catches a leader that forgets what its followers hold: the model is violated where W + R > N', async () => {
    const cells = await sweep(
      new FakeDurabilityCluster({ followers: 5, forgetful: true }),
      config({ quorums: [3], recoveryQuorums: [3] }),
    );
    expect(cells[0]).toMatchObject({ w: 3, r: 3, status: 'violated' });
    expect(sweepVerdict(cells).ok).toBe(false);
  });

  it.each([
    { followers: 3, w: 2, r: 2, reason: 'three followers, majorities' },
    { followers: 1, w: 1, r: 1, reason: 'a single follower' },
    { followers: 7, w: 4, r: 4, reason: 'seven followers' },
  ])('holds the promise with $reason', async ({ followers, w, r }) => {
    const cells = await sweep(
      new FakeDurabilityCluster({ followers }),
      config({ followers, quorums: [w], recoveryQuorums: [r] }),
    );
    expect(cells[0]).toMatchObject({ lost: 0, status: 'held', recoveries: 2 });
  });
});

describe('CellRunner', () => {
  it('kills the leader before every start, and heals the stale followers only once no leader runs', async () => {
    const cluster = new FakeDurabilityCluster({ followers: 5 });
    await new CellRunner(cluster, config({ crashes: 1, writes: 5 }), fakeClock(), 0, 2, 2).run();
    const events = cluster.events;
    const starts = events.flatMap((e, i) => (e.startsWith('start') ? [i] : []));
    for (const i of starts)
      expect(events.slice(0, i).lastIndexOf('kill')).toBeGreaterThan(events.slice(0, i).lastIndexOf('start R=2'));
    const kill = events.lastIndexOf('kill');
    const heals = events.flatMap((e, i) => (e.startsWith('heal') ? [i] : []));
    const firstCut = events.findIndex((e) => e.startsWith('cut'));
    // Between the pre-crash cut and the crash nothing is healed: the stale followers must miss the last writes.
    expect(heals.filter((i) => i > firstCut && i < kill)).toEqual([]);
    expect(events.filter((e) => e.startsWith('start'))).toEqual(['start R=2', 'start R=2']);
  });

  it('records every write with the followers cut at the time, and each crash with its recovery', async () => {
    const cluster = new FakeDurabilityCluster({ followers: 5 });
    const cfg = config({ crashes: 2, writes: 9 });
    const result = await new CellRunner(cluster, cfg, fakeClock(), 0, 1, 2).run();
    expect(result.writes.map((w) => w.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(result.writes.map((w) => w.key)).size).toBe(9);
    expect(result.writes[0]?.key).toBe(durabilityKey(1, 2, 0));
    expect(result.writes.some((w) => w.cutFollowers.length === 4)).toBe(true);
    expect(result.crashes).toHaveLength(2);
    for (const crash of result.crashes) {
      expect(crash).toMatchObject({ adversarial: true, recoveredUnderCut: true, recovered: true });
      expect(crash.epoch).toBeGreaterThan(1);
    }
    expect(cluster.cutFollowers()).toEqual([]);
  });

  it('marks a crash unrecovered when the leader never serves, and the cell unchecked', async () => {
    const cluster = new FakeDurabilityCluster({ followers: 5 });
    // It serves after the cell's first start, and never again after the crash.
    const healthy = cluster.health.bind(cluster);
    const starts = () => cluster.events.filter((e) => e.startsWith('start')).length;
    cluster.health = async () => (starts() >= 2 ? { serving: false, status: 'recovering', epoch: 1 } : healthy());
    const result = await new CellRunner(cluster, config({ crashes: 1, writes: 3 }), fakeClock(), 0, 3, 3).run();
    expect(result.crashes[0]).toMatchObject({ recovered: false, recoveryMs: null });
    expect(result.checks.some((c) => c.finding === 'unreadable')).toBe(true);
  });
});

describe('waitUntilServing', () => {
  it('polls until the leader serves, and gives up at the timeout', async () => {
    const cluster = new FakeDurabilityCluster({ followers: 3 });
    let answers = 0;
    cluster.health = async () => ({ serving: ++answers >= 4, status: 'recovering', epoch: 1 });
    expect(await waitUntilServing(cluster, fakeClock(), 10_000)).toBe(true);
    expect(answers).toBe(4);
    cluster.health = async () => ({ serving: false, status: 'recovering', epoch: 1 });
    const clock = fakeClock();
    expect(await waitUntilServing(cluster, clock, 1000)).toBe(false);
    expect(clock.advancedMs()).toBeGreaterThanOrEqual(1000);
  });
});

describe('parseHealth', () => {
  it.each([
    {
      httpStatus: 200,
      body: { status: 'ok', epoch: 3 },
      serving: true,
      status: 'ok',
      epoch: 3,
      reason: 'a serving leader',
    },
    {
      httpStatus: 503,
      body: { status: 'recovering', epoch: 4 },
      serving: false,
      status: 'recovering',
      epoch: 4,
      reason: 'readiness fails while recovering',
    },
    {
      httpStatus: 503,
      body: { status: 'fenced', epoch: 2 },
      serving: false,
      status: 'fenced',
      epoch: 2,
      reason: 'a fenced leader takes no writes',
    },
    {
      httpStatus: 200,
      body: { ok: true, role: 'leader' },
      serving: true,
      status: 'ok',
      epoch: null,
      reason: 'a leader from before recovery existed',
    },
    {
      httpStatus: 500,
      body: 'oops',
      serving: false,
      status: 'http 500',
      epoch: null,
      reason: 'an error without a status field',
    },
    { httpStatus: 0, body: {}, serving: false, status: 'unreachable', epoch: null, reason: 'no answer' },
  ])('$reason', ({ httpStatus, body, serving, status, epoch }) => {
    expect(parseHealth(httpStatus, body)).toEqual({ serving, status, epoch });
  });
});

describe('waitUntilStreaming and allStreaming', () => {
  it('polls /status until every follower streams', async () => {
    const cluster = new FakeDurabilityCluster({ followers: 3 });
    let answers = 0;
    cluster.followersStreaming = async () => ++answers >= 3;
    expect(await waitUntilStreaming(cluster, fakeClock(), 10_000)).toBe(true);
    expect(answers).toBe(3);
  });

  it.each([
    { status: { followers: [{ state: 'streaming' }, { state: 'streaming' }] }, want: true, reason: 'all caught up' },
    {
      status: { followers: [{ state: 'streaming' }, { state: 'catching-up' }] },
      want: false,
      reason: 'one catching up',
    },
    { status: { followers: [{ state: 'unreachable' }] }, want: false, reason: 'one unreachable' },
    { status: { epoch: 3 }, want: true, reason: 'a status without a follower list' },
    { status: null, want: false, reason: 'no answer' },
  ])('$reason: $want', ({ status, want }) => {
    expect(allStreaming(status)).toBe(want);
  });
});
