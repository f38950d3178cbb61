/**
 * Seeded pseudo-random numbers for everything statistical (bootstrap resampling, synthetic data), so that an
 * analysis rebuilt from the same results.json gives the same confidence intervals, bit for bit.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32 (Tommy Ettinger, public domain; as listed in bryc/code "PRNGs"): 32-bit state, passes
 * PractRand to 2^32 bytes, which is ample for bootstrap resampling of at most a few million draws.
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(rng() * n));
}

/** Standard normal variate (Box-Muller), for synthetic data. */
export function randomNormal(rng: Rng): number {
  // 1 - u keeps the argument of log in (0, 1].
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * FNV-1a 32-bit hash of a string, mixed with a seed: derives an independent, stable seed per (mode, tier) so
 * that one cell's resampling does not depend on which other modes or tiers a run contains.
 */
export function deriveSeed(seed: number, ...parts: string[]): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
