/**
 * Seeded randomness. Every random choice in the system comes from a `Rng` built from a seed
 * and a stream number, so a run (and a failing test) replays exactly from its seed.
 */
export interface Rng {
  /** Uniform on [0, 1). */
  next(): number;
}

/** splitmix32: spreads (seed, stream) into well-mixed 32-bit state. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** sfc32, a small fast generator that passes PractRand to large sizes. */
export function createRng(seed: number, stream = 0): Rng {
  let a = mix32(seed);
  let b = mix32(a ^ stream);
  let c = mix32(b + 0x6d2b79f5);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // discard the warm-up outputs
  return { next };
}

/** A standard normal draw (Box-Muller, one of the pair). */
export function nextNormal(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]: log(0) must not happen
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
