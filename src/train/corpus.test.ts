// The corpus picks the right files in a fixed order, holds out a stable ~10 % by file, and the byte
// tokenizer round-trips any text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isCorpusPath, isHeldOut, loadCorpus } from './corpus.js';
import { decode, encode } from './tokenizer.js';
import { makeSourceTree } from '../testkit/train/source-tree.js';

test('corpus paths: sources, tests, docs, READMEs, bench, scripts, native C; not builds or dependencies', () => {
  for (const p of ['src/train/model.ts', 'src/gen/store.test.ts', 'docs/ARCHITECTURE.md', 'README.md', 'src/llm/README.md',
    'bench/llm/train.sh', 'scripts/run-tests.mjs', 'native/init.c']) assert.ok(isCorpusPath(p), p);
  for (const p of ['dist/cli/main.js', 'package-lock.json', 'native/init', 'src/x.js', 'models/tiny.recipe.json']) assert.ok(!isCorpusPath(p), p);
});

test('the held-out split is by file, stable when files are added, and about 10 %', () => {
  const root = makeSourceTree(60);
  try {
    const before = loadCorpus(root);
    assert.ok(before.heldOut.length >= 2 && before.heldOut.length <= 15, `${before.heldOut.length} held out`);
    assert.deepEqual([...before.train.map((f) => f.path)].sort(), before.train.map((f) => f.path), 'fixed order');
    writeFileSync(join(root, 'src', 'extra.ts'), 'export {};\n');
    const after = loadCorpus(root);
    assert.notEqual(after.digest, before.digest);
    for (const f of before.heldOut) assert.ok(after.heldOut.some((g) => g.path === f.path), `${f.path} stays held out`);
    let held = 0;
    for (let i = 0; i < 2000; i++) if (isHeldOut(`src/f${i}.ts`, 1)) held++;
    assert.ok(held > 150 && held < 250, `${held} of 2000`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('byte tokenizer round-trips any string (property)', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
    const ids = encode(s);
    assert.ok(ids.every((i) => i >= 0 && i < 256));
    assert.equal(decode(ids), s);
  }), { numRuns: 500 });
});
