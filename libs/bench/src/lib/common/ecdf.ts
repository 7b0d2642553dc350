/**
 * Points of an empirical CDF, for step lines. A run can hold many thousand writes per W, and
 * an SVG with a vertex per write gets heavy, so beyond `maxPoints` the curve is drawn through
 * evenly spaced ranks (always keeping the smallest and the largest value).
 */
export interface EcdfPoint {
  /** The value (ms). */
  x: number;
  /** Fraction of the sample ≤ x, 0..1. */
  fraction: number;
}

export const DEFAULT_ECDF_POINTS = 400;

export function ecdfPoints(values: readonly number[], maxPoints = DEFAULT_ECDF_POINTS): EcdfPoint[] {
  if (!(maxPoints >= 2)) throw new RangeError(`maxPoints must be at least 2, got ${maxPoints}`);
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return [];
  const ranks =
    n <= maxPoints
      ? sorted.map((_, i) => i)
      : Array.from({ length: maxPoints }, (_, j) => Math.round((j * (n - 1)) / (maxPoints - 1)));
  // The step starts at 0 on the smallest value, so the line rises from the axis.
  const points: EcdfPoint[] = [{ x: sorted[0] as number, fraction: 0 }];
  for (const i of ranks) points.push({ x: sorted[i] as number, fraction: (i + 1) / n });
  return points;
}
