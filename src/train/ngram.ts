// The baseline: an interpolated Kneser-Ney n-gram model over the same byte tokens, trained on the same
// training split. At this scale it is a strong baseline for code, and the evaluation says where it wins.

interface Ctx { total: number; followers: Map<number, number> }

/** Interpolated Kneser-Ney over token ids < vocab, one discount for all orders. */
export class KneserNey {
  /** orders[k-1]: contexts of length k-1 → follower counts (raw for the top order, continuation below). */
  private readonly orders: Map<string, Ctx>[] = [];

  constructor(readonly order: number, readonly vocab: number, readonly discount = 0.75) {}

  /** Counts a token stream. */
  fit(tokens: ArrayLike<number>): this {
    const N = this.order;
    const top = new Map<string, Ctx>();
    let h = '';
    for (let i = 0; i < tokens.length; i++) {
      const w = tokens[i]!;
      if (h.length === N - 1) bump(top, h, w, 1);
      h = (h + String.fromCharCode(w)).slice(-(N - 1) || 0);
      if (N === 1) h = '';
    }
    this.orders[N - 1] = top;
    for (let k = N - 1; k >= 1; k--) {
      const lower = new Map<string, Ctx>();
      for (const [hist, ctx] of this.orders[k]!) {
        for (const w of ctx.followers.keys()) bump(lower, hist.slice(1), w, 1);
      }
      this.orders[k - 1] = lower;
    }
    return this;
  }

  /** Full next-token distribution after `history` (only its last order-1 tokens matter). */
  dist(history: ArrayLike<number>): Float64Array {
    const V = this.vocab, D = this.discount;
    const p = new Float64Array(V).fill(1 / V);
    const hist = tail(history, this.order - 1);
    for (let k = 1; k <= this.order; k++) {
      const ctx = this.orders[k - 1]!.get(hist.slice(hist.length - (k - 1)));
      if (!ctx) break; // a longer context containing an unseen one is unseen too
      const back = (D * ctx.followers.size) / ctx.total;
      for (let w = 0; w < V; w++) p[w] = p[w]! * back;
      for (const [w, c] of ctx.followers) p[w] = p[w]! + Math.max(c - D, 0) / ctx.total;
    }
    return p;
  }

  /** P(w | history). */
  prob(history: ArrayLike<number>, w: number): number {
    const D = this.discount;
    let p = 1 / this.vocab;
    const hist = tail(history, this.order - 1);
    for (let k = 1; k <= this.order; k++) {
      const ctx = this.orders[k - 1]!.get(hist.slice(hist.length - (k - 1)));
      if (!ctx) break;
      p = (D * ctx.followers.size * p + Math.max((ctx.followers.get(w) ?? 0) - D, 0)) / ctx.total;
    }
    return p;
  }
}

function bump(m: Map<string, Ctx>, h: string, w: number, n: number): void {
  let c = m.get(h);
  if (!c) { c = { total: 0, followers: new Map() }; m.set(h, c); }
  c.total += n;
  c.followers.set(w, (c.followers.get(w) ?? 0) + n);
}

function tail(history: ArrayLike<number>, n: number): string {
  let s = '';
  for (let i = Math.max(0, history.length - n); i < history.length; i++) s += String.fromCharCode(history[i]!);
  return s;
}
