// AdamW with decoupled weight decay (matrices only, not norm gains), global-norm gradient clipping and a
// warmup-then-cosine learning-rate schedule.
import type { Layout } from './model.js';

export interface OptimizerSettings {
  lr: number;
  minLr: number;
  warmup: number;
  steps: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  gradClip: number;
}

/** Learning rate at `step` (0-based): linear warmup, then cosine from lr down to minLr at `steps`. */
export function learningRate(s: OptimizerSettings, step: number): number {
  if (step < s.warmup) return (s.lr * (step + 1)) / s.warmup;
  const span = Math.max(1, s.steps - s.warmup);
  const progress = Math.min(1, (step - s.warmup) / span);
  return s.minLr + 0.5 * (s.lr - s.minLr) * (1 + Math.cos(Math.PI * progress));
}

/** Optimizer moments; saved in checkpoints beside the weights. */
export class AdamW {
  readonly m: Float32Array;
  readonly v: Float32Array;
  private readonly decay: Uint8Array;

  constructor(layout: Layout, readonly settings: OptimizerSettings, m?: Float32Array, v?: Float32Array) {
    this.m = m ?? new Float32Array(layout.size);
    this.v = v ?? new Float32Array(layout.size);
    this.decay = new Uint8Array(layout.size);
    for (const s of layout.all) if (s.rows > 1) this.decay.fill(1, s.offset, s.offset + s.rows * s.cols);
  }

  /** Applies one update for 0-based `step`; returns the gradient's global norm before clipping. */
  step(params: Float32Array, grad: Float32Array, step: number): number {
    const s = this.settings;
    let sq = 0;
    for (let i = 0; i < grad.length; i++) sq += grad[i]! * grad[i]!;
    const norm = Math.sqrt(sq);
    const clip = s.gradClip > 0 && norm > s.gradClip ? s.gradClip / norm : 1;
    const lr = learningRate(s, step);
    const b1c = 1 - Math.pow(s.beta1, step + 1);
    const b2c = 1 - Math.pow(s.beta2, step + 1);
    const { m, v, decay } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i]! * clip;
      m[i] = s.beta1 * m[i]! + (1 - s.beta1) * g;
      v[i] = s.beta2 * v[i]! + (1 - s.beta2) * g * g;
      const upd = m[i]! / b1c / (Math.sqrt(v[i]! / b2c) + s.eps);
      params[i] = params[i]! - lr * (upd + (decay[i] ? s.weightDecay * params[i]! : 0));
    }
    return norm;
  }
}
