// Loss and gradient of one training sequence: forward with Net, then the exact reverse-mode pass.
// Checked against finite differences in backward.test.ts.
import { linearBack, rmsnormBack, rope } from './kernels.js';
import { Net } from './forward.js';
import { view } from './model.js';

/** Reusable gradient scratch for one Net. */
export class Backprop {
  private readonly dx: Float32Array;
  private readonly dxMid: Float32Array;
  private readonly dxn: Float32Array;
  private readonly datt: Float32Array;
  private readonly dq: Float32Array;
  private readonly dk: Float32Array;
  private readonly dv: Float32Array;
  private readonly dact: Float32Array;
  private readonly dgate: Float32Array;
  private readonly dup: Float32Array;
  private readonly dlogits: Float32Array;
  private readonly dp: Float32Array;

  constructor(readonly net: Net) {
    const c = net.config, T = c.context, d = c.dim, f = c.ffn;
    const a = (n: number): Float32Array => new Float32Array(n);
    this.dx = a(T * d); this.dxMid = a(T * d); this.dxn = a(T * d); this.datt = a(T * d);
    this.dq = a(T * d); this.dk = a(T * d); this.dv = a(T * d);
    this.dact = a(T * f); this.dgate = a(T * f); this.dup = a(T * f);
    this.dlogits = a(T * c.vocab); this.dp = a(T);
  }

  /**
   * Mean cross-entropy (nats per token) of predicting seq[1..] from seq[..-1]; adds its gradient into `grad`
   * (same layout as params).
   */
  lossAndGrad(params: Float32Array, grad: Float32Array, seq: ArrayLike<number>): number {
    const net = this.net, c = net.config, L = net.layout;
    const T = seq.length - 1, d = c.dim, V = c.vocab;
    const input = Array.prototype.slice.call(seq, 0, T) as number[];
    const logits = net.forward(params, input);
    const A = net.acts;
    const loss = this.crossEntropyBack(logits, seq, T, V);
    const dl = this.dlogits;
    const dx = this.dx, dxn = this.dxn;
    dxn.fill(0, 0, T * d);
    linearBack(dxn, view(grad, L.output), dl, A.xnF, view(params, L.output), T, d, V);
    dx.fill(0, 0, T * d);
    rmsnormBack(dx, view(grad, L.outNorm), dxn, A.xOut, view(params, L.outNorm), A.invF, T, d);
    for (let l = c.layers - 1; l >= 0; l--) this.layerBack(params, grad, l, T);
    const gEmb = view(grad, L.embd);
    for (let t = 0; t < T; t++) {
      const o = A.tokens[t]! * d;
      for (let i = 0; i < d; i++) gEmb[o + i] = gEmb[o + i]! + dx[t * d + i]!;
    }
    return loss / T;
  }

  /** Softmax cross-entropy over the logits: writes d(loss)/d(logits) into dlogits, returns the summed loss. */
  private crossEntropyBack(logits: Float32Array, seq: ArrayLike<number>, T: number, V: number): number {
    let loss = 0;
    const dl = this.dlogits;
    for (let t = 0; t < T; t++) {
      const o = t * V;
      let max = -Infinity;
      for (let i = 0; i < V; i++) if (logits[o + i]! > max) max = logits[o + i]!;
      let sum = 0;
      for (let i = 0; i < V; i++) { const e = Math.exp(logits[o + i]! - max); dl[o + i] = e; sum += e; }
      const target = seq[t + 1]!;
      loss += -(logits[o + target]! - max - Math.log(sum));
      for (let i = 0; i < V; i++) dl[o + i] = dl[o + i]! / sum / T;
      dl[o + target] = dl[o + target]! - 1 / T;
    }
    return loss;
  }

  /** Back through layer `l` (FFN, then attention): dx holds d(loss)/d(layer output) on entry, d/d(input) on exit. */
  private layerBack(params: Float32Array, grad: Float32Array, l: number, T: number): void {
    const net = this.net, c = net.config, L = net.layout, A = net.acts;
    const d = c.dim, f = c.ffn, H = c.heads, hd = net.headDim;
    const dx = this.dx, dxn = this.dxn;
    const scale = 1 / Math.sqrt(hd);
    const S = L.layers[l]!, C = A.layers[l]!;
    // FFN: next = down(silu(gate)·up) + xMid
    const dxMid = this.dxMid;
    dxMid.set(dx.subarray(0, T * d));
    this.dact.fill(0, 0, T * f);
    linearBack(this.dact, view(grad, S.wDown), dx, C.act, view(params, S.wDown), T, f, d);
    for (let i = 0; i < T * f; i++) {
      const g = C.gate[i]!, sg = 1 / (1 + Math.exp(-g));
      this.dup[i] = this.dact[i]! * g * sg;
      this.dgate[i] = this.dact[i]! * C.up[i]! * sg * (1 + g * (1 - sg));
    }
    dxn.fill(0, 0, T * d);
    linearBack(dxn, view(grad, S.wGate), this.dgate, C.xn2, view(params, S.wGate), T, d, f);
    linearBack(dxn, view(grad, S.wUp), this.dup, C.xn2, view(params, S.wUp), T, d, f);
    rmsnormBack(dxMid, view(grad, S.ffnNorm), dxn, C.xMid, view(params, S.ffnNorm), C.inv2, T, d);
    // Attention: xMid = wo(att) + xIn
    dx.set(dxMid.subarray(0, T * d));
    this.datt.fill(0, 0, T * d);
    linearBack(this.datt, view(grad, S.wo), dxMid, C.att, view(params, S.wo), T, d, d);
    this.attentionBack(C.probs, C.q, C.k, C.v, T, d, H, hd, scale);
    rope(this.dq, T, d, hd, net.cos, net.sin, -1);
    rope(this.dk, T, d, hd, net.cos, net.sin, -1);
    dxn.fill(0, 0, T * d);
    linearBack(dxn, view(grad, S.wq), this.dq, C.xn1, view(params, S.wq), T, d, d);
    linearBack(dxn, view(grad, S.wk), this.dk, C.xn1, view(params, S.wk), T, d, d);
    linearBack(dxn, view(grad, S.wv), this.dv, C.xn1, view(params, S.wv), T, d, d);
    rmsnormBack(dx, view(grad, S.attnNorm), dxn, C.xIn, view(params, S.attnNorm), C.inv1, T, d);
  }

  private attentionBack(
    probs: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, T: number, d: number, H: number, hd: number, scale: number,
  ): void {
    const { datt, dq, dk, dv, dp } = this;
    dq.fill(0, 0, T * d); dk.fill(0, 0, T * d); dv.fill(0, 0, T * d);
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < T; t++) {
        const pr = (h * T + t) * T;
        const qo = t * d + h * hd;
        let dot = 0;
        for (let s = 0; s <= t; s++) {
          const vo = s * d + h * hd;
          const p = probs[pr + s]!;
          let g = 0;
          for (let i = 0; i < hd; i++) { g += datt[qo + i]! * v[vo + i]!; dv[vo + i] = dv[vo + i]! + p * datt[qo + i]!; }
          dp[s] = g;
          dot += p * g;
        }
        for (let s = 0; s <= t; s++) {
          const ds = probs[pr + s]! * (dp[s]! - dot) * scale;
          if (ds === 0) continue;
          const ko = s * d + h * hd;
          for (let i = 0; i < hd; i++) {
            dq[qo + i] = dq[qo + i]! + ds * k[ko + i]!;
            dk[ko + i] = dk[ko + i]! + ds * q[qo + i]!;
          }
        }
      }
    }
  }
}
