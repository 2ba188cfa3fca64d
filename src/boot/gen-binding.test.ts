import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoreState } from '../gen/types.js';
import { fakeManifest, fakeRecord, fakeState } from '../testkit/boot/fake-store.js';
import { bindGenStore, type GenApi } from './gen-binding.js';
import type { BootDecision } from './store.js';

test('bindGenStore adapts src/gen: store root, Error-returning verify, readState unwrapping', async () => {
  const calls: string[] = [];
  const state = fakeState({ 'g1-aaa': fakeRecord(), 'g2-bbb': fakeRecord({ version: 2 }) });
  const gen: GenApi<{ fs: true }, { keys: [] }> = {
    createNodeFileSystem: () => ({ fs: true }),
    Store: class {
      constructor(_fs: { fs: true }, root: string) { calls.push(`store ${root}`); }
      async readState() { return { state, problem: new Error('state.json was torn; used state.json.bak') }; }
      async recordTry(d: BootDecision) { calls.push(`try ${d.id}`); return state; }
      async markBad(id: string) { calls.push(`bad ${id}`); return state; }
    },
    loadTrust: async (_fs, root) => (calls.push(`trust ${root}`), { keys: [] }),
    verifyGeneration: async (_fs, root, id) => {
      if (id === 'g2-bbb') throw new Error(`Cannot boot generation "g2-bbb": untrusted key "k9"`);
      return { id, manifest: fakeManifest(), treeDir: `${root}/store/gens/${id}/tree` };
    },
    async selectGeneration(_s: StoreState, inputs) {
      const err = await inputs.verify('g2-bbb');
      assert.match(String(err?.message), /untrusted key/);
      assert.equal(await inputs.verify('g1-aaa'), null);
      return { id: 'g1-aaa', reason: 'fallback', attempt: 0, fallbacks: [{ id: 'g2-bbb', reason: err!.message }], markBad: [] };
    },
  };
  const lines: string[] = [];
  const store = await bindGenStore(gen, (l) => lines.push(l))('/data');
  assert.deepEqual(await store.readState(), state);
  assert.deepEqual(lines, ['dialogos: store state recovered (state.json was torn; used state.json.bak)']);
  const d = await store.select(state, { menuPick: null, forcedId: null, verify: (id) => store.verify(id) });
  assert.equal(d.id, 'g1-aaa');
  await store.recordTry(d);
  assert.deepEqual(calls, ['store /data/dialogos', 'trust /data/dialogos', 'try g1-aaa']);
});
