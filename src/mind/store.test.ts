// Persistence: the saved index round-trips, opening it again re-reads nothing, an edit re-analyses only the
// edited file and its importers, and a corrupt or foreign file is rebuilt rather than trusted.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildIndex, diffGenerations, indexFile, loadIndex, openIndex, rebaseIndex, saveIndex } from './index.js';
import { BASIC, materialize } from '../testkit/mind/project.js';

test('open, save, reopen: an edit re-analyses only its file and importers; the result equals a rebuild', async () => {
  const src = materialize(BASIC);
  const state = materialize({});
  try {
    const first = await openIndex({ source: src.dir, mindDir: state.dir });
    assert.equal(first.rebuilt, true);
    assert.deepStrictEqual(loadIndex(first.file), first.index.data);
    const second = await openIndex({ source: src.dir, mindDir: state.dir });
    assert.deepEqual([second.rebuilt, second.summary.changed, second.summary.dependents], [false, [], []]);
    writeFileSync(join(src.dir, 'src/util/counter.ts'), String(BASIC['src/util/counter.ts']).replace('bump(k', 'grow(k').replace('this.n = add', 'this.n = add'));
    const third = await openIndex({ source: src.dir, mindDir: state.dir });
    assert.deepEqual([third.summary.changed, third.summary.dependents], [['src/util/counter.ts'], ['src/app/boot.vm.test.ts', 'src/app/main.test.ts', 'src/app/main.ts', 'src/util/index.ts']]);
    assert.deepStrictEqual(third.index.data, (await buildIndex(src.dir)).data);
    assert.deepEqual(third.index.definitions('Counter.grow').map((s) => `${s.path}:${s.line}`), ['src/util/counter.ts:8']);
    writeFileSync(third.file, '{"version": 1, "files": ');
    assert.equal((await openIndex({ source: src.dir, mindDir: state.dir })).rebuilt, true);
  } finally { src.cleanup(); state.cleanup(); }
});

test('an index built for one path serves the same tree at another (prebuilt for /dialogos)', async () => {
  const a = materialize(BASIC), b = materialize(BASIC), state = materialize({});
  try {
    const built = await buildIndex(a.dir);
    saveIndex(rebaseIndex(built.data, b.dir), indexFile(state.dir, b.dir));
    const opened = await openIndex({ source: b.dir, mindDir: state.dir });
    assert.deepEqual([opened.rebuilt, opened.summary.changed, opened.summary.added], [false, [], []]);
    assert.equal(opened.index.read('src/util/math.ts', 4, 4).lines[0], 'export function add(a: number, b: number): number {');
  } finally { a.cleanup(); b.cleanup(); state.cleanup(); }
});

test('generation diff: files and symbols added, removed and changed, with what changed', async () => {
  const a = materialize(BASIC);
  const b = materialize({
    ...BASIC,
    'src/util/math.ts': String(BASIC['src/util/math.ts']).replace('return a + b;', 'return b + a;').replace('export function twice', 'export function thrice')
      + '\n/** Subtracts. */\nexport function sub(a: number, b: number): number { return a - b; }\n',
    'src/new.ts': 'export const x = 1;\n',
  });
  try {
    const [ia, ib] = [await buildIndex(a.dir), await buildIndex(b.dir)];
    const d = diffGenerations(ia.data, ib.data);
    assert.deepEqual(d.files, { added: ['src/new.ts'], removed: [], changed: ['src/util/math.ts'] });
    assert.deepEqual(d.symbols.added.map((s) => `${s.id} ${s.path}:${s.line}`),
      ['src/new.ts#x src/new.ts:1', 'src/util/math.ts#sub src/util/math.ts:13', 'src/util/math.ts#thrice src/util/math.ts:8']);
    assert.deepEqual(d.symbols.removed.map((s) => s.id), ['src/util/math.ts#twice']);
    assert.deepEqual(d.symbols.changed.map((c) => [c.after.id, c.what]), [['src/util/math.ts#add', ['body']]]);
    assert.deepEqual(ia.diff(ia), { files: { added: [], removed: [], changed: [] }, symbols: { added: [], removed: [], changed: [] } });
  } finally { a.cleanup(); b.cleanup(); }
});
