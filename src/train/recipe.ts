// Recipes: everything that decides a trained model (architecture, tokenizer, schedule, seed) as data, read
// from models/*.recipe.json. A recipe plus a corpus digest names a model exactly.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RecipeError } from './errors.js';
import type { ModelConfig } from './model.js';
import type { OptimizerSettings } from './adamw.js';
import { VOCAB } from './tokenizer.js';

const RecipeSchema = z.object({
  name: z.string().min(1),
  seed: z.number().int().nonnegative(),
  tokenizer: z.literal('byte'),
  model: z.object({
    dim: z.number().int().positive(), layers: z.number().int().positive(), heads: z.number().int().positive(),
    ffn: z.number().int().positive(), context: z.number().int().min(2).max(4096),
    normEps: z.number().positive().default(1e-5), ropeBase: z.number().positive().default(10000),
  }).refine((m) => m.dim % m.heads === 0 && (m.dim / m.heads) % 2 === 0, 'dim / heads must be an even integer'),
  train: z.object({
    steps: z.number().int().positive(), batch: z.number().int().positive(),
    lr: z.number().positive(), minLr: z.number().nonnegative(), warmup: z.number().int().nonnegative(),
    beta1: z.number().default(0.9), beta2: z.number().default(0.95), eps: z.number().default(1e-8),
    weightDecay: z.number().nonnegative().default(0.01), gradClip: z.number().nonnegative().default(1),
    checkpointEvery: z.number().int().positive().default(25),
  }),
  heldOutFraction: z.number().min(0).max(0.9).default(0.1),
});

export type Recipe = z.infer<typeof RecipeSchema>;

/** The folder of shipped recipes (models/ at the source root). */
export function recipesDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'models', 'dialogos-mini.recipe.json'))) return join(dir, 'models');
  }
  throw new RecipeError('Cannot find the models/ folder of recipes above this program; give --recipe FILE');
}

/**
 * Loads `default`, `tiny` or a recipe file.
 * @throws RecipeError when the file is missing or does not match the schema
 */
export function loadRecipe(nameOrFile: string): Recipe {
  const file = nameOrFile === 'default' ? join(recipesDir(), 'dialogos-mini.recipe.json')
    : nameOrFile === 'tiny' ? join(recipesDir(), 'tiny.recipe.json') : nameOrFile;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new RecipeError(`Cannot read recipe "${file}": ${(cause as Error).message}; use default, tiny or a JSON file`, { cause });
  }
  const r = RecipeSchema.safeParse(raw);
  if (!r.success) {
    throw new RecipeError(`Cannot use recipe "${file}": ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

/** The model shape of a recipe. */
export function modelConfig(r: Recipe): ModelConfig {
  return { vocab: VOCAB, ...r.model };
}

/** The optimizer settings of a recipe. */
export function optimizerSettings(r: Recipe): OptimizerSettings {
  const t = r.train;
  return { lr: t.lr, minLr: t.minLr, warmup: t.warmup, steps: t.steps, beta1: t.beta1, beta2: t.beta2, eps: t.eps, weightDecay: t.weightDecay, gradClip: t.gradClip };
}
