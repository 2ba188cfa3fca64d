// The embedding re-ranker of plain answers: fused with BM25's order, a no-op without a model, and wired
// into the dialog through CodeTools.embed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grepCodeTools } from './code-grep.js';
import { createDialog } from './dialog.js';
import { memoryOs } from '../testkit/dialog/memory-os.js';
import { fixtureTree } from '../testkit/dialog/fixtures.js';
import { rerank } from './plain-rerank.js';
import type { Ranked } from './plain-index.js';

const r = (name: string, score: number): Ranked => ({ entry: { kind: 'function', path: `src/${name}.ts`, line: 1, endLine: 3, name, body: '' }, score, coverage: 1, strong: 1 });
/** Embeddings that put the question and texts naming `favourite` together, everything else apart. */
const favouring = (favourite: string) => async (texts: string[]) => texts.map((t, i) => (i === 0 || t.includes(favourite) ? [1, 0] : [0, 1]));

test('the embeddings lift BM25\'s second to first (a tie on fused rank goes to them); scores are kept', async () => {
  const out = await rerank('q', [r('a', 9), r('b', 8), r('c', 7)], favouring('function b'));
  assert.deepEqual(out.map((x) => x.entry.name), ['b', 'a', 'c']);
  assert.deepEqual(out.map((x) => x.score), [8, 9, 7]);
});

test('BM25\'s third does not jump over two: fusion keeps the words in the ranking', async () => {
  const out = await rerank('q', [r('a', 9), r('b', 8), r('c', 7)], favouring('function c'));
  assert.deepEqual(out.map((x) => x.entry.name), ['a', 'c', 'b']);
});

test('no model, or one candidate: the order is BM25\'s', async () => {
  const input = [r('a', 9), r('b', 8)];
  assert.deepEqual(await rerank('q', input, async () => null), input);
  assert.deepEqual(await rerank('q', [r('a', 1)], favouring('x')), [r('a', 1)]);
});

test('the dialog re-ranks plain answers with CodeTools.embed, and says so when it fails', async () => {
  const fx = await fixtureTree();
  try {
    const seen: string[][] = [];
    const code = { ...grepCodeTools(fx.root), embed: async (texts: string[]) => { seen.push(texts); return texts.map(() => [1, 0]); } };
    const a = await createDialog({ code, os: memoryOs(), model: null }).handle('which function writes a thing to disk');
    assert.equal(seen[0]![0], 'which function writes a thing to disk', 'the question is embedded with its candidates');
    assert.match(a.answer, /src\/store\/store\.ts:5/);
    const broken = { ...grepCodeTools(fx.root), embed: async () => { throw new Error('HTTP 500'); } };
    const b = await createDialog({ code: broken, os: memoryOs(), model: null }).handle('which function writes a thing to disk');
    assert.match(b.answer, /the embedding re-rank failed: HTTP 500; BM25 order/);
  } finally {
    await fx.dispose();
  }
});
