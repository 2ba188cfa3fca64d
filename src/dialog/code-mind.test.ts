// The adapter over src/mind's CodeIndex, against an in-memory index of the same shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mindCodeTools, type MindIndexLike } from './code-mind.js';

const sym = (name: string, path: string, line: number, qualifiedName = name) => ({
  id: `${path}#${qualifiedName}`, name, qualifiedName, kind: 'function', path, line, endLine: line + 3, exported: true, signature: `function ${name}()`,
});

const index: MindIndexLike = {
  data: { files: { 'src/b.ts': {}, 'src/a.ts': {} } },
  // Like mind: exact matches, then fuzzy ones.
  definitions: (name) => [sym('writeThing', 'src/a.ts', 3), sym('writeThingLater', 'src/b.ts', 9)].filter((s) => s.name.startsWith(name)),
  callers: (s) => (typeof s !== 'string' && s.name === 'writeThing'
    ? [{ path: 'src/a.test.ts', line: 4, caller: 'src/a.test.ts' }, { path: 'src/b.ts', line: 12, caller: 'src/b.ts#writeThingLater' }]
    : []),
  moduleInfo: () => undefined,
  testsFor: () => [{ path: 'src/deep.test.ts', line: 1, kind: 'unit', via: 'imports' }, { path: 'src/a.test.ts', line: 4, kind: 'unit', via: 'direct' }],
  search: () => [],
  read: (path) => { throw new Error(`no file ${path}`); },
};

test('exact names win over fuzzy ones; callers in product code come first; direct tests only when there are any', async () => {
  const c = mindCodeTools(index);
  assert.deepEqual((await c.definitions('writeThing')).map((d) => d.path), ['src/a.ts']);
  assert.deepEqual((await c.definitions('writeT')).map((d) => d.name), ['writeThing', 'writeThingLater']);
  assert.deepEqual((await c.callers('writeThing')).map((x) => x.path), ['src/b.ts', 'src/a.test.ts']);
  assert.deepEqual((await c.testsFor('writeThing')).map((x) => x.path), ['src/a.test.ts']);
  assert.deepEqual(await c.paths(), ['src/a.ts', 'src/b.ts']);
  await assert.rejects(c.read('src/x.ts', 1, 2), { name: 'CodeUnavailableError', message: /Cannot read "src\/x\.ts": no file/ });
  await assert.rejects(c.diff('g1', 'g2'), { name: 'CodeUnavailableError' });
});
