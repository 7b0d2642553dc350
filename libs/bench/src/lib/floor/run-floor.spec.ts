import { runFloor, type FloorConfig } from './run-floor';

describe('runFloor (real relay processes)', () => {
  const config: FloorConfig = {
    followers: 3,
    quorums: [1, 3],
    writes: 12,
    concurrency: 4,
    keys: 3,
    delay: 'uniform:5:40',
    seed: 7,
    warmupWrites: 10,
    warmupConcurrency: 5,
    warmupSeconds: 5,
  };

  it('answers every write, each no sooner than the W-th smallest of the delays it sent the relay', async () => {
    const writes = await runFloor(config);
    expect(writes.map((w) => w.w)).toEqual([...Array(12).fill(1), ...Array(12).fill(3)]);
    for (const write of writes) {
      expect(write.latencyMs).not.toBeNull();
      expect(write.delaysMs).toHaveLength(3);
      const ideal = [...write.delaysMs].sort((a, b) => a - b)[write.w - 1] as number;
      // The relay waits the delays it read from x-delays: a write answered sooner never got them.
      expect(write.latencyMs as number).toBeGreaterThanOrEqual(ideal);
    }
  }, 30_000);
});
