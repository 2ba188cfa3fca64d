// From a source tree to a GGUF: corpus, training (with checkpoints), export with provenance. Shared by
// `dialogos model train` and buildDefaultModel.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SPLIT_SEED, loadCorpus, type Corpus } from './corpus.js';
import { ModelFileError } from './errors.js';
import { modelToGguf, ggufToModel, type WeightType } from './gguf/model-gguf.js';
import { writeFileAtomicSync } from '../std/index.js';
import { modelConfig, type Recipe } from './recipe.js';
import { Scorer } from './scorer.js';
import { train, trainingTokens, type StepReport } from './trainer.js';

export interface TrainRunOptions {
  source: string;
  recipe: Recipe;
  outFile: string;
  checkpointDir?: string;
  resume?: boolean;
  steps?: number;
  threads?: number;
  maxSeconds?: number;
  type?: WeightType;
  onStep?: (r: StepReport) => void;
}

export interface TrainRunResult {
  file: string;
  sha256: string;
  bytes: number;
  step: number;
  steps: number;
  finished: boolean;
  resumedFrom: number;
  seconds: number;
  totalSeconds: number;
  tokensPerSecond: number;
  finalLoss: number | null;
  corpusDigest: string;
  corpus: { trainFiles: number; heldOutFiles: number; bytes: number };
}

/** Reads the corpus a recipe trains on. */
export function corpusFor(source: string, recipe: Recipe): Corpus {
  return loadCorpus(source, SPLIT_SEED, recipe.heldOutFraction);
}

/**
 * Trains (or resumes) on `source` and writes the GGUF atomically.
 * @throws CorpusError, CheckpointError
 */
export async function trainFromSource(o: TrainRunOptions): Promise<TrainRunResult> {
  const corpus = corpusFor(o.source, o.recipe);
  const steps = o.steps ?? o.recipe.train.steps;
  const r = await train({
    recipe: o.recipe, tokens: trainingTokens(corpus.train), corpusDigest: corpus.digest, checkpointDir: o.checkpointDir,
    resume: o.resume, steps, threads: o.threads, maxSeconds: o.maxSeconds, onStep: o.onStep,
  });
  const bytes = modelToGguf(modelConfig(o.recipe), r.params, {
    name: o.recipe.name, type: o.type ?? 'f32',
    provenance: { recipe: JSON.stringify(o.recipe), corpus_digest: corpus.digest, steps: r.step, seed: o.recipe.seed },
  });
  mkdirSync(dirname(o.outFile), { recursive: true });
  writeFileAtomicSync(o.outFile, bytes);
  return {
    file: o.outFile, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, step: r.step, steps,
    finished: r.finished, resumedFrom: r.resumedFrom, seconds: r.seconds, totalSeconds: r.totalSeconds,
    tokensPerSecond: r.tokensPerSecond, finalLoss: r.losses.at(-1) ?? null, corpusDigest: corpus.digest,
    corpus: { trainFiles: corpus.train.length, heldOutFiles: corpus.heldOut.length, bytes: corpus.bytes },
  };
}

/**
 * Loads a dialogos-mini GGUF as a Scorer (for eval and the scoring functions).
 * @throws ModelFileError when the file cannot be read; GgufFormatError when it is not a llama GGUF
 */
export function loadScorer(file: string): { scorer: Scorer; kv: Map<string, unknown> } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    const why = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new ModelFileError(`Cannot read model "${file}": ${why}; train one with "dialogos model train" or give --model FILE`, { cause });
  }
  const { config, params, kv } = ggufToModel(bytes, file);
  return { scorer: new Scorer(config, params), kv };
}
