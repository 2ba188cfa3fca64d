// The default model is rebuilt, not trusted: the image build trains it from the generation's own source with
// the shipped recipe. The result is deterministic for (corpus digest, recipe), so it is cached under that key
// and an interrupted build resumes from its checkpoint.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomicSync } from '../std/index.js';
import { corpusFor, trainFromSource } from './pipeline.js';
import { loadRecipe, type Recipe } from './recipe.js';
import type { StepReport } from './trainer.js';

/** Bumped whenever the trainer's arithmetic or file format changes, so old caches are not reused. */
export const TRAINER_VERSION = 1;

export interface BuildDefaultModelOptions {
  sourceRoot: string;
  outFile: string;
  cacheDir: string;
  /** `default` unless a test asks for `tiny` or a file. */
  recipe?: string | Recipe;
  threads?: number;
  onStep?: (r: StepReport) => void;
}

export interface BuildDefaultModelResult {
  file: string;
  sha256: string;
  bytes: number;
  seconds: number;
  cached: boolean;
  cacheKey: string;
  corpusDigest: string;
  recipe: string;
  steps: number;
  tokensPerSecond: number | null;
  finalLoss: number | null;
}

/**
 * Builds (or takes from the cache) the default dialogos-mini GGUF for a source tree.
 * @throws CorpusError, RecipeError, CheckpointError
 */
export async function buildDefaultModel(o: BuildDefaultModelOptions): Promise<BuildDefaultModelResult> {
  const t0 = performance.now();
  const recipe = typeof o.recipe === 'object' ? o.recipe : loadRecipe(o.recipe ?? 'default');
  const corpus = corpusFor(o.sourceRoot, recipe);
  const cacheKey = createHash('sha256').update(`${TRAINER_VERSION}\n${corpus.digest}\n${JSON.stringify(recipe)}`).digest('hex').slice(0, 24);
  const cached = join(o.cacheDir, `${recipe.name}-${cacheKey}.gguf`);
  mkdirSync(dirname(o.outFile), { recursive: true });
  let tokensPerSecond: number | null = null, finalLoss: number | null = null;
  const hit = existsSync(cached);
  if (!hit) {
    const r = await trainFromSource({
      source: o.sourceRoot, recipe, outFile: cached, checkpointDir: join(o.cacheDir, `checkpoint-${cacheKey}`), resume: true,
      threads: o.threads, onStep: o.onStep,
    });
    tokensPerSecond = r.tokensPerSecond;
    finalLoss = r.finalLoss;
  }
  const bytes = readFileSync(cached);
  if (o.outFile !== cached) writeFileAtomicSync(o.outFile, bytes);
  return {
    file: o.outFile, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length,
    seconds: (performance.now() - t0) / 1000, cached: hit, cacheKey, corpusDigest: corpus.digest, recipe: recipe.name,
    steps: recipe.train.steps, tokensPerSecond, finalLoss,
  };
}
