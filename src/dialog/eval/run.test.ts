// The checker of the question sets: the "inside" check on its boundaries, top-1 and top-3 over cited
// places in order, confident wrong answers, honest answers, percentiles, and a whole run on a stub dialog.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Dialog } from '../dialog.js';
import type { Answer, Citation } from '../types.js';
import { declarationRanges } from './decl-range.js';
import { isUnsure } from './judge.js';
import { percentile, runEval, score, sourceJudge, type Check } from './run.js';

const TS = [
  "import x from './x.js';", //         1
  '/** Adds one. */', //                2
  'export function addOne(n: number) {', // 3
  '  return n + 1;', //                 4
  '}', //                               5
  '', //                                6
  'export class Box {', //              7
  '  open(): void {', //                8
  '    void 0;', //                     9
  '  }', //                             10
  '}', //                               11
  'export const LIMIT = {', //          12
  '  max: 3,', //                       13
  '};', //                              14
].join('\n');
const C = [
  '#include <stdio.h>', //              1
  'static void power(int cmd);', //     2  a prototype, not the definition
  'static void power(int cmd) {', //    3
  '  if (cmd) { puts("}"); }', //       4
  '}', //                               5
  'int main(void) { return 0; }', //    6
].join('\n');

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'eval-run-'));
  await mkdir(join(root, 'src'), { recursive: true });
  await writeFile(join(root, 'src/a.ts'), TS);
  await writeFile(join(root, 'src/b.ts'), TS);
  await writeFile(join(root, 'init.c'), C);
});
after(() => rm(root, { recursive: true, force: true }));

const answer = (citations: Array<[string, number]>, text = 'src/a.ts:3 addOne'): Answer =>
  ({ answer: text, mode: 'retrieval', citations: citations.map(([path, line]): Citation => ({ path, line })) });
const judgeOf = () => ({ ...sourceJudge(root, null), before: null });
const inside: Check = { kind: 'inside', symbol: 'addOne', path: 'src/a.ts' };

test('declaration ranges: a function with its doc comment, a method by qualified name, a whole const statement', () => {
  assert.deepEqual(declarationRanges('src/a.ts', TS, 'addOne'), [{ from: 2, to: 5 }]);
  assert.deepEqual(declarationRanges('src/a.ts', TS, 'Box.open'), [{ from: 8, to: 10 }]);
  assert.deepEqual(declarationRanges('src/a.ts', TS, 'open'), [{ from: 8, to: 10 }]);
  assert.deepEqual(declarationRanges('src/a.ts', TS, 'Other.open'), []);
  assert.deepEqual(declarationRanges('src/a.ts', TS, 'LIMIT'), [{ from: 12, to: 14 }]);
  assert.deepEqual(declarationRanges('src/a.ts', TS, 'missing'), []);
  assert.deepEqual(declarationRanges('README.md', '# addOne', 'addOne'), [], 'only code files have declarations');
});

test('declaration ranges in C: the definition (not its prototype), braces inside strings ignored', () => {
  assert.deepEqual(declarationRanges('init.c', C, 'power'), [{ from: 3, to: 5 }]);
  assert.deepEqual(declarationRanges('init.c', C, 'main'), [{ from: 6, to: 6 }]);
});

test('inside: a citation inside the symbol passes, outside fails, both boundaries are inside', async () => {
  for (const line of [2, 3, 4, 5]) assert.equal((await score(inside, answer([['src/a.ts', line]]), judgeOf())).ok, true, `line ${line}`);
  for (const line of [1, 6, 7]) assert.equal((await score(inside, answer([['src/a.ts', line]]), judgeOf())).ok, false, `line ${line}`);
  const sameLineOtherFile = await score(inside, answer([['src/b.ts', 3]]), judgeOf());
  assert.equal(sameLineOtherFile.ok, false, 'the right line in another file is wrong');
  assert.match(sameLineOtherFile.why, /no citation inside src\/a\.ts#addOne/);
  const missingFile = await score({ kind: 'inside', symbol: 'addOne', path: 'src/none.ts' }, answer([['src/none.ts', 3]]), judgeOf());
  assert.equal(missingFile.ok, false);
});

test('inside with any: one of several acceptable symbols', async () => {
  const c: Check = { kind: 'inside', any: [{ symbol: 'addOne', path: 'src/a.ts' }, { symbol: 'Box.open', path: 'src/b.ts' }] };
  assert.equal((await score(c, answer([['src/b.ts', 9]]), judgeOf())).ok, true);
  assert.equal((await score(c, answer([['src/a.ts', 9]]), judgeOf())).ok, false, 'Box.open in a.ts is not listed');
});

test('top-1 judges the first citation, top-3 the first three, ok any of them', async () => {
  const bad: [string, number] = ['src/a.ts', 12];
  const good: [string, number] = ['src/a.ts', 4];
  assert.deepEqual(pick(await score(inside, answer([good, bad]), judgeOf())), [true, true, true]);
  assert.deepEqual(pick(await score(inside, answer([bad, good]), judgeOf())), [true, false, true]);
  assert.deepEqual(pick(await score(inside, answer([bad, bad, good]), judgeOf())), [true, false, true]);
  assert.deepEqual(pick(await score(inside, answer([bad, bad, bad, good]), judgeOf())), [true, false, false]);
  assert.deepEqual(pick(await score(inside, answer([]), judgeOf())), [false, false, false]);
  // A check that is not about ranked places scores the answer as a whole.
  assert.deepEqual(pick(await score({ kind: 'honest' }, answer([], 'I did not understand "x"'), judgeOf())), [true, true, true]);
});
const pick = (r: { ok: boolean | null; top1?: boolean | null; top3?: boolean | null }) => [r.ok, r.top1, r.top3];

test('confident wrong: a failing answer with citations that does not say it is unsure', async () => {
  const bad: [string, number] = ['src/a.ts', 12];
  assert.equal((await score(inside, answer([bad], 'src/a.ts:12 LIMIT'), judgeOf())).confidentWrong, true);
  assert.equal((await score(inside, answer([bad], 'Closest text matches:\nsrc/a.ts:12'), judgeOf())).confidentWrong, false);
  assert.equal((await score(inside, answer([], 'I did not understand'), judgeOf())).confidentWrong, false, 'no citation, no claim');
  assert.equal((await score(inside, answer([['src/a.ts', 3]], 'src/a.ts:3'), judgeOf())).confidentWrong, false, 'right is not wrong');
  assert.equal(isUnsure({ ...answer([]), confidence: 'closest' }), true, 'a confidence field wins when there is one');
  assert.equal(isUnsure({ ...answer([], 'Closest text matches:'), confidence: 'sure' }), false, 'even over the wording');
});

test('honest: a clarifying question or a not-found passes; a sure answer to a vague question fails', async () => {
  const honest: Check = { kind: 'honest' };
  for (const text of ['"start" is defined in 4 places. Which one do you mean? Answer with its number (1-4)',
    'No definition of "bug" found in the source.', 'I did not understand "how does it work". type help']) {
    assert.equal((await score(honest, answer([['src/a.ts', 3]], text), judgeOf())).ok, true, text);
  }
  const sure = await score(honest, answer([['src/a.ts', 3]], 'Best matches:\nsrc/a.ts:3 addOne'), judgeOf());
  assert.equal(sure.ok, false);
  assert.equal(sure.confidentWrong, true);
});

test('percentile: nearest rank', () => {
  assert.equal(percentile([], 50), 0);
  assert.equal(percentile([5], 99), 5);
  assert.equal(percentile([4, 1, 3, 2], 50), 2);
  assert.equal(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99), 99);
});

test('runEval reports top-1, top-3, the confident wrong count and latency over a stub dialog', async () => {
  const answers: Record<string, Answer> = {
    right: answer([['src/a.ts', 3]]),
    second: answer([['src/a.ts', 12], ['src/a.ts', 3]]),
    wrong: answer([['src/a.ts', 12]], 'src/a.ts:12'),
    vague: answer([], 'I did not understand "vague"'),
  };
  const make = () => ({ handle: async (q: string) => answers[q]! }) as unknown as Dialog;
  const questions = [
    { q: 'right', check: inside, subsystem: 'x' }, { q: 'second', check: inside }, { q: 'wrong', check: inside },
    { q: 'vague', check: { kind: 'honest' } as Check }, { q: 'unit', check: { kind: 'unit', unit: 'web' } as Check },
  ];
  const r = await runEval({ root, make, os: null, questions });
  assert.deepEqual([r.total, r.asked, r.skipped, r.passed], [5, 4, 1, 3]);
  assert.equal(r.top1, 2 / 4);
  assert.equal(r.top3, 3 / 4);
  assert.equal(r.confidentWrong, 1);
  assert.equal(r.confidentWrongRate, 1 / 4);
  assert.ok(r.latencyMs.p50 >= 0 && r.latencyMs.p99 >= r.latencyMs.p50);
  assert.equal(r.results[0]!.subsystem, 'x');
});
