// Training lowers the loss, is deterministic for a recipe whatever the thread count, and the default-model
// build is byte-identical across runs and cached by (corpus, recipe).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDefaultModel } from './default-model.js';
import { corpusFor } from './pipeline.js';
import { loadRecipe } from './recipe.js';
import { train, trainingTokens } from './trainer.js';
import { checkpointFile } from './checkpoint.js';
import { makeSourceTree } from '../testkit/train/source-tree.js';

test('loss decreases on a small corpus, identically with 1 and 2 threads', async () => {
  const src = makeSourceTree();
  try {
    const recipe = loadRecipe('tiny');
    const corpus = corpusFor(src, recipe);
    assert.ok(corpus.heldOut.length > 0 && corpus.train.length > corpus.heldOut.length);
    const tokens = trainingTokens(corpus.train);
    const one = await train({ recipe, tokens, corpusDigest: corpus.digest, steps: 60, threads: 1 });
    const two = await train({ recipe, tokens, corpusDigest: corpus.digest, steps: 60, threads: 2 });
    assert.deepEqual(two.losses, one.losses);
    const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
    const first = mean(one.losses.slice(0, 5)), last = mean(one.losses.slice(-10));
    assert.ok(first > 5, `initial loss ${first} should be near ln(257)`);
    assert.ok(last < first - 2, `loss went from ${first} to ${last}`);
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
});

test('buildDefaultModel is byte-identical across runs and cached by corpus and recipe', async () => {
  const src = makeSourceTree(20);
  const a = mkdtempSync(join(tmpdir(), 'dgtrain-a-'));
  const b = mkdtempSync(join(tmpdir(), 'dgtrain-b-'));
  try {
    const recipe = { ...loadRecipe('tiny'), train: { ...loadRecipe('tiny').train, steps: 15 } };
    const r1 = await buildDefaultModel({ sourceRoot: src, outFile: join(a, 'm.gguf'), cacheDir: join(a, 'cache'), recipe });
    const r2 = await buildDefaultModel({ sourceRoot: src, outFile: join(b, 'm.gguf'), cacheDir: join(b, 'cache'), recipe, threads: 2 });
    assert.equal(r1.cached, false);
    assert.equal(r2.sha256, r1.sha256);
    const r3 = await buildDefaultModel({ sourceRoot: src, outFile: join(a, 'again.gguf'), cacheDir: join(a, 'cache'), recipe });
    assert.equal(r3.cached, true);
    assert.equal(r3.sha256, r1.sha256);
    writeFileSync(join(src, 'src', 'new.ts'), 'export const changed = true;\n');
    const r4 = await buildDefaultModel({ sourceRoot: src, outFile: join(a, 'changed.gguf'), cacheDir: join(a, 'cache'), recipe });
    assert.equal(r4.cached, false);
    assert.notEqual(r4.cacheKey, r1.cacheKey);
  } finally {
    for (const d of [src, a, b]) rmSync(d, { recursive: true, force: true });
  }
});

test('a truncated checkpoint is refused with CheckpointError', async () => {
  const src = makeSourceTree(10);
  const dir = mkdtempSync(join(tmpdir(), 'dgtrain-ck-'));
  try {
    const recipe = loadRecipe('tiny');
    const corpus = corpusFor(src, recipe);
    writeFileSync(checkpointFile(dir), 'DGCK1 but not really');
    await assert.rejects(
      train({ recipe, tokens: trainingTokens(corpus.train), corpusDigest: corpus.digest, steps: 2, checkpointDir: dir, resume: true }),
      (e: Error) => e.name === 'CheckpointError' && e.message.includes('checkpoint'),
    );
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
