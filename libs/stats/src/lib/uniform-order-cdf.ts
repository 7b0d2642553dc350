/**
 * The distribution of the k-th smallest of n independent Uniform(0, 1) draws, which is
 * Beta(k, n + 1 - k). Its CDF is the regularized incomplete beta function; for integer k and n
 * it equals a binomial tail: the k-th smallest is ≤ x exactly when at least k of the n draws
 * are ≤ x, and the number of such draws is Binomial(n, x). So
 *
 *   CDF(x) = P(Bin(n, x) ≥ k) = Σ_{j=k}^{n} C(n, j) · x^j · (1 - x)^(n - j).
 *
 * The quantile inverts that CDF by bisection (it is continuous and strictly increasing on
 * [0, 1]), which needs no special functions and is exact to the stated tolerance.
 */

/** Bisection stops when the bracket is this narrow (in units of the [0, 1] range). */
export const UNIFORM_ORDER_QUANTILE_TOLERANCE = 1e-9;

/** Bounds the table of log-factorials and the O(n) cost of one CDF evaluation. */
export const MAX_ORDER_STATISTIC_N = 10_000;

/** P(k-th smallest of n iid Uniform(0,1) ≤ x). */
export function uniformOrderStatisticCdf(x: number, k: number, n: number): number {
  checkOrder(k, n);
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logX = Math.log(x);
  const log1mX = Math.log1p(-x);
  const logFact = logFactorials(n);
  let sum = 0;
  for (let j = k; j <= n; j++) {
    const logChoose = (logFact[n] as number) - (logFact[j] as number) - (logFact[n - j] as number);
    sum += Math.exp(logChoose + j * logX + (n - j) * log1mX);
  }
  return Math.min(sum, 1);
}

/** The x in [0, 1] with CDF(x) = q, to within UNIFORM_ORDER_QUANTILE_TOLERANCE. */
export function uniformOrderStatisticQuantile(q: number, k: number, n: number): number {
  checkOrder(k, n);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile fraction ${q} outside 0..1`);
  // The ends of the support, explicitly: rounding keeps the summed CDF a hair under 1 just below
  // x = 1, so bisection alone would stop short of it for q = 1.
  if (q === 0) return 0;
  if (q === 1) return 1;
  let low = 0;
  let high = 1;
  while (high - low > UNIFORM_ORDER_QUANTILE_TOLERANCE) {
    const mid = (low + high) / 2;
    if (uniformOrderStatisticCdf(mid, k, n) < q) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

function checkOrder(k: number, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_ORDER_STATISTIC_N) {
    throw new RangeError(`order statistic needs n in 1..${MAX_ORDER_STATISTIC_N}, got ${n}`);
  }
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`order statistic k=${k} outside 1..${n}`);
}

/** ln(i!) for i = 0..n, summed in logs so large n neither overflows nor loses the small terms. */
function logFactorials(n: number): Float64Array {
  const table = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) table[i] = (table[i - 1] as number) + Math.log(i);
  return table;
}
