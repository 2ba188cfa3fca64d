// Scoring text with a trained model: per-token log-probabilities over long texts (half-overlapping
// windows, so every scored token sees at least half a context of history) and greedy continuation.
import { Net, logProb } from './forward.js';
import type { ModelConfig } from './model.js';
import { EOT, decode, encode } from './tokenizer.js';

/** Per-token results of scoring a token sequence. */
export interface TokenScores {
  /** logp[i]: natural log-probability of tokens[i] given tokens[<i] (logp[0] is 0, never scored). */
  logp: Float64Array;
  /** hit[i]: 1 when tokens[i] was the model's top-1 prediction. */
  hit: Uint8Array;
}

/** A model ready to score text. */
export class Scorer {
  private readonly net: Net;

  constructor(readonly config: ModelConfig, readonly params: Float32Array) {
    this.net = new Net(config);
  }

  /** Scores tokens[1..] given everything before (windows of the model's context). */
  score(tokens: ArrayLike<number>): TokenScores {
    const T = this.config.context, V = this.config.vocab, n = tokens.length;
    const logp = new Float64Array(n);
    const hit = new Uint8Array(n);
    const stride = Math.max(1, Math.floor(T / 2));
    for (let start = 0; ; start += stride) {
      const end = Math.min(n, start + T);
      const window = Array.prototype.slice.call(tokens, start, end) as number[];
      const logits = this.net.forward(this.params, window);
      // The first window scores from position 1, later ones only their new second half.
      const from = start === 0 ? 1 : start + T - stride;
      for (let i = Math.max(from, start + 1); i < end; i++) {
        const r = i - start - 1;
        logp[i] = logProb(logits, r, V, tokens[i]!);
        let best = 0;
        for (let v = 1; v < V; v++) if (logits[r * V + v]! > logits[r * V + best]!) best = v;
        hit[i] = best === tokens[i] ? 1 : 0;
      }
      if (end >= n) break;
    }
    return { logp, hit };
  }

  /** Natural log-probability of `continuation` after `prefix` (texts). */
  continuationLogProb(prefix: string, continuation: string): { logp: number; bytes: number } {
    const p = [EOT, ...encode(prefix)];
    const c = encode(continuation);
    const keep = p.slice(Math.max(0, p.length - (this.config.context - c.length)));
    const all = [...keep, ...c];
    const s = this.score(all);
    let logp = 0;
    for (let i = keep.length; i < all.length; i++) logp += s.logp[i]!;
    return { logp, bytes: c.length };
  }

  /** Greedy continuation of `prefix` until `stop` is produced (included) or `maxBytes` are generated. */
  greedy(prefix: string, maxBytes: number, stop = '\n'): string {
    const T = this.config.context, V = this.config.vocab;
    const ids = [EOT, ...encode(prefix)];
    const out: number[] = [];
    const stopId = encode(stop)[0];
    while (out.length < maxBytes) {
      const window = ids.slice(-T);
      const logits = this.net.forward(this.params, window);
      const r = window.length - 1;
      let best = 0;
      for (let v = 1; v < 256; v++) if (logits[r * V + v]! > logits[r * V + best]!) best = v;
      ids.push(best);
      out.push(best);
      if (best === stopId) break;
    }
    return decode(out);
  }
}
