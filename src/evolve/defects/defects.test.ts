// Seeded defects: deterministic for a seed, stratified over operators and subsystems, each one's change and
// unique fix whole files that parse, a higher-order tier, the split by file, and validation by a function.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ts from 'typescript';
import { loadCorpus } from '../../train/corpus.js';
import { parses } from '../propose/index.js';
import { fixKind } from './fix-kind.js';
import { seedDefects, subsystemOf } from './seed.js';
import { modelHeldOutFiles, splitDefects, strata, stratifiedFileSplit } from './split.js';
import { validateDefects } from './validate.js';

const FILES: Record<string, string> = {
  'src/gen/a.ts': 'export function pick(xs: number[], i: number): number {\n  if (i < 0 || i >= xs.length) return -1;\n  return xs[i]! + 1;\n}\n',
  'src/gen/b.ts': 'export async function save(w: { write(s: string): Promise<void> }, s: string): Promise<boolean> {\n  await w.write(s);\n  const ok = s.length > 0 && true;\n  return ok;\n}\n',
  'src/core/services/c.ts': 'export function within(x: number, lo: number, hi: number): boolean {\n  const size = 64;\n  return x >= lo && x <= hi && x !== size;\n}\n',
  'src/mind/d.ts': 'export function name(u: { n?: string }): string {\n  return u.n ?? "anon";\n}\nexport const LIMIT = 10;\n',
};

let root = '';
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'evolve-defects-'));
  for (const [p, text] of Object.entries(FILES)) {
    await mkdir(join(root, p, '..'), { recursive: true });
    await writeFile(join(root, p), text);
  }
});
after(() => rm(root, { recursive: true, force: true }));

const seed = (s: number, count = 20, higherOrder = 0) => seedDefects(ts, { root, files: Object.keys(FILES), seed: s, count, higherOrder });

describe('seedDefects', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    assert.deepEqual(seed(7).map((d) => d.id), seed(7).map((d) => d.id));
    assert.notDeepEqual(seed(7).map((d) => d.id), seed(8).map((d) => d.id));
  });

  it('records each defect with its change and unique fix, all parsing and all distinct', () => {
    const ds = seed(1, 30);
    assert.equal(ds.length, 30);
    assert.equal(new Set(ds.map((d) => d.change.after)).size, 30);
    for (const d of ds) {
      assert.equal(d.tier, 'first-order');
      assert.equal(d.change.before, FILES[d.file]);
      assert.equal(d.fix.before, d.change.after);
      assert.equal(d.fix.after, FILES[d.file]);
      assert.ok(parses(ts, d.file, d.change.after!));
      assert.equal(d.originalLine, FILES[d.file]!.split('\n')[d.line - 1]);
      assert.notEqual(d.mutatedLine, d.originalLine);
      assert.equal(d.mutations.length, 1);
      assert.equal(d.subsystem, subsystemOf(d.file));
    }
  });

  it('spreads over operators and subsystems before repeating one', () => {
    const ds = seed(3, 12);
    const s = strata(ds);
    assert.ok(Object.keys(s.operators).length >= 8, JSON.stringify(s.operators));
    assert.deepEqual(Object.keys(s.subsystems), ['core/services', 'gen', 'mind']);
  });

  it('has a higher-order tier: several mutations in one function, deleted awaits, wrong constants', () => {
    // Four functions, one await and two constants > 1: fewer than asked for, never more.
    const ds = seed(5, 0, 20).filter((d) => d.tier === 'higher-order');
    assert.ok(ds.length >= 5 && ds.length <= 7, String(ds.length));
    assert.ok(ds.some((d) => d.mutations.length >= 2 && d.mutations.length <= 3 && d.operator.includes('+')));
    assert.ok(ds.some((d) => d.operator === 'remove-await' && d.mutatedLine === '  w.write(s);'));
    assert.ok(ds.some((d) => d.operator === 'wrong-constant'));
    for (const d of ds) assert.ok(parses(ts, d.file, d.change.after!));
  });
});

describe('the split', () => {
  it('is by file, stratified by subsystem', () => {
    const files = ['src/gen/1.ts', 'src/gen/2.ts', 'src/gen/3.ts', 'src/gen/4.ts', 'src/mind/1.ts', 'src/mind/2.ts'];
    const held = stratifiedFileSplit(files, { fraction: 0.5, seed: 2 });
    assert.equal([...held].filter((f) => f.startsWith('src/gen/')).length, 2);
    assert.equal([...held].filter((f) => f.startsWith('src/mind/')).length, 1);
    assert.deepEqual(stratifiedFileSplit(files, { fraction: 0.5, seed: 2 }), held);
    const ds = seed(1, 30);
    const { heldOut, dev } = splitDefects(ds, new Set(['src/gen/a.ts', 'src/mind/d.ts']));
    assert.equal(heldOut.length + dev.length, 30);
    const heldFiles = new Set(heldOut.map((d) => d.file));
    assert.ok(dev.every((d) => !heldFiles.has(d.file)));
  });

  it('holds out exactly the files the default model never trained on', () => {
    const repo = fileURLToPath(new URL('../../../', import.meta.url));
    const held = modelHeldOutFiles(repo);
    const corpus = loadCorpus(repo);
    assert.ok(held.size > 0);
    assert.ok(corpus.train.every((f) => !held.has(f.path)));
    const code = [...held].filter((p) => p.startsWith('src/') && p.endsWith('.ts') && !p.endsWith('.test.ts')).slice(0, 4);
    const ds = seedDefects(ts, { root: repo, files: code, seed: 1, count: 20 });
    assert.equal(splitDefects(ds, held).heldOut.length, ds.length);
  });
});

describe('validateDefects', () => {
  it('keeps the defects the evaluator accepts, in order, at the given concurrency', async () => {
    const ds = seed(1, 10);
    let running = 0, most = 0;
    const v = await validateDefects(ds, async (d) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return d.operator !== 'delete-statement';
    }, { concurrency: 3 });
    assert.equal(most, 3);
    assert.deepEqual(v.valid.map((d) => d.id), ds.filter((d) => d.operator !== 'delete-statement').map((d) => d.id));
    assert.equal(v.valid.length + v.rejected.length, 10);
  });
});

describe('fixKind', () => {
  it('tells the unique fix (up to layout) from a different repair', () => {
    const d = seed(1, 1)[0]!;
    assert.equal(fixKind(ts, d, [d.fix]), 'exact');
    assert.equal(fixKind(ts, d, [{ ...d.fix, after: d.fix.after!.replace(/\n/g, '\n\n') }]), 'exact', 'blank lines');
    assert.equal(fixKind(ts, d, [{ ...d.fix, after: `${d.fix.after!}export const extra = 1;\n` }]), 'different');
    assert.equal(fixKind(ts, d, [d.fix, { path: 'src/other.ts', before: 'a', after: 'b' }]), 'different', 'a change elsewhere too');
  });
});
