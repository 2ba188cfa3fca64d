// The import graph and the tests it picks for a change, on the fixture project.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as ts from 'typescript';
import { makeProject, type Project } from '../../testkit/evolve/evaluate/project.js';
import { importGraph, isUnitTest, selectTests } from './index.js';

let p: Project;
before(() => { p = makeProject({ 'src/boot.vm.test.ts': "import './math.js';\n" }); });
after(() => p.cleanup());

test('a change to math.ts: its direct tests and the tests that reach it through stats.ts', () => {
  const g = importGraph(ts, p.root, []);
  assert.deepEqual([...g.importers.get('src/math.ts')!].sort(), ['src/boot.vm.test.ts', 'src/math-table.test.ts', 'src/math.test.ts', 'src/stats.ts']);
  assert.deepEqual(selectTests(g, ['src/math.ts']), { direct: ['src/math-table.test.ts', 'src/math.test.ts'], reached: ['src/stats.test.ts'] });
  assert.deepEqual(selectTests(g, ['src/stats.ts']), { direct: ['src/stats.test.ts'], reached: [] });
});

test('the graph is the candidate\'s: a new import counts, a deleted file keeps its importers', () => {
  const stats = p.read('src/stats.ts');
  const added = importGraph(ts, p.root, [{ path: 'src/extra.ts', before: null, after: "export * from './stats.js';\n" }]);
  assert.ok(added.importers.get('src/stats.ts')!.has('src/extra.ts'));
  const deleted = importGraph(ts, p.root, [{ path: 'src/stats.ts', before: stats, after: null }]);
  assert.ok(!deleted.files.has('src/stats.ts'));
  assert.deepEqual([...deleted.importers.get('src/stats.ts')!], ['src/stats.test.ts']);
});

test('VM tests are never unit tests', () => {
  assert.equal(isUnitTest('src/a.test.ts'), true);
  assert.equal(isUnitTest('src/a.vm.test.ts'), false);
  assert.equal(isUnitTest('src/a.vmlong.test.ts'), false);
  assert.equal(isUnitTest('src/a.ts'), false);
});

test('with a shared cache of the parent\'s imports, each call still sees its own candidate\'s files', () => {
  const specs = new Map<string, string[]>();
  const stats = p.read('src/stats.ts');
  assert.deepEqual([...importGraph(ts, p.root, [], specs).imports.get('src/stats.ts')!], ['src/math.ts']);
  assert.ok(specs.has('src/stats.ts'), 'the parent\'s specifiers are cached');
  const c = importGraph(ts, p.root, [{ path: 'src/stats.ts', before: stats, after: `${stats}import './math-table.test.js';\n` }], specs);
  assert.ok(c.imports.get('src/stats.ts')!.has('src/math-table.test.ts'));
  assert.ok(!importGraph(ts, p.root, [], specs).imports.get('src/stats.ts')!.has('src/math-table.test.ts'), 'the candidate\'s text never enters the cache');
});
