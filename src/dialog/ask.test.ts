// "why did X fail", "what changed since yesterday", "what is slow": the rules that take them and the
// answers, quoted from the journal, the generation store and the benchmark READMEs.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryOs } from '../testkit/dialog/memory-os.js';
import { changesSince, sinceTime } from './ask.js';
import { grepCodeTools } from './code-grep.js';
import { createDialog } from './dialog.js';
import { matchIntent } from './intents.js';
import type { CodeTools, JournalLine, OsTools } from './types.js';

const NOW = new Date('2026-12-03T13:00:00.000Z');

test('the new rules take plain questions about failures, changes and slowness', () => {
  assert.deepEqual(matchIntent('why did the image build fail?'), { kind: 'why-journal', what: 'image build' });
  assert.deepEqual(matchIntent('why did web fail?'), { kind: 'why', unit: 'web' }, 'one unit name stays with the unit rule');
  assert.deepEqual(matchIntent('What changed since yesterday?'), { kind: 'changes', since: 'yesterday' });
  assert.deepEqual(matchIntent('what has changed in the last 3 days'), { kind: 'changes', since: '3 days' });
  assert.deepEqual(matchIntent('what is slow?'), { kind: 'slow' });
  assert.deepEqual(matchIntent('where is the time spent'), { kind: 'slow' });
  assert.deepEqual(matchIntent('what changed'), { kind: 'unknown' });
});

test('since: today is midnight UTC, yesterday the midnight before, counts reach back from now', () => {
  assert.equal(sinceTime('today', NOW).toISOString(), '2026-12-03T00:00:00.000Z');
  assert.equal(sinceTime('yesterday', NOW).toISOString(), '2026-12-02T00:00:00.000Z');
  assert.equal(sinceTime('3 days', NOW).toISOString(), '2026-11-30T13:00:00.000Z');
  assert.equal(sinceTime('an hour ago', NOW).toISOString(), '2026-12-03T12:00:00.000Z');
  assert.equal(sinceTime('last week', NOW).toISOString(), '2026-11-26T13:00:00.000Z');
});

const line = (seq: number, time: string, level: string, message: string): JournalLine => ({ seq, time, unit: 'builder', level, message });

test('what changed since yesterday: generations added since, the diff of the newest, warnings since', async () => {
  const journal = [line(1, '2026-11-01T00:00:00.000Z', 'warn', 'old warning'), line(2, '2026-12-02T10:00:00.000Z', 'error', 'disk full')];
  const os: OsTools = {
    ...memoryOs(),
    generations: async () => ({ generations: { 'g1-a': { addedAt: '2026-11-01T00:00:00.000Z', status: 'good' }, 'g2-b': { addedAt: '2026-12-02T09:00:00.000Z', status: 'staged' } } }),
    journal: async (q) => journal.filter((e) => !q.level || e.level !== 'info'),
  };
  const diffs: string[] = [];
  const added = [{ path: 'src/x.ts', line: 3, name: 'x', kind: 'function' }];
  const diff = async (a: string, b: string) => {
    diffs.push(`${a}..${b}`);
    return { files: { added: ['src/x.ts'], removed: [], changed: [] }, symbols: { added, removed: [], changed: [] } };
  };
  const code = { diff } as unknown as CodeTools;
  const r = await changesSince('yesterday', { os, code, progress: () => {}, models: async () => [] }, NOW);
  assert.match(r.text, /generations added: g2-b \(staged, added 2026-12-02T09:00:00\.000Z\)/);
  assert.deepEqual(diffs, ['g1-a..g2-b']);
  assert.match(r.text, /seq 2 .*disk full/);
  assert.doesNotMatch(r.text, /old warning/, 'lines before the time are left out');
  assert.ok(r.citations.some((c) => c.path === 'src/x.ts' && c.line === 3));
});

test('what is slow quotes the largest recorded times of each benchmark README; why X failed quotes the journal', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dlg-ask-'));
  try {
    await mkdir(join(root, 'bench/boot'), { recursive: true });
    await writeFile(join(root, 'bench/boot/README.md'), '# Boot\n\n| what | time |\n|---|---|\n| kernel | 120 ms |\n| userland | 2.5 s |\n');
    const os: OsTools = { ...memoryOs(), journal: async (q) => (q.grep === 'slow' || q.grep === 'image build' ? [line(7, '2026-12-03T00:00:00.000Z', 'warn', `${q.grep} step was slow`)] : []) };
    const d = createDialog({ code: grepCodeTools(root), os, model: null });
    const slow = await d.handle('what is slow?');
    assert.match(slow.answer, /bench\/boot\/README\.md:6 {2}\| userland \| 2\.5 s \|\n {2}bench\/boot\/README\.md:5/);
    assert.deepEqual(slow.citations[0], { path: 'bench/boot/README.md', line: 6 });
    assert.match(slow.answer, /seq 7 .*slow step was slow/);
    const why = await d.handle('why did the image build fail?');
    assert.match(why.answer, /1 journal lines mention "image build" at warn or above/);
    assert.match(why.answer, /seq 7 /);
    assert.match((await d.handle('why did the nightly job fail')).answer, /No journal line mentions "nightly job"/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
