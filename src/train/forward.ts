// Forward pass over one sequence (positions 0..T-1), keeping every activation the backward pass needs.
// The arithmetic mirrors llama.cpp's llama graph so a GGUF of these weights predicts the same tokens.
import { linear, rmsnorm, rope, ropeTables, silu } from './kernels.js';
import { layoutOf, view, type Layout, type ModelConfig } from './model.js';

/** Saved activations of one layer. */
export interface LayerCache {
  xIn: Float32Array; xn1: Float32Array; inv1: Float32Array;
  q: Float32Array; k: Float32Array; v: Float32Array; probs: Float32Array; att: Float32Array;
  xMid: Float32Array; xn2: Float32Array; inv2: Float32Array;
  gate: Float32Array; up: Float32Array; act: Float32Array;
}

/** Activations of a whole forward pass for up to `context` tokens. */
export interface Activations {
  t: number;
  tokens: Int32Array;
  layers: LayerCache[];
  xOut: Float32Array; xnF: Float32Array; invF: Float32Array;
  logits: Float32Array;
}

/** A model's fixed tables (layout, RoPE) and reusable activation buffers. */
export class Net {
  readonly layout: Layout;
  readonly headDim: number;
  readonly cos: Float32Array;
  readonly sin: Float32Array;
  readonly acts: Activations;

  constructor(readonly config: ModelConfig) {
    this.layout = layoutOf(config);
    this.headDim = config.dim / config.heads;
    const tables = ropeTables(config.context, this.headDim, config.ropeBase);
    this.cos = tables.cos;
    this.sin = tables.sin;
    const T = config.context, d = config.dim, f = config.ffn, H = config.heads;
    const a = (n: number): Float32Array => new Float32Array(n);
    this.acts = {
      t: 0,
      tokens: new Int32Array(T),
      layers: Array.from({ length: config.layers }, () => ({
        xIn: a(T * d), xn1: a(T * d), inv1: a(T), q: a(T * d), k: a(T * d), v: a(T * d), probs: a(H * T * T), att: a(T * d),
        xMid: a(T * d), xn2: a(T * d), inv2: a(T), gate: a(T * f), up: a(T * f), act: a(T * f),
      })),
      xOut: a(T * d), xnF: a(T * d), invF: a(T), logits: a(T * config.vocab),
    };
  }

  /** Runs the model on `tokens` (length ≤ context); returns logits (T×vocab, a reused buffer). */
  forward(params: Float32Array, tokens: ArrayLike<number>): Float32Array {
    const c = this.config, L = this.layout, A = this.acts;
    const T = tokens.length, d = c.dim, f = c.ffn, hd = this.headDim;
    if (T > c.context || T < 1) throw new RangeError(`Cannot run the model on ${T} tokens: the context is 1..${c.context}`);
    A.t = T;
    const emb = view(params, L.embd);
    let x = A.layers[0]?.xIn ?? A.xOut;
    for (let t = 0; t < T; t++) {
      const id = tokens[t]!;
      A.tokens[t] = id;
      x.set(emb.subarray(id * d, id * d + d), t * d);
    }
    const scale = 1 / Math.sqrt(hd);
    for (let l = 0; l < c.layers; l++) {
      const S = L.layers[l]!, C = A.layers[l]!;
      if (C.xIn !== x) C.xIn.set(x.subarray(0, T * d));
      rmsnorm(C.xn1, C.inv1, C.xIn, view(params, S.attnNorm), T, d, c.normEps);
      linear(C.q, C.xn1, view(params, S.wq), T, d, d);
      linear(C.k, C.xn1, view(params, S.wk), T, d, d);
      linear(C.v, C.xn1, view(params, S.wv), T, d, d);
      rope(C.q, T, d, hd, this.cos, this.sin, 1);
      rope(C.k, T, d, hd, this.cos, this.sin, 1);
      this.attention(C, T, scale);
      linear(C.xMid, C.att, view(params, S.wo), T, d, d);
      for (let i = 0; i < T * d; i++) C.xMid[i] = C.xMid[i]! + C.xIn[i]!;
      rmsnorm(C.xn2, C.inv2, C.xMid, view(params, S.ffnNorm), T, d, c.normEps);
      linear(C.gate, C.xn2, view(params, S.wGate), T, d, f);
      linear(C.up, C.xn2, view(params, S.wUp), T, d, f);
      for (let i = 0; i < T * f; i++) C.act[i] = silu(C.gate[i]!) * C.up[i]!;
      const next = A.layers[l + 1]?.xIn ?? A.xOut;
      linear(next, C.act, view(params, S.wDown), T, f, d);
      for (let i = 0; i < T * d; i++) next[i] = next[i]! + C.xMid[i]!;
      x = next;
    }
    rmsnorm(A.xnF, A.invF, A.xOut, view(params, L.outNorm), T, d, c.normEps);
    linear(A.logits, A.xnF, view(params, L.output), T, d, c.vocab);
    return A.logits;
  }

  /** Causal multi-head attention of one layer: softmax(q·k/√hd) over the past, times v, into C.att (probs kept). */
  private attention(C: LayerCache, T: number, scale: number): void {
    const d = this.config.dim, H = this.config.heads, hd = this.headDim;
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < T; t++) {
        const pr = (h * T + t) * T;
        const qo = t * d + h * hd;
        let max = -Infinity;
        for (let s = 0; s <= t; s++) {
          const ko = s * d + h * hd;
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += C.q[qo + i]! * C.k[ko + i]!;
          const sc = dot * scale;
          C.probs[pr + s] = sc;
          if (sc > max) max = sc;
        }
        let sum = 0;
        for (let s = 0; s <= t; s++) { const e = Math.exp(C.probs[pr + s]! - max); C.probs[pr + s] = e; sum += e; }
        for (let i = 0; i < hd; i++) C.att[qo + i] = 0;
        for (let s = 0; s <= t; s++) {
          const p = C.probs[pr + s]! / sum;
          C.probs[pr + s] = p;
          const vo = s * d + h * hd;
          for (let i = 0; i < hd; i++) C.att[qo + i] = C.att[qo + i]! + p * C.v[vo + i]!;
        }
      }
    }
  }
}

/** log-softmax of row `r` of `logits` at `target` (natural log), without allocating. */
export function logProb(logits: Float32Array, r: number, vocab: number, target: number): number {
  const o = r * vocab;
  let max = -Infinity;
  for (let i = 0; i < vocab; i++) if (logits[o + i]! > max) max = logits[o + i]!;
  let sum = 0;
  for (let i = 0; i < vocab; i++) sum += Math.exp(logits[o + i]! - max);
  return logits[o + target]! - max - Math.log(sum);
}
