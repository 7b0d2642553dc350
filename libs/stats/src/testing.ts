/**
 * Test helpers, not part of the public API: a tiny seeded PRNG so Monte Carlo tests replay
 * exactly (the protocol lib's `createRng` is off limits to a util lib).
 */

/** mulberry32: uniform [0, 1) from a 32-bit seed. Good enough for tests, not for the bench. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n samplers of Uniform(minMs, maxMs), all drawing from one seeded source. */
export function uniformSamplers(n: number, minMs: number, maxMs: number, random: () => number): Array<() => number> {
  return Array.from({ length: n }, () => () => minMs + (maxMs - minMs) * random());
}
