/**
 * The sweep's calibration run (`--floor`, on by default): the bare relay floor (`bench floor`)
 * with the sweep's topology, workload, warm-up, delays and seed, each W measured right after
 * the store's same W, and the comparison of the two overheads per W and pooled. The floor runs
 * on this machine whatever the runtime.
 */
import { compareWithFloor, type FloorComparison } from '../floor/floor-comparison';
import { summarizeFloor, type FloorSummaryRow, type FloorWrite } from '../floor/floor-summary';
import { startFloorSession, type FloorConfig, type FloorSession } from '../floor/run-floor';
import type { SweepConfig, WriteRecord } from './records';
import { describeWarmupPart, warmupParts } from './workload';

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
  const { followers, quorums, writes, concurrency, keys, delay, seed, warmupWrites, warmupConcurrency, warmupSeconds } =
    config;
  return { followers, quorums, writes, concurrency, keys, delay, seed, warmupWrites, warmupConcurrency, warmupSeconds };
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

/** Starts and warms up the floor's relays for the sweep; each W is then measured with `measure`. */
export async function startSweepFloor(config: SweepConfig, log: (line: string) => void): Promise<FloorSession> {
  log(
    `the bare relay floor: ${config.followers} followers, the same workload and delays, each W right after the store's ` +
      `(warm-up: ${warmupParts(config).map(describeWarmupPart).join('; then ') || 'none'})`,
  );
  return startFloorSession(floorConfigOf(config));
}

/** The floor's summary and the comparison, from the floor's writes of every W. Pure. */
export function sweepFloorOf(
  config: SweepConfig,
  writes: readonly WriteRecord[],
  floorWrites: readonly FloorWrite[],
): SweepFloor {
  return {
    config: floorConfigOf(config),
    rows: summarizeFloor(floorWrites),
    comparison: floorComparisonOf(config, writes, floorWrites),
  };
}
