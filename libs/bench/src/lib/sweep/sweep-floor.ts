/**
 * The sweep's calibration run (`--floor`, on by default): after the sweep, the bare relay floor
 * (`bench floor`) with the sweep's topology, workload, delays and seed, and the comparison of
 * the two overheads per W and pooled. The floor runs on this machine whatever the runtime.
 */
import { compareWithFloor, type FloorComparison } from '../floor/floor-comparison';
import { summarizeFloor, type FloorSummaryRow, type FloorWrite } from '../floor/floor-summary';
import { runFloor, type FloorConfig } from '../floor/run-floor';
import type { SweepConfig, WriteRecord } from './records';

export interface SweepFloor {
  config: FloorConfig;
  rows: FloorSummaryRow[];
  comparison: FloorComparison;
}

/** Why this sweep gets no floor (the floor is a closed loop with every follower up), or null. Pure. */
export function whyNoFloor(config: SweepConfig): string | null {
  if (config.floor !== true) return 'not asked for (--no-floor)';
  if (config.rate !== null) return 'the floor is a closed loop, and this sweep ran open loop (--rate)';
  if (config.downFollowers.length > 0) return `the floor runs every follower, and this scenario stops some`;
  return null;
}

/** The floor's settings: the sweep's, warm-up included. Pure. */
export function floorConfigOf(config: SweepConfig): FloorConfig {
  const { followers, quorums, writes, concurrency, keys, delay, seed, warmupWrites } = config;
  return { followers, quorums, writes, concurrency, keys, delay, seed, warmupWrites };
}

/** The store's side of the comparison: the first ack mode's writes (the floor has no ack modes). Pure. */
export function floorComparisonOf(
  config: SweepConfig,
  writes: readonly WriteRecord[],
  floorWrites: readonly FloorWrite[],
): FloorComparison {
  const store = writes.filter((r) => r.ackMode === config.ackMode && r.outcome === 'ok');
  return compareWithFloor(store, floorWrites);
}

export async function measureFloor(
  config: SweepConfig,
  writes: readonly WriteRecord[],
  log: (line: string) => void,
): Promise<SweepFloor> {
  const floorConfig = floorConfigOf(config);
  log(
    `the bare relay floor: ${config.followers} followers, the same workload and delays (warm-up ${config.warmupWrites} writes)`,
  );
  const floorWrites = await runFloor(floorConfig, log);
  return {
    config: floorConfig,
    rows: summarizeFloor(floorWrites),
    comparison: floorComparisonOf(config, writes, floorWrites),
  };
}
