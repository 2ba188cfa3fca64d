// Statistics of paired benchmarks, shared by bench/core and the evolve loop's benchmark stage: medians, ABBA
// schedules of measurements (fixed or seeded-random), and a bootstrap interval for a ratio measured once per
// block (seeded, so a rerun over the same numbers gives the same interval).

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The order of measurements: `blocks` blocks of A B B A, A and B swapping roles every other block
 * (A B B A, B A A B, ...) so that each is measured first, last and in the middle equally often and a
 * drift of the host's load in time hits both alike.
 */
export function abbaSchedule<T>(a: T, b: T, blocks: number): Array<{ block: number; who: T }> {
  const out: Array<{ block: number; who: T }> = [];
  for (let block = 0; block < blocks; block++) {
    const [x, y] = block % 2 === 0 ? [a, b] : [b, a];
    for (const who of [x, y, y, x]) out.push({ block, who });
  }
  return out;
}

/** A small seeded PRNG (mulberry32) in [0, 1): the bootstrap must not change between reruns over the same data. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RatioSummary {
  /** Geometric mean of the per-block ratios. */
  ratio: number;
  /** 95 % percentile-bootstrap interval of that geometric mean, resampling blocks. */
  ci: [number, number];
  min: number;
  max: number;
  /** The interval holds 1: this run cannot tell the two apart. */
  includesOne: boolean;
}

/** Geometric mean (NaN for no values). */
export const geoMean = (xs: readonly number[]): number => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

/**
 * Summarizes per-block ratios (A over B, one per block).
 * @throws RangeError when no blocks were measured
 */
export function summarizeRatios(ratios: readonly number[], iterations = 4000, seed = 1): RatioSummary {
  if (ratios.length === 0) throw new RangeError('Cannot summarize ratios: no blocks were measured');
  const next = seededRandom(seed);
  const means: number[] = [];
  for (let i = 0; i < iterations; i++) {
    means.push(geoMean(ratios.map(() => ratios[Math.floor(next() * ratios.length)]!)));
  }
  means.sort((a, b) => a - b);
  const ci: [number, number] = [means[Math.floor(0.025 * iterations)]!, means[Math.ceil(0.975 * iterations) - 1]!];
  return { ratio: geoMean(ratios), ci, min: Math.min(...ratios), max: Math.max(...ratios), includesOne: ci[0] <= 1 && ci[1] >= 1 };
}

/**
 * A randomised ABBA schedule: each block is A B B A or B A A B, chosen by a seeded shuffle that gives the two
 * orders equally often (one more ABBA when `blocks` is odd), so the order cannot line up with a periodic drift
 * of the host and a rerun with the same seed measures in the same order.
 */
export function randomAbbaSchedule<T>(a: T, b: T, blocks: number, seed: number): Array<{ block: number; who: T }> {
  const next = seededRandom(seed);
  const firsts = Array.from({ length: blocks }, (_, i) => i % 2 === 0);
  for (let i = firsts.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [firsts[i], firsts[j]] = [firsts[j]!, firsts[i]!];
  }
  return firsts.flatMap((aFirst, block) => {
    const [x, y] = aFirst ? [a, b] : [b, a];
    return [x, y, y, x].map((who) => ({ block, who }));
  });
}
