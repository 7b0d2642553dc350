/**
 * From a soak's samples to `soak-summary.json`: per node, memory after the warm-up, at the end,
 * its maximum, and its slope over the second half of the run (least squares, with two standard
 * errors as its band), and the verdict: flat, grows, or inconclusive when the bands are wider
 * than the threshold. Pure.
 */
import { linearRegression } from 'simple-statistics';
import type {
  JudgedSlope,
  LoadTotals,
  MemoryTrend,
  NodeMemorySummary,
  NodeSample,
  SoakConfig,
  SoakSample,
  SoakSummary,
  SoakVerdict,
  SoakVerdictStatus,
} from './soak-records';

type Measure = 'rssMiB' | 'heapUsedMiB';

/** A least-squares slope in MiB per minute and the half-width of its band (two standard errors). */
export interface FittedSlope {
  slopeMiBPerMin: number;
  bandMiBPerMin: number;
}

/**
 * Least-squares slope of (seconds, MiB) points, in MiB per minute (NaN with fewer than two
 * distinct times), with two standard errors of it from the residuals (NaN with fewer than three
 * points).
 */
export function fitSlope(points: ReadonlyArray<readonly [number, number]>): FittedSlope {
  if (new Set(points.map(([tS]) => tS)).size < 2) return { slopeMiBPerMin: NaN, bandMiBPerMin: NaN };
  const { m, b } = linearRegression(points.map(([tS, mib]) => [tS, mib]));
  if (points.length < 3) return { slopeMiBPerMin: m * 60, bandMiBPerMin: NaN };
  const meanS = points.reduce((sum, [tS]) => sum + tS, 0) / points.length;
  const spread = points.reduce((sum, [tS]) => sum + (tS - meanS) ** 2, 0);
  const residuals = points.reduce((sum, [tS, mib]) => sum + (mib - (m * tS + b)) ** 2, 0);
  const standardError = Math.sqrt(residuals / (points.length - 2) / spread);
  return { slopeMiBPerMin: m * 60, bandMiBPerMin: 2 * standardError * 60 };
}

/** Least-squares slope of (seconds, MiB) points, in MiB per minute; NaN with fewer than two distinct times. */
export function slopeMiBPerMin(points: ReadonlyArray<readonly [number, number]>): number {
  return fitSlope(points).slopeMiBPerMin;
}

/** Where the slope window starts: the second half of the run. */
export function secondHalfStartS(durationS: number): number {
  return durationS / 2;
}

export function memoryTrend(
  samples: readonly SoakSample[],
  node: string,
  measure: Measure,
  warmupS: number,
  durationS: number,
): MemoryTrend {
  const points: Array<[number, number]> = [];
  for (const sample of samples) {
    const value = nodeOf(sample, node)?.[measure];
    if (typeof value === 'number' && Number.isFinite(value)) points.push([sample.tS, value]);
  }
  const afterWarmup = points.find(([tS]) => tS >= warmupS);
  const windowStartS = secondHalfStartS(durationS);
  return {
    afterWarmupMiB: afterWarmup?.[1] ?? null,
    endMiB: points[points.length - 1]?.[1] ?? null,
    maxMiB: points.length === 0 ? null : Math.max(...points.map(([, mib]) => mib)),
    ...slopeFields(fitSlope(points.filter(([tS]) => tS >= windowStartS))),
  };
}

/** The nodes in the order of the first sample (leader first). */
export function nodeNames(samples: readonly SoakSample[]): string[] {
  const names: string[] = [];
  for (const sample of samples) for (const { node } of sample.nodes) if (!names.includes(node)) names.push(node);
  return names;
}

export function summarizeNodes(
  samples: readonly SoakSample[],
  warmupS: number,
  durationS: number,
): NodeMemorySummary[] {
  return nodeNames(samples).map((node) => ({
    node,
    rss: memoryTrend(samples, node, 'rssMiB', warmupS, durationS),
    heapUsed: memoryTrend(samples, node, 'heapUsedMiB', warmupS, durationS),
    failedSamples: samples.filter((s) => nodeOf(s, node)?.error != null || nodeOf(s, node) === undefined).length,
  }));
}

/** Every node's two slopes (RSS and heap used) with their bands: what the verdict judges. */
export function judgedSlopes(nodes: readonly NodeMemorySummary[]): JudgedSlope[] {
  return nodes.flatMap((n) => [
    {
      node: n.node,
      measure: 'RSS' as const,
      slopeMiBPerMin: n.rss.slopeMiBPerMin,
      slopeBandMiBPerMin: n.rss.slopeBandMiBPerMin,
    },
    {
      node: n.node,
      measure: 'heap used' as const,
      slopeMiBPerMin: n.heapUsed.slopeMiBPerMin,
      slopeBandMiBPerMin: n.heapUsed.slopeBandMiBPerMin,
    },
  ]);
}

/**
 * The brief's rule (flat when every node's RSS and heap-used slopes are below the threshold,
 * else grows), applied only when the run can resolve the threshold: every slope's band narrower
 * than it. Otherwise inconclusive: each major GC moves heap used by far more than a threshold
 * of MiB per minute, and the second half of a short run holds only a few of them, so its band
 * stays wide (the soak's report shows the band it got).
 */
export function soakVerdict(nodes: readonly NodeMemorySummary[], thresholdMiBPerMin: number): SoakVerdict {
  const slopes = judgedSlopes(nodes);
  const growing = slopes.filter((s) => s.slopeMiBPerMin >= thresholdMiBPerMin);
  // `!(x < t)` so that NaN (no slope, no band) counts as unresolved.
  const unresolved = slopes.filter(
    (s) => !(s.slopeBandMiBPerMin < thresholdMiBPerMin) || !Number.isFinite(s.slopeMiBPerMin),
  );
  const status: SoakVerdictStatus =
    nodes.length === 0 || unresolved.length > 0 ? 'inconclusive' : growing.length > 0 ? 'grows' : 'flat';
  return { status, flat: status === 'flat', thresholdMiBPerMin, growing, unresolved };
}

export function buildSoakSummary(config: SoakConfig, samples: readonly SoakSample[], load: LoadTotals): SoakSummary {
  const nodes = summarizeNodes(samples, config.warmupS, config.durationS);
  const logEntries = samples.map((s) => s.leader.logEntries).filter((n): n is number => n !== null);
  const lsns = samples.map((s) => s.leader.lsn).filter((n): n is number => n !== null);
  return {
    sendSeconds: load.sendSeconds,
    offeredRatePerS: config.ratePerS,
    sentRatePerS: load.writesSent / config.durationS,
    achievedRatePerS: load.writesOk / config.durationS,
    writesPlanned: load.writesPlanned,
    writesSent: load.writesSent,
    writesOk: load.writesOk,
    writesFailed: load.writesFailed,
    writesDropped: load.writesDropped,
    errorsByCode: load.errorsByCode,
    latency: load.latency,
    leader: {
      lsnAtEnd: lsns[lsns.length - 1] ?? null,
      logEntriesAtEnd: logEntries[logEntries.length - 1] ?? null,
      logEntriesMax: logEntries.length === 0 ? null : Math.max(...logEntries),
      logEntriesExported: logEntries.length > 0,
    },
    nodes,
    verdict: soakVerdict(nodes, config.flatThresholdMiBPerMin),
  };
}

function slopeFields({
  slopeMiBPerMin,
  bandMiBPerMin,
}: FittedSlope): Pick<MemoryTrend, 'slopeMiBPerMin' | 'slopeBandMiBPerMin'> {
  return { slopeMiBPerMin, slopeBandMiBPerMin: bandMiBPerMin };
}

function nodeOf(sample: SoakSample, node: string): NodeSample | undefined {
  return sample.nodes.find((n) => n.node === node);
}
