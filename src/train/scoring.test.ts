// The n-gram baseline is a proper distribution; windowed scoring equals a direct forward pass; the scoring
// functions find the planted oddity in text a model trained on that kind of text has learned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Net, logProb } from './forward.js';
import { initParams, type ModelConfig } from './model.js';
import { KneserNey } from './ngram.js';
import { Scorer } from './scorer.js';
import { infill, lineSurprise, rankCandidates } from './scoring.js';
import { loadRecipe, modelConfig } from './recipe.js';
import { train } from './trainer.js';
import { EOT, encode } from './tokenizer.js';

test('Kneser-Ney distributions sum to 1 and prob() agrees with dist() (property)', () => {
  const lm = new KneserNey(4, 257).fit(encode('the cat sat on the mat; the cat ate the rat.\n'.repeat(3)));
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 256 }), { maxLength: 6 }), fc.integer({ min: 0, max: 256 }), (hist, w) => {
    const d = lm.dist(hist);
    const sum = d.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `sum ${sum}`);
    assert.ok(Math.abs(lm.prob(hist, w) - d[w]!) < 1e-12);
  }), { numRuns: 300 });
  assert.ok(lm.prob(encode('the c'), encode('a')[0]!) > 0.5);
});

test('windowed scoring of a long text equals direct forward passes on each window', () => {
  const c: ModelConfig = { vocab: 257, dim: 16, layers: 1, heads: 2, ffn: 24, context: 8, normEps: 1e-5, ropeBase: 10000 };
  const params = initParams(c, 2);
  for (let i = 0; i < params.length; i++) params[i] = params[i]! * 10;
  const tokens = [EOT, ...encode('abcdefghijklmnopqrstu')];
  const s = new Scorer(c, params).score(tokens);
  const net = new Net(c);
  // Position 13 is scored by the window starting at 8 (stride 4, second half of the window at 4 covers 8..11).
  const logits = net.forward(params, tokens.slice(8, 16));
  assert.ok(Math.abs(s.logp[13]! - logProb(logits, 13 - 8 - 1, 257, tokens[13]!)) < 1e-9);
  const first = net.forward(params, tokens.slice(0, 8));
  assert.ok(Math.abs(s.logp[3]! - logProb(first, 2, 257, tokens[3]!)) < 1e-9);
  for (let i = 1; i < tokens.length; i++) assert.ok(s.logp[i]! < 0, `position ${i} scored`);
});

test('a trained model flags the odd line, ranks the right edit first and infills the masked word', async () => {
  const recipe = { ...loadRecipe('tiny'), model: { ...loadRecipe('tiny').model, context: 48 } };
  const text = 'const total = price * count;\nreturn total;\n';
  const tokens = new Uint16Array([...Array.from({ length: 200 }, () => [EOT, ...encode(text)]).flat()]);
  const r = await train({ recipe, tokens, corpusDigest: 'x', steps: 150 });
  const scorer = new Scorer(modelConfig(recipe), r.params);
  const lines = lineSurprise(scorer, `${text}${text}zq!@ x%%\n${text}`);
  const worst = lines.reduce((a, b) => (b.bitsPerByte > a.bitsPerByte ? b : a));
  assert.equal(worst.text, 'zq!@ x%%');
  const ranked = rankCandidates(scorer, `${text}const total = `, ['count / price;', 'price * count;', 'banana;']);
  assert.equal(ranked[0]!.candidate, 'price * count;');
  const filled = infill(scorer, `${text}const total = price * `, ';\nreturn total;\n', { candidates: ['price', 'count', 'total'] });
  assert.equal(filled.text, 'count');
  const free = infill(scorer, `${text}const total = `, '\nreturn total;\n');
  assert.equal(free.text, 'price * count;');
});
