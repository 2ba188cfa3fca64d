// The fix templates, statement copy and identifier swaps on small sources in a temp tree: each offers the
// known fix of a planted bug among its proposals, and every proposal is a whole file that parses.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as ts from 'typescript';
import type { Proposal, Proposer, Suspect } from '../types.js';
import { copyProposer } from './copy.js';
import { parses } from './edit.js';
import { editDistance, identifierProposer } from './identifiers.js';
import { templateProposer } from './templates.js';

let root = '';
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'evolve-prop-'));
  await mkdir(join(root, 'src'));
});
after(() => rm(root, { recursive: true, force: true }));

async function proposals(p: Proposer, file: string, src: string, suspects: Suspect[]): Promise<Proposal[]> {
  await writeFile(join(root, file), src);
  const out: Proposal[] = [];
  for await (const x of p.propose({ root, target: { kind: 'tests', failToPass: [], origin: 'test' }, suspects, limit: 500, seed: 3 })) out.push(x);
  for (const x of out) {
    assert.equal(x.changes.length, 1);
    assert.equal(x.changes[0]!.before, src);
    assert.ok(parses(ts, file, x.changes[0]!.after!), x.description);
  }
  return out;
}

const has = (ps: Proposal[], text: string, operator?: string) => ps.some((p) => p.changes[0]!.after!.includes(text) && (!operator || p.provenance.operator === operator));

describe('fix templates', () => {
  it('guard a possibly missing value', async () => {
    const src = 'export function name(u: { n: string } | undefined): string | undefined {\n  return u.n;\n}\n';
    const ps = await proposals(templateProposer(ts), 'src/a.ts', src, [{ path: 'src/a.ts', line: 2, score: 1 }]);
    assert.ok(has(ps, 'return u?.n;', 'null-guard'));
    assert.ok(has(ps, 'if (u == null) return;\n  return u.n;', 'null-guard'));
  });

  it('swap arguments, use another local, and widen or narrow a condition', async () => {
    const src = [
      'export function f(lo: number, hi: number, ok: boolean): number {',
      '  if (ok && lo > 0) return Math.max(hi, lo);',
      '  if (hi > 10) return 0;',
      '  return lo;',
      '}', ''].join('\n');
    const ps = await proposals(templateProposer(ts), 'src/b.ts', src, [{ path: 'src/b.ts', line: 2, score: 1 }, { path: 'src/b.ts', line: 4, score: 0.5 }]);
    assert.ok(has(ps, 'Math.max(lo, hi)', 'argument-swap'));
    assert.ok(has(ps, 'if (lo > 0) return', 'condition-widen'));
    assert.ok(has(ps, 'if ((ok && lo > 0) && (hi > 10))', 'condition-narrow'));
    assert.ok(has(ps, '  return hi;', 'wrong-variable'));
    assert.ok(has(ps, '  return 0;', 'return-change'));
    assert.ok(ps.findIndex((p) => p.prior === 0.5) > ps.findIndex((p) => p.prior === 1), 'the likelier suspect first');
  });
});

describe('statement copy', () => {
  it('inserts an in-scope statement of the same file, and never one that names what is out of scope', async () => {
    const src = [
      'export function total(xs: number[]): number {',
      '  let sum = 0;',
      '  for (const x of xs) sum += x;',
      '  return sum;',
      '}',
      'export function other(q: string): string {',
      '  q = q.trim();',
      '  return q;',
      '}',
      'export function reset(list: number[]): number[] {',
      '  list.length = 0;',
      '  return list;',
      '}', ''].join('\n');
    const ps = await proposals(copyProposer(ts), 'src/c.ts', src, [{ path: 'src/c.ts', line: 12, score: 1 }]);
    assert.ok(ps.length > 0);
    const reset = (p: Proposal) => p.changes[0]!.after!.split('\n').slice(9).join('\n');
    assert.ok(!ps.some((p) => /\bq\b|return sum|sum \+=/.test(reset(p))), 'q, x and a read of sum are not in scope in reset');
    assert.ok(ps.some((p) => reset(p).includes('  list.length = 0;\n  list.length = 0;')), 'the statement before, copied');
    assert.ok(ps.some((p) => reset(p).includes('let sum = 0;')), 'a declaration reads nothing out of scope');
  });
});

describe('identifier swaps', () => {
  it('offer variables in scope of the same type first, then similar names', async () => {
    const src = [
      'export function slice(text: string, start: number, stop: number, label: string): string {',
      '  const len = stop - start;',
      '  return text.slice(start, start) + label;',
      '}', ''].join('\n');
    const ps = await proposals(identifierProposer(ts), 'src/d.ts', src, [{ path: 'src/d.ts', line: 3, score: 1 }]);
    assert.ok(has(ps, 'text.slice(start, stop)'), 'the fix');
    assert.ok(has(ps, 'text.slice(start, len)'), 'len is a number too');
    assert.ok(!has(ps, 'text.slice(start, label)'), 'label is a string');
    assert.ok(has(ps, ') + text;'), 'text is a string like label');
  });

  it('measure names by edit distance', () => {
    assert.equal(editDistance('start', 'stop'), 3);
    assert.equal(editDistance('len', 'lens'), 1);
    assert.equal(editDistance('', 'abc'), 3);
  });
});
