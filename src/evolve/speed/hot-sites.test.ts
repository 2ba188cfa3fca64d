// The suspects of a benchmark target: the lines of its hot files' function bodies, largest body first.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ts from 'typescript';
import { hotSuspects } from './hot-sites.js';

test('hotSuspects lists every function-body line of the hot files once, the largest body first', () => {
  const root = mkdtempSync(join(tmpdir(), 'hot-sites-'));
  try {
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/h.ts'), [
      'const K = 3;', // 1: not in a body
      'export function small(x: number): number {', // 2
      '  return x * K;', // 3
      '}', // 4
      'export function big(xs: number[]): number {', // 5
      '  let s = 0;', // 6
      '  for (const x of xs) s += xs.map((y) => y + x).length;', // 7: an arrow inside the body, listed once
      '  return s;', // 8
      '}', // 9
      '',
    ].join('\n'));
    const s = hotSuspects(ts, root, ['src/h.ts']);
    assert.deepEqual(s.map((x) => x.line), [5, 6, 7, 8, 9, 2, 3, 4]);
    assert.deepEqual([...new Set(s.map((x) => x.score))], [1, 3 / 5]);
    assert.ok(s.every((x) => x.path === 'src/h.ts'));
    assert.throws(() => hotSuspects(ts, root, ['src/missing.ts']), /ENOENT/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the project\'s benchmarks name hot files the tree has, with suspects in each', async () => {
  const { projectBenchmarks } = await import('./benchmarks.js');
  const { REPO } = await import('../../testkit/evolve/evaluate/project.js');
  for (const b of projectBenchmarks().list()) {
    assert.ok(b.hot && b.hot.length > 0, `${b.name} names its hot files`);
    assert.ok(hotSuspects(ts, REPO, b.hot).length > 10, `${b.name}: ${b.hot.join(', ')}`);
  }
});
