// The dialogos-mini architecture: a llama-style decoder (RMSNorm, RoPE in llama.cpp's "normal" adjacent-pair
// mode, multi-head attention, SwiGLU FFN, untied output) whose parameters live in one Float32Array, so the
// optimizer, checkpoints and the GGUF writer all see the same flat layout.
import { Rng } from './rng.js';

/** Shape of a model; everything the forward pass and the GGUF metadata need. */
export interface ModelConfig {
  vocab: number;
  dim: number;
  layers: number;
  heads: number;
  ffn: number;
  context: number;
  normEps: number;
  ropeBase: number;
}

/** Where one named tensor lives in the flat parameter array; `shape` is [rows, cols] row-major (rows = out). */
export interface TensorSlot {
  name: string;
  offset: number;
  rows: number;
  cols: number;
}

export interface LayerSlots {
  attnNorm: TensorSlot; wq: TensorSlot; wk: TensorSlot; wv: TensorSlot; wo: TensorSlot;
  ffnNorm: TensorSlot; wGate: TensorSlot; wUp: TensorSlot; wDown: TensorSlot;
}

export interface Layout {
  embd: TensorSlot;
  layers: LayerSlots[];
  outNorm: TensorSlot;
  output: TensorSlot;
  /** All slots in GGUF order. */
  all: TensorSlot[];
  size: number;
}

/** Computes the flat layout of a config; names are llama.cpp's GGUF tensor names. */
export function layoutOf(c: ModelConfig): Layout {
  let offset = 0;
  const all: TensorSlot[] = [];
  const slot = (name: string, rows: number, cols: number): TensorSlot => {
    const s = { name, offset, rows, cols };
    offset += rows * cols;
    all.push(s);
    return s;
  };
  const embd = slot('token_embd.weight', c.vocab, c.dim);
  const layers: LayerSlots[] = [];
  for (let l = 0; l < c.layers; l++) {
    const p = `blk.${l}.`;
    layers.push({
      attnNorm: slot(`${p}attn_norm.weight`, 1, c.dim),
      wq: slot(`${p}attn_q.weight`, c.dim, c.dim),
      wk: slot(`${p}attn_k.weight`, c.dim, c.dim),
      wv: slot(`${p}attn_v.weight`, c.dim, c.dim),
      wo: slot(`${p}attn_output.weight`, c.dim, c.dim),
      ffnNorm: slot(`${p}ffn_norm.weight`, 1, c.dim),
      wGate: slot(`${p}ffn_gate.weight`, c.ffn, c.dim),
      wUp: slot(`${p}ffn_up.weight`, c.ffn, c.dim),
      wDown: slot(`${p}ffn_down.weight`, c.dim, c.ffn),
    });
  }
  const outNorm = slot('output_norm.weight', 1, c.dim);
  const output = slot('output.weight', c.vocab, c.dim);
  return { embd, layers, outNorm, output, all, size: offset };
}

/** A view of one tensor inside the flat array (no copy). */
export function view(params: Float32Array, s: TensorSlot): Float32Array {
  return params.subarray(s.offset, s.offset + s.rows * s.cols);
}

/**
 * Fresh parameters for a seed: norms at 1, matrices normal(0, 0.02), residual projections scaled down by
 * sqrt(2·layers) as in GPT-2, so deep stacks start near the identity.
 */
export function initParams(c: ModelConfig, seed: number): Float32Array {
  const layout = layoutOf(c);
  const p = new Float32Array(layout.size);
  const rng = new Rng(seed);
  const residual = new Set<TensorSlot>(layout.layers.flatMap((l) => [l.wo, l.wDown]));
  for (const s of layout.all) {
    const v = view(p, s);
    if (s.rows === 1) { v.fill(1); continue; }
    const std = residual.has(s) ? 0.02 / Math.sqrt(2 * c.layers) : 0.02;
    for (let i = 0; i < v.length; i++) v[i] = rng.normal() * std;
  }
  return p;
}

/** Number of trainable parameters. */
export function paramCount(c: ModelConfig): number {
  return layoutOf(c).size;
}
