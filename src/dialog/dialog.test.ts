import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { grepCodeTools } from './code-grep.js';
import { createDialog, MAX_INPUT_BYTES } from './dialog.js';
import { memoryOs } from '../testkit/dialog/memory-os.js';
import { fixtureTree } from '../testkit/dialog/fixtures.js';
import type { CodeTools } from './types.js';

let fx: Awaited<ReturnType<typeof fixtureTree>>;
let code: CodeTools;
before(async () => { fx = await fixtureTree(); code = grepCodeTools(fx.root); });
after(() => fx.dispose());

const retrieval = (os = memoryOs()) => ({ os, d: createDialog({ code, os, model: null }) });

test('a definition is answered with its path:line, in retrieval mode', async () => {
  const { d } = retrieval();
  const a = await d.handle('Where is writeThing defined?');
  assert.equal(a.mode, 'retrieval');
  assert.deepEqual(a.citations, [{ path: 'src/store/store.ts', line: 5 }]);
  assert.match(a.answer, /Writes a thing/);
});

test('callers name the calling method', async () => {
  const { d } = retrieval();
  const a = await d.handle('who calls writeThing');
  assert.ok(a.citations.some((c) => c.path === 'src/store/store.ts' && c.line === 11), JSON.stringify(a));
  assert.match(a.answer, /in Store|in put/);
});

test('nothing changes without a y; y runs exactly the call shown', async () => {
  for (const reply of ['n', 'no', '', 'yes please', 'stop web', '\u0000']) {
    const { d, os } = retrieval();
    const a = await d.handle('stop web');
    assert.ok(a.pending, 'a state change waits for confirmation');
    assert.match(a.answer, /POST \/v1\/units\/web\/stop/);
    await d.handle(reply);
    assert.deepEqual(os.changes, [], `reply ${JSON.stringify(reply)} must not run it`);
    assert.equal((await os.unit('web')).status.state, 'running');
  }
  const { d, os } = retrieval();
  await d.handle('restart db');
  const done = await d.handle('y');
  assert.deepEqual(os.changes, ['restart db']);
  assert.match(done.answer, /^Done: POST \/v1\/units\/db\/restart/);
  for (const cmd of ['switch to g2-bbbbbbbbbbbb', 'rollback']) {
    const x = retrieval();
    assert.ok((await x.d.handle(cmd)).pending);
    assert.deepEqual(x.os.changes, []);
  }
});

test('why did a unit fail quotes its journal lines with seq and time', async () => {
  const { d } = retrieval();
  const a = await d.handle('why did db fail?');
  assert.match(a.answer, /db \(service\): failed/);
  assert.match(a.answer, /seq 3 2026-01-01T00:00:01.000Z db\[error\]: cannot open \/var\/db/);
  const u = await d.handle('why did dbx fail?');
  assert.match(u.answer, /There is no unit "dbx"\. Did you mean: db\?/);
});

test('an ambiguous name gets a clarifying question; a number picks', async () => {
  const { d } = retrieval();
  const a = await d.handle('where is hash defined?');
  assert.match(a.answer, /Which one do you mean\?/);
  assert.equal(a.citations.length, 2);
  const b = await d.handle('2');
  assert.match(b.answer, /^src\/util\/hash\.ts:2-/);
  const m = await d.handle('what does hash do?');
  assert.match(m.answer, /could be any of these:\n {2}1\) src\/other\/hash\.ts\n {2}2\) src\/util\/hash\.ts/);
});

test('bad input: empty, enormous, binary, unknown', async () => {
  const { d, os } = retrieval();
  assert.match((await d.handle('   ')).answer, /Ask me something/);
  assert.match((await d.handle('x'.repeat(MAX_INPUT_BYTES + 1))).answer, /limit is 65536 bytes/);
  assert.match((await d.handle(new Uint8Array([0xff, 0xfe, 0x00, 0x41]))).answer, /binary/);
  assert.match((await d.handle('status\u0000')).answer, /binary or control/);
  const u = await d.handle('make me a sandwich');
  assert.match(u.answer, /did not understand/);
  assert.match(u.answer, /help/);
  assert.deepEqual(os.changes, []);
});

test('a module question quotes its header, exports and importers', async () => {
  const { d } = retrieval();
  const a = await d.handle('what does src/store do?');
  assert.match(a.answer, /src\/store\/index\.ts:1 .*\n {2}"The store's public face\."/);
  const t = await d.handle('which tests cover writeThing');
  assert.deepEqual(t.citations, [{ path: 'src/store/store.test.ts', line: 1 }]);
});

test('without a model that can chat, the mode says why', async () => {
  const d = createDialog({
    code, os: memoryOs(),
    model: { models: async () => [{ id: 'dialogos-mini', chat: false, tools: false, embeddings: false }], chat: async () => { throw new Error('must not be called'); } },
  });
  const m = await d.mode();
  assert.equal(m.mode, 'retrieval');
  assert.match(m.why, /dialogos-mini/);
  assert.equal((await d.handle('where is hash defined')).mode, 'retrieval');
});
