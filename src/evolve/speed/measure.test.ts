// The registry of benchmarks, the refusal of unusable measurements, and the evaluator's build of a candidate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ts from 'typescript';
import { compileChanges, distPathOf } from './build.js';
import { BadMeasurementError, UnknownBenchmarkError } from './errors.js';
import { checkMeasurement } from './measure.js';
import { benchArgv, BenchmarkRegistry, type Benchmark } from './registry.js';
import { projectBenchmarks } from './benchmarks.js';

const b = (name: string, repetitions = 2): Benchmark => ({ name, argv: ['node', `${name}.js`], repetitions, own: [], description: '' });

test('checkMeasurement passes positive finite CPU times and refuses NaN, Infinity, zero and negatives by name', () => {
  assert.equal(checkMeasurement(12.5, 'x'), 12.5);
  for (const bad of [NaN, Infinity, -Infinity, 0, -0, -1, '5' as unknown as number]) {
    assert.throws(() => checkMeasurement(bad, 'benchmark "x" on the parent'), (e: Error) =>
      e instanceof BadMeasurementError && e.name === 'BadMeasurementError' && /^Cannot use the measurement of benchmark "x" on the parent: .* ms is not a positive finite CPU time$/.test(e.message));
  }
});

test('the registry holds benchmarks by name, refuses duplicates, unknown names and bad repetition counts', () => {
  const r = new BenchmarkRegistry([b('one'), b('two', 5)]);
  assert.deepEqual(r.names(), ['one', 'two']);
  assert.deepEqual(benchArgv(r.get('two')), ['node', 'two.js', '5']);
  assert.throws(() => r.get('three'), (e: Error) => e instanceof UnknownBenchmarkError && /Cannot find benchmark "three": known are one, two/.test(e.message));
  assert.throws(() => r.register(b('one')), UnknownBenchmarkError);
  for (const n of [0, -1, 1.5, NaN]) assert.throws(() => r.register(b(`r${n}`, n)), RangeError);
  const held = r.get('one');
  assert.throws(() => { (held as { repetitions: number }).repetitions = 1; }, TypeError, 'a registered benchmark is frozen');
});

test('the project registers two workloads over real hot paths, their files owned by the benchmarks', () => {
  const r = projectBenchmarks();
  assert.deepEqual(r.names(), ['canonical-json', 'mind-tokenize']);
  for (const x of r.list()) {
    assert.equal(x.argv[1], `dist/evolve/speed/workloads/${x.name}.js`);
    assert.ok(x.own.includes('src/evolve/speed/'));
  }
});

test('compileChanges adds the dist module of each changed source, and deletes it with its source', () => {
  const out = compileChanges(ts, [
    { path: 'src/a/b.ts', before: null, after: 'export const x: number = 1;\n' },
    { path: 'src/a/gone.ts', before: 'x', after: null },
    { path: 'README.md', before: 'a', after: 'b' },
  ]);
  assert.deepEqual(out.map((c) => c.path), ['src/a/b.ts', 'src/a/gone.ts', 'README.md', 'dist/a/b.js', 'dist/a/gone.js']);
  assert.match(out[3]!.after!, /^export const x = 1;/);
  assert.equal(out[4]!.after, null);
  assert.equal(distPathOf('src/a/types.d.ts'), null);
});
