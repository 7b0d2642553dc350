/**
 * The durability sweep end to end, small: five followers behind cuttable proxies, W and R in
 * {1, 3}, one leader crash per cell, through the sweep's own runner and target. Only W=3, R=3
 * has W + R > N (6 > 5): there the model promises that no acknowledged write is lost, and the
 * sweep must pass (nothing violated, nothing unchecked). The heat map is not rendered here
 * (the unit tests cover it); everything else is the real run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  ClusterTarget,
  runDurabilitySweep,
  type DurabilityCell,
  type DurabilityConfig,
  type ProcessCluster,
} from '@quorum-kv/bench';
import { describeSettings, FOLLOWER_COUNT, startTestCluster, testSettings } from './start-cluster';

const settings = testSettings({ delay: 'uniform:0:20', seed: 4242, replicationTimeoutMs: 1000, partitions: true });

describe(`a tiny durability sweep (${describeSettings(settings)})`, () => {
  let cluster: ProcessCluster;
  let target: ClusterTarget;
  let out: string;

  beforeAll(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'durability-e2e-'));
    cluster = await startTestCluster(settings);
    target = new ClusterTarget(cluster, settings.ackMode);
  });

  afterAll(async () => {
    target?.close();
    await cluster?.stop();
    if (out) await rm(out, { recursive: true, force: true });
  });

  test('no acknowledged write is lost at W=3, R=3, and the sweep passes', async () => {
    const config: DurabilityConfig = {
      runtime: 'process',
      followers: FOLLOWER_COUNT,
      quorums: [1, 3],
      recoveryQuorums: [1, 3],
      writes: 4,
      crashes: 1,
      concurrency: 2,
      delay: settings.delay,
      replicationTimeoutMs: settings.replicationTimeoutMs,
      recoveryTimeoutMs: 5000,
      ackMode: settings.ackMode,
      seed: settings.seed,
      out,
    };
    const log: string[] = [];
    const result = await runDurabilitySweep(
      config,
      target,
      { log: (line) => log.push(line), start: () => undefined, tick: () => undefined, done: () => undefined },
      { render: async () => [] },
    );

    const cell = result.cells.find((c) => c.w === 3 && c.r === 3) as DurabilityCell;
    expect(cell).toMatchObject({ modelVerdict: 'no loss', status: 'held', lost: 0, unreadable: 0, crashes: 1 });
    // Something was acknowledged, so "nothing lost" is a finding, not a vacuous pass.
    expect(cell.acknowledged).toBeGreaterThan(0);
    expect(result.cells.map((c) => [c.w, c.r])).toEqual([
      [1, 1],
      [1, 3],
      [3, 1],
      [3, 3],
    ]);
    expect(result.verdict).toMatchObject({ ok: true, violated: [], unchecked: [] });
    const summary = JSON.parse(await readFile(path.join(out, 'durability-summary.json'), 'utf8')) as DurabilityCell[];
    expect(summary.map((c) => [c.w, c.r, c.acknowledged, c.lost])).toEqual(
      result.cells.map((c) => [c.w, c.r, c.acknowledged, c.lost]),
    );
  });
});
