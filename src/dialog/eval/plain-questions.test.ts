// The plain question set cannot rot silently: every check names a symbol that is declared at its path
// today, the questions stay in plain words (no names of what they ask about), and the set keeps its spread.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { declarationRanges } from './decl-range.js';
import { insideTargets } from './judge.js';
import { loadQuestions, score, sourceJudge, type Question } from './run.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SUBSYSTEMS = ['gen', 'boot', 'core', 'services', 'journal', 'api', 'llm', 'train', 'mind', 'dialog', 'image', 'vm', 'cli', 'std', 'evolve', 'native'];
const plain = await loadQuestions(ROOT, 'plain');
const targets = (q: Question) => (q.check.kind === 'inside' ? insideTargets(q.check) : []);

test('every plain question\'s check names a symbol declared at its path today', async () => {
  const missing: string[] = [];
  for (const q of plain) {
    for (const t of targets(q)) {
      const text = await readFile(join(ROOT, t.path), 'utf8').catch(() => null);
      if (text === null) missing.push(`${q.q}: no file ${t.path}`);
      else if (!declarationRanges(t.path, text, t.symbol).length) missing.push(`${q.q}: ${t.path} declares no ${t.symbol}`);
    }
  }
  assert.deepEqual(missing, [], 'fix the check to where the answer lives now (read the code first)');
});

test('the plain set: at least 60 code questions, 10 vague or out of scope ones, callers/callees questions, every subsystem', () => {
  const code = plain.filter((q) => q.check.kind === 'inside');
  assert.ok(code.length >= 60, `${code.length} code questions`);
  assert.ok(plain.filter((q) => q.check.kind === 'honest').length >= 10);
  assert.ok(plain.filter((q) => q.flow).length >= 5, 'questions about how something flows');
  const seen = new Set(plain.map((q) => q.subsystem));
  assert.deepEqual(SUBSYSTEMS.filter((s) => !seen.has(s)), [], 'subsystems without a question');
  for (const s of SUBSYSTEMS) assert.ok(code.filter((q) => q.subsystem === s).length >= 3, `at least 3 questions on ${s}`);
  assert.equal(plain.filter((q) => !q.subsystem).length, 0, 'every question is marked with its subsystem');
  assert.equal(new Set(plain.map((q) => q.q.toLowerCase())).size, plain.length, 'no question twice');
});

test('plain questions name no symbol, file or camelCase word', () => {
  const bad: string[] = [];
  for (const q of plain) {
    if (/\b[a-z]+[A-Z]\w*\b|\b\w+_\w+\b|\w\.(ts|js|c|json|md)\b|`|\w\/\w|\(\)/.test(q.q)) bad.push(`${q.q}: looks like code`);
    for (const t of targets(q)) {
      // A symbol's name is a give-away unless it is one plain word (`gc`, `train`, `power`, `encode`).
      const name = t.symbol.split('.').pop()!;
      if (/[A-Z_]/.test(name.slice(1)) && q.q.toLowerCase().includes(name.toLowerCase())) bad.push(`${q.q}: names ${name}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the plain set is not the first set: no question is asked in both', async () => {
  const first = new Set((await loadQuestions(ROOT)).map((q) => q.q.toLowerCase()));
  assert.deepEqual(plain.filter((q) => first.has(q.q.toLowerCase())).map((q) => q.q), []);
});

test('each code question is answerable: citing the start of any listed declaration passes, another file does not', async () => {
  const j = { ...sourceJudge(ROOT, null), before: null };
  const wrong: string[] = [];
  for (const q of plain.filter((x) => x.check.kind === 'inside')) {
    for (const t of targets(q)) {
      const [r] = await j.ranges(t.path, t.symbol);
      const cite = async (line: number) => (await score(q.check, { answer: 'x', mode: 'retrieval', citations: [{ path: t.path, line }] }, j)).top1;
      if (!(await cite(r!.from))) wrong.push(`${q.q}: ${t.path}:${r!.from} (${t.symbol}) is not accepted`);
    }
    const t = targets(q)[0]!;
    if (await score(q.check, { answer: 'x', mode: 'retrieval', citations: [{ path: `${t.path}.nope`, line: 1 }] }, j).then((r) => r.ok)) wrong.push(`${q.q}: accepts any file`);
  }
  assert.deepEqual(wrong, []);
});
