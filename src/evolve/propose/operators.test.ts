// Each mutation operator on a small TypeScript source: what it produces, that the output parses, and that
// the proposer drops near-duplicates before yielding.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { combinedProposer } from './combined.js';
import { applyEdit, NearDuplicates, parses } from './edit.js';
import { mutationProposer } from './mutation.js';
import { DEFECT_ONLY_OPERATORS, MUTATION_OPERATORS } from './operators.js';
import { mutationSites } from './sites.js';
import type { Proposal } from '../types.js';

/** What `operator` makes of `src` (each whole mutated text), checked to parse. */
function mutants(operator: string, src: string): string[] {
  const op = MUTATION_OPERATORS[operator] ?? DEFECT_ONLY_OPERATORS[operator];
  assert.ok(op, operator);
  const out = mutationSites(ts, 'a.ts', src, { [operator]: op }).map((s) => applyEdit(src, s.edit));
  for (const m of out) assert.ok(parses(ts, 'a.ts', m), `${operator} made unparsable code: ${m}`);
  return out;
}

const CASES: Array<[string, string, string[]]> = [
  ['swap-arithmetic', 'const x = a + b * c;', ['const x = a - b * c;', 'const x = a + b / c;']],
  ['swap-relational', 'if (i < n) f();', ['if (i > n) f();']],
  ['boundary', 'while (i <= n) i++;', ['while (i < n) i++;']],
  ['swap-equality', 'const same = a === b;', ['const same = a !== b;']],
  ['swap-logical', 'const ok = a && b;', ['const ok = a || b;']],
  ['swap-nullish', 'const v = a ?? b;', ['const v = a || b;']],
  ['negate-condition', 'const y = ok ? 1 : 2;', ['const y = !(ok) ? 1 : 2;']],
  ['remove-not', 'if (!done) go();', ['if (done) go();']],
  ['insert-not', 'const r = a && f();', ['const r = !a && f();', 'const r = a && !f();']],
  ['literal-number', 'const n = 5;', ['const n = 0;', 'const n = 1;', 'const n = 6;', 'const n = 4;', 'const n = (-1);']],
  ['literal-boolean', 'let on = true;', ['let on = false;']],
  ['delete-statement', 'function f() {\n  a();\n  return 1;\n}', ['function f() {\n  \n  return 1;\n}', 'function f() {\n  a();\n  \n}']],
  ['add-await', 'async function f() {\n  save();\n}', ['async function f() {\n  await save();\n}']],
  ['remove-await', 'async function f() {\n  await save();\n}', ['async function f() {\n  save();\n}']],
  ['wrong-constant', 'const size = 64;', ['const size = 131;']],
];

describe('mutation operators', () => {
  for (const [op, src, want] of CASES) {
    it(`${op} on ${JSON.stringify(src.split('\n')[0])}`, () => assert.deepEqual(mutants(op, src), want));
  }

  it('leave literal types and property names alone, and add no await outside async functions', () => {
    assert.deepEqual(mutants('literal-number', 'type T = 1; const o = { 2: "x" };'), []);
    assert.deepEqual(mutants('add-await', 'function f() { save(); }'), []);
  });

  it('restricts sites to the given lines', () => {
    const src = 'const a = 1 + 2;\nconst b = 3 + 4;\n';
    const sites = mutationSites(ts, 'a.ts', src, MUTATION_OPERATORS, new Set([2]));
    assert.ok(sites.length > 0);
    assert.ok(sites.every((s) => s.line === 2));
  });
});

describe('near-duplicates', () => {
  it('are equal up to whitespace or print to the same tree', () => {
    const d = new NearDuplicates(ts);
    assert.equal(d.admit([{ path: 'a.ts', text: 'const a = 1;' }]), true);
    assert.equal(d.admit([{ path: 'a.ts', text: 'const  a =\n1;' }]), false, 'whitespace');
    assert.equal(d.admit([{ path: 'a.ts', text: 'const a = 1; // note' }]), false, 'same tree');
    assert.equal(d.admit([{ path: 'a.ts', text: 'const a = 2;' }]), true);
  });

  it('are dropped by the proposer, which yields whole parsing files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'evolve-mut-'));
    try {
      await mkdir(join(root, 'src'));
      // `!(x)` and `!x` of negate-condition and insert-not print alike once parenthesised: one survives.
      const src = 'export function f(a: boolean, b: boolean): boolean {\n  return (a) && b ? a : b;\n}\n';
      await writeFile(join(root, 'src/f.ts'), src);
      const got: Proposal[] = [];
      const ctx = { root, target: { kind: 'tests' as const, failToPass: [], origin: 'test' }, suspects: [{ path: 'src/f.ts', line: 2, score: 1 }], limit: 100, seed: 1 };
      for await (const p of mutationProposer(ts).propose(ctx)) got.push(p);
      assert.ok(got.length >= 3);
      const afters = got.map((p) => p.changes[0]!.after!);
      assert.equal(new Set(afters.map((a) => a.replace(/\s+/g, ''))).size, afters.length, 'no two equal up to whitespace');
      for (const p of got) {
        assert.equal(p.changes[0]!.before, src);
        assert.ok(parses(ts, 'src/f.ts', p.changes[0]!.after!));
        assert.equal(p.provenance.proposer, 'mutation');
      }
      const limited: Proposal[] = [];
      for await (const p of mutationProposer(ts).propose({ ...ctx, limit: 2 })) limited.push(p);
      assert.equal(limited.length, 2);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('the combined proposer', () => {
  it('interleaves its proposers and drops near-duplicates across them', async () => {
    const root = await mkdtemp(join(tmpdir(), 'evolve-comb-'));
    try {
      await mkdir(join(root, 'src'));
      await writeFile(join(root, 'src/g.ts'), 'export function g(a: number): boolean {\n  return a < 1;\n}\n');
      const ctx = { root, target: { kind: 'tests' as const, failToPass: [], origin: 'test' }, suspects: [{ path: 'src/g.ts', line: 2, score: 1 }], limit: 100, seed: 1 };
      // The same proposer twice: every proposal of the second is a duplicate of one of the first.
      const once: Proposal[] = [];
      for await (const p of mutationProposer(ts).propose(ctx)) once.push(p);
      const both: Proposal[] = [];
      for await (const p of combinedProposer(ts, [mutationProposer(ts), mutationProposer(ts)]).propose(ctx)) both.push(p);
      assert.deepEqual(both.map((p) => p.changes[0]!.after), once.map((p) => p.changes[0]!.after));
      const two: Proposal[] = [];
      for await (const p of combinedProposer(ts, [mutationProposer(ts), mutationProposer(ts)]).propose({ ...ctx, limit: 2 })) two.push(p);
      assert.equal(two.length, 2);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
