// Ranking by naturalness: a Kneser-Ney 5-gram trained on this tree's training split prefers the original
// code over first-order mutants of held-out files, and the ranking proposer puts the fix of a mutant first.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ts from 'typescript';
import { loadCorpus } from '../../train/corpus.js';
import { seedDefects } from '../defects/index.js';
import type { Proposal } from '../types.js';
import { applyEdit } from './edit.js';
import { fixRanking } from './fix-ranking.js';
import { mutationProposer } from './mutation.js';
import { MUTATION_OPERATORS } from './operators.js';
import { initParams } from '../../train/model.js';
import { Scorer } from '../../train/scorer.js';
import { changedLines, memoSpans, modelSpanScorer, ngramSpanScorer, rankedProposer, trainNgram, type SpanScorer } from './rank.js';
import { mutationSites } from './sites.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const isCode = (p: string) => p.startsWith('src/') && p.endsWith('.ts') && !p.endsWith('.test.ts');

describe('ranking by naturalness', () => {
  let spans: SpanScorer;
  let heldOut: Array<{ path: string; text: string }>;
  before(() => {
    const corpus = loadCorpus(repo);
    // A third of the training files keeps the fit to a few seconds; held-out files were never seen.
    spans = ngramSpanScorer(trainNgram(corpus.train.filter((f, i) => isCode(f.path) && i % 3 === 0).map((f) => f.text)));
    heldOut = corpus.heldOut.filter((f) => isCode(f.path));
  });

  it('finds the changed lines of an edit', () => {
    assert.deepEqual(changedLines('a\nb c\nd\n', 'a\nb x c\nd\n'), { prefix: 'a\n', was: 'b c', now: 'b x c', suffix: '\nd\n' });
    assert.deepEqual(changedLines('a\nb\n', 'a\n\n'), { prefix: 'a\n', was: 'b', now: '', suffix: '\n' });
  });

  it('puts the original code above a mutant on held-out files more often than chance', (t) => {
    const ops = ['swap-relational', 'boundary', 'swap-equality', 'swap-logical', 'literal-boolean', 'swap-arithmetic'];
    const pick = Object.fromEntries(ops.map((o) => [o, MUTATION_OPERATORS[o]!]));
    let wins = 0, n = 0;
    for (const f of heldOut) {
      const sites = mutationSites(ts, f.path, f.text, pick);
      for (const s of sites.filter((_, i) => i % 7 === 0)) {
        const d = changedLines(f.text, applyEdit(f.text, s.edit));
        const orig = spans.logProb(d.prefix.slice(-2000), d.was, d.suffix);
        const mutant = spans.logProb(d.prefix.slice(-2000), d.now, d.suffix);
        if (orig > mutant) wins++;
        n++;
      }
    }
    t.diagnostic(`5-gram prefers the original on ${wins}/${n} held-out mutants (${(100 * wins / n).toFixed(1)} %)`);
    assert.ok(n >= 30, `too few held-out sites: ${n}`);
    assert.ok(wins / n > 0.6, `the 5-gram preferred the original only ${wins}/${n} times`);
  });

  it('puts the unique fix of seeded held-out defects first more often than random order does', (t) => {
    const ds = seedDefects(ts, { root: repo, files: heldOut.map((f) => f.path), seed: 4, count: 80 });
    const r = fixRanking(ts, spans, ds);
    const first = `${r.hits.filter(Boolean).length}/${r.reachable} seeded held-out defects (${(100 * r.top1).toFixed(1)} %)`;
    t.diagnostic(`fix ranked first on ${first}, random order ${(100 * r.random).toFixed(1)} %, ${r.candidates.toFixed(1)} candidates each`);
    assert.ok(r.reachable >= 30, `too few defects with a one-operator fix: ${r.reachable}`);
    assert.ok(r.top1 > r.random + 0.1, `5-gram top-1 ${r.top1} is not clearly above random ${r.random}`);
    const fn = fixRanking(ts, spans, ds.slice(0, 20), { scope: 'function' });
    assert.ok(fn.candidates > r.candidates && fn.reachable > 0, 'a function offers more candidates than a line');
  });

  it('ranks the fix of a mutant first among the mutation proposals', async () => {
    const fixed = [
      'export function sum(items: number[]): number {',
      '  let total = 0;',
      '  for (let i = 0; i < items.length; i++) {',
      '    total += items[i]!;',
      '  }',
      '  return total;',
      '}', ''].join('\n');
    const root = await mkdtemp(join(tmpdir(), 'evolve-rank-'));
    try {
      await mkdir(join(root, 'src'));
      await writeFile(join(root, 'src/sum.ts'), fixed.replace('i < items.length', 'i > items.length'));
      const ranked = rankedProposer(mutationProposer(ts), spans);
      const got: Proposal[] = [];
      const ctx = { root, target: { kind: 'tests' as const, failToPass: [], origin: 'test' }, suspects: [{ path: 'src/sum.ts', line: 3, score: 1 }], limit: 3, seed: 1 };
      for await (const p of ranked.propose(ctx)) got.push(p);
      assert.equal(got.length, 3);
      assert.equal(got[0]!.changes[0]!.after, fixed, `first was ${got[0]!.description}`);
      assert.ok(got[0]!.prior > 0 && got[0]!.prior >= got[1]!.prior);
      assert.match(ranked.name, /ranked\(mutation, 5-gram\)/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('scores spans with a dialogos-mini-shaped model through rankEdits, once per distinct span', () => {
    const config = { vocab: 257, dim: 16, layers: 1, heads: 2, ffn: 32, context: 64, normEps: 1e-5, ropeBase: 10000 };
    const model = modelSpanScorer(new Scorer(config, initParams(config, 1)));
    let calls = 0;
    const counted = memoSpans({ name: model.name, lookahead: model.lookahead, logProb: (b, s, a) => { calls++; return model.logProb(b, s, a); } });
    const lp = counted.logProb('const a = ', '1', ';\n');
    assert.ok(Number.isFinite(lp) && lp < 0);
    assert.equal(counted.logProb('const a = ', '1', ';\n'), lp);
    assert.notEqual(counted.logProb('const a = ', '2', ';\n'), undefined);
    assert.equal(calls, 2);
    assert.equal(model.name, 'dialogos-mini');
  });
});
