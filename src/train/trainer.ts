// The training loop: deterministic batches from a seeded RNG, AdamW, atomic checkpoints every N steps,
// and a wall-clock budget. A resumed run continues the exact same loss curve (trainer.test.ts kills one).
import { AdamW } from './adamw.js';
import { checkpointFile, loadCheckpoint, saveCheckpoint, type CheckpointMeta } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import { localEngine, workerEngine, workersAvailable } from './grad-engine.js';
import { initParams, layoutOf } from './model.js';
import { modelConfig, optimizerSettings, type Recipe } from './recipe.js';
import { Rng } from './rng.js';
import { EOT } from './tokenizer.js';
import type { CorpusFile } from './corpus.js';

/** One step's report, for progress bars and logs. */
export interface StepReport {
  step: number;
  steps: number;
  loss: number;
  tokensPerSecond: number;
  etaSeconds: number;
  checkpointed: boolean;
}

export interface TrainOptions {
  recipe: Recipe;
  /** Training tokens (files joined with EOT), from trainingTokens(). */
  tokens: Uint16Array;
  corpusDigest: string;
  /** Folder for checkpoint.bin; none means no checkpoints. */
  checkpointDir?: string;
  /** Continue from the checkpoint in checkpointDir when there is one. */
  resume?: boolean;
  /** Total steps to reach (default: the recipe's); a resumed run may extend past the recipe. */
  steps?: number;
  threads?: number;
  /** Stop (after checkpointing) once this many seconds of this run have passed. */
  maxSeconds?: number;
  onStep?: (r: StepReport) => void;
}

export interface TrainResult {
  params: Float32Array;
  step: number;
  losses: number[];
  tokensSeen: number;
  /** Seconds of training in this run, and over all resumed runs. */
  seconds: number;
  totalSeconds: number;
  tokensPerSecond: number;
  finished: boolean;
  resumedFrom: number;
}

/** Joins training files into one token stream, each file followed by the end-of-text token. */
export function trainingTokens(files: CorpusFile[]): Uint16Array {
  const parts = files.map((f) => Buffer.from(f.text, 'utf8'));
  const out = new Uint16Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; out[o++] = EOT; }
  return out;
}

/** The shape string a checkpoint must match to be resumed. */
export function shapeOf(recipe: Recipe): string {
  return JSON.stringify({ tokenizer: recipe.tokenizer, model: recipe.model, batch: recipe.train.batch });
}

/**
 * Trains (or resumes) a model for the recipe.
 * @throws CheckpointError when resuming from a checkpoint of another shape
 */
export async function train(o: TrainOptions): Promise<TrainResult> {
  const { recipe, tokens } = o;
  const config = modelConfig(recipe);
  const layout = layoutOf(config);
  const T = config.context, B = recipe.train.batch;
  if (tokens.length < T + 2) throw new CheckpointError(`Cannot train on ${tokens.length} tokens: the corpus is smaller than one context of ${T}`);
  const steps = o.steps ?? recipe.train.steps;
  const settings = { ...optimizerSettings(recipe), steps: Math.max(steps, recipe.train.steps) };
  const file = o.checkpointDir ? checkpointFile(o.checkpointDir) : null;
  const ck = o.resume && file ? loadCheckpoint(file) : null;
  if (ck && ck.meta.shape !== shapeOf(recipe)) {
    throw new CheckpointError(`Cannot resume from "${file}": it was trained with ${ck.meta.shape}, the recipe asks for ${shapeOf(recipe)}; train without --resume`);
  }
  const threads = Math.max(1, Math.min(o.threads ?? 1, B));
  const engine = threads > 1 && workersAvailable() ? workerEngine(config, layout.size, B, threads) : localEngine(config, layout.size, B);
  const params = engine.params;
  params.set(ck ? ck.params : initParams(config, recipe.seed));
  const opt = new AdamW(layout, settings, ck?.m, ck?.v);
  const rng = ck ? Rng.from(ck.meta.rng) : new Rng(recipe.seed ^ 0x5eed);
  const losses = ck ? [...ck.meta.losses] : [];
  let step = ck?.meta.step ?? 0;
  let tokensSeen = ck?.meta.tokensSeen ?? 0;
  const priorSeconds = ck?.meta.seconds ?? 0;
  const resumedFrom = step;
  const grad = new Float32Array(layout.size);
  const t0 = performance.now();
  const elapsed = (): number => (performance.now() - t0) / 1000;
  const meta = (): CheckpointMeta => ({
    recipe: recipe.name, shape: shapeOf(recipe), corpusDigest: o.corpusDigest, step, rng: rng.state(), tokensSeen,
    seconds: priorSeconds + elapsed(), losses,
  });
  const save = (): void => { if (file) saveCheckpoint(file, { meta: meta(), params, m: opt.m, v: opt.v }); };
  try {
    while (step < steps && !(o.maxSeconds !== undefined && elapsed() >= o.maxSeconds)) {
      const seqs: Uint16Array[] = [];
      for (let b = 0; b < B; b++) {
        const off = rng.int(tokens.length - T - 1);
        seqs.push(tokens.slice(off, off + T + 1));
      }
      const loss = await engine.batch(seqs, grad);
      opt.step(params, grad, step);
      losses.push(loss);
      step++;
      tokensSeen += B * T;
      const checkpointed = step % recipe.train.checkpointEvery === 0 || step === steps;
      if (checkpointed) save();
      const rate = ((step - resumedFrom) * B * T) / Math.max(elapsed(), 1e-9);
      o.onStep?.({ step, steps, loss, tokensPerSecond: rate, etaSeconds: ((steps - step) * B * T) / Math.max(rate, 1e-9), checkpointed });
    }
    if (file && step % recipe.train.checkpointEvery !== 0 && step !== steps) save();
  } finally {
    await engine.close();
  }
  const seconds = elapsed();
  return {
    params: new Float32Array(params), step, losses, tokensSeen, seconds, totalSeconds: priorSeconds + seconds,
    tokensPerSecond: ((step - resumedFrom) * B * T) / Math.max(seconds, 1e-9), finished: step >= steps, resumedFrom,
  };
}
