// The loop learns what became of its promotions: a staged generation the store marked bad is recorded as
// rolled back (with the store's reason), never promoted again and never chosen as a parent; a good one is
// recorded as blessed; one still on trial stays staged. The ledger survives a torn last line.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openArchive, type Archive } from '../archive/archive.js';
import { promotionLines, promotions, recordPromotion, type PromotionRecord } from '../archive/promotions.js';
import { candidateRecord } from '../../testkit/evolve/archive-records.js';
import { chooseParent } from './parent.js';
import { learnPromotionOutcomes, promotionOutcomes, rolledBack } from './outcome.js';
import { preparePromotion } from './promote.js';

const staged = (candidate: string, generation: string): PromotionRecord => ({
  schema: 1, candidate, generation, outcome: 'staged', reason: 'staged with 1 tries', at: new Date(0).toISOString(),
});

function withArchive(fn: (a: Archive, dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-outcome-'));
  const a = openArchive(dir);
  try {
    fn(a, dir);
  } finally {
    a.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a fallen-back generation is recorded as rolled back, a blessed one as blessed, one on trial stays staged', () => {
  withArchive((a) => {
    const [bad, good, trial] = [1, 2, 3].map((n) => candidateRecord('r-1', n, { decision: 'accepted', fitness: n }));
    for (const c of [bad!, good!, trial!]) a.putCandidate(c);
    recordPromotion(a, staged(bad!.id, 'g2-aaaaaaaaaaaa'));
    recordPromotion(a, staged(good!.id, 'g3-bbbbbbbbbbbb'));
    recordPromotion(a, staged(trial!.id, 'g4-cccccccccccc'));
    const gens = {
      'g2-aaaaaaaaaaaa': { status: 'bad', badReason: 'tries exhausted' },
      'g3-bbbbbbbbbbbb': { status: 'good', badReason: null },
      'g4-cccccccccccc': { status: 'staged', badReason: null },
    };
    const seen = promotionOutcomes(a, gens);
    assert.equal(seen.get(bad!.id)?.outcome, 'rolled-back');
    assert.equal(promotions(a).get(bad!.id)?.outcome, 'staged', 'the view alone writes nothing');

    const learned = learnPromotionOutcomes(a, gens, new Date(5));
    assert.deepEqual(learned.map((r) => [r.candidate, r.outcome]), [[bad!.id, 'rolled-back'], [good!.id, 'blessed']]);
    assert.match(promotions(a).get(bad!.id)!.reason, /generation g2-aaaaaaaaaaaa fell back: tries exhausted/);
    assert.equal(promotions(a).get(trial!.id)?.outcome, 'staged');
    assert.deepEqual(learnPromotionOutcomes(a, gens), [], 'an outcome is recorded once');
    assert.deepEqual([...rolledBack(a)], [bad!.id]);

    // A collected generation, or a store that never had it, teaches nothing.
    assert.deepEqual(learnPromotionOutcomes(a, {}), []);
  });
});

test('a rolled-back candidate is never promoted again, nor it or its descendants chosen as a parent', () => {
  withArchive((a) => {
    const best = candidateRecord('r-1', 1, { decision: 'accepted', fitness: 9 });
    const next = candidateRecord('r-1', 2, { decision: 'accepted', fitness: 1 });
    const child = candidateRecord('r-1', 3, { decision: 'accepted', fitness: 8, parent: best.id });
    a.putCandidate(best);
    a.putCandidate(next);
    a.putCandidate(child);
    assert.equal(chooseParent(a.candidates('r-1'), rolledBack(a)), best.id);
    recordPromotion(a, staged(best.id, 'g2-aaaaaaaaaaaa'));
    learnPromotionOutcomes(a, { 'g2-aaaaaaaaaaaa': { status: 'bad', badReason: 'health check "cli-starts" failed' } });
    assert.throws(() => preparePromotion(a, best.id, { source: '/nonexistent' }), {
      name: 'CandidateRolledBackError', message: new RegExp(`Cannot promote candidate "${best.id}": it was rolled back \\(generation g2-aaaaaaaaaaaa fell back: health check "cli-starts" failed\\)`),
    });
    assert.equal(chooseParent(a.candidates('r-1'), rolledBack(a)), next.id, 'the rolled-back candidate and its child yield');
    assert.equal(chooseParent(a.candidates('r-1')), best.id, 'and is excluded only by the ledger');
  });
});

test('a torn last ledger line (kill -9 while appending) is skipped, and the next record stays whole', () => {
  withArchive((a, dir) => {
    const c = candidateRecord('r-1', 1, { decision: 'accepted' });
    a.putCandidate(c);
    recordPromotion(a, staged(c.id, 'g2-aaaaaaaaaaaa'));
    appendFileSync(join(dir, 'promotions.jsonl'), '{"schema":1,"candidate":"c-');
    assert.equal(promotions(a).get(c.id)?.outcome, 'staged');
    learnPromotionOutcomes(a, { 'g2-aaaaaaaaaaaa': { status: 'bad', badReason: 'tries exhausted' } });
    assert.deepEqual(promotionLines(a).map((r) => r.outcome), ['staged', 'rolled-back']);
    assert.equal(readFileSync(join(dir, 'promotions.jsonl'), 'utf8').split('\n').filter(Boolean).length, 3, 'the torn line is kept apart, not merged');
    const ro = openArchive(dir, { readOnly: true });
    assert.throws(() => recordPromotion(ro, staged(c.id, 'g5-dddddddddddd')), { name: 'ArchiveReadOnlyError' });
  });
});
