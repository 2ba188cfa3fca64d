// A small seeded generator whose whole state is two numbers, so a checkpoint can save and restore it exactly
// (Math.random cannot be seeded or saved).

/** xorshift128+-style generator on two 32-bit halves (splitmix32 seeding); state is serialisable. */
export class Rng {
  private a: number;
  private b: number;
  private spare: number | null = null;

  constructor(seed: number) {
    let s = seed >>> 0;
    const mix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix() | 1;
    this.b = mix() | 1;
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    let x = this.a;
    const y = this.b;
    this.a = y;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.b = (x ^ y ^ (y >>> 7)) >>> 0;
    return (this.b + y) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller, caching the second value). */
  normal(): number {
    if (this.spare !== null) { const s = this.spare; this.spare = null; return s; }
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** The whole state, for checkpoints. */
  state(): [number, number, number | null] {
    return [this.a, this.b, this.spare];
  }

  /** Restores a state from state(). */
  static from(state: [number, number, number | null]): Rng {
    const r = new Rng(0);
    r.a = state[0]; r.b = state[1]; r.spare = state[2];
    return r;
  }
}
