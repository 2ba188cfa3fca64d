// After src/gen lands: rename to realstore.test.ts. The composed daemon against src/gen's real Store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, createNodeFileSystem, generateSigningKey, writeGeneration, parseTrust } from '../gen/index.js';
import { runDaemon } from './daemon.js';
import type { GenBindings } from './ports.js';

const bindings: GenBindings = { openStore: (root) => new Store(createNodeFileSystem(), root), generateSigningKey };

async function machine(checks: unknown[], windowSeconds: number) {
  const base = await mkdtemp(join(tmpdir(), 'rs-'));
  const data = join(base, 'data'); const run = join(base, 'run'); const tree = join(base, 'tree');
  await mkdir(join(data, 'dialogos', 'keys'), { recursive: true }); await mkdir(run); await mkdir(tree);
  await writeFile(join(tree, 'main.mjs'), 'x');
  await writeFile(join(data, 'dialogos', 'keys', 'policy.json'), '{"trustMachineKey":true}');
  const fs = createNodeFileSystem(); const root = join(data, 'dialogos');
  const key = generateSigningKey();
  const id = await writeGeneration(fs, root, { version: 2, parent: null, rollbackFloor: 2, created: '2026-01-01T00:00:00Z',
    provenance: { builder: 't', sourceDigest: 'x', toolchain: {}, command: 't' }, entry: { main: 'main.mjs', args: [] }, kernel: null,
    health: { windowSeconds, checks } as never, treeDir: tree }, key);
  const s = new Store(fs, root);
  await s.stage(id, 3);
  await s.recordTry({ id, reason: 'default', attempt: 1, fallbacks: [], markBad: [] });
  await writeFile(join(run, 'handover.json'), JSON.stringify({ newRoot: '/newroot', generation: id, trial: true, argv: ['/usr/bin/node', '/dialogos/bin/dialogos.mjs'] }));
  return { id, data, run, s };
}

test('real Store: healthy boot blesses, trust.json parses with gen', async () => {
  const m = await machine([{ name: 't', kind: 'command', argv: ['true'], timeoutSeconds: 5 }], 5);
  const lines: string[] = []; let stop!: () => void;
  const done = runDaemon({ dataDir: m.data, runDir: m.run, hostMode: true, shell: false, bindings, env: {},
    console: { line: (t) => { lines.push(t); if (t.startsWith('dialogos ready')) stop(); } }, onSignal: (sig, fn) => { if (sig === 'SIGTERM') stop = fn; } });
  assert.equal(await done, 0, lines.join('\n'));
  const st = (await m.s.readState()).state;
  assert.equal(st.generations[m.id]!.status, 'good'); assert.equal(st.trial, null); assert.equal(st.floor, 2);
  const trust = parseTrust(await readFile(join(m.data, 'dialogos', 'keys', 'trust.json')));
  assert.equal(trust.keys.length, 1);

});

test('real Store: failing check marks bad', async () => {
  const m = await machine([{ name: 'f', kind: 'command', argv: ['false'], timeoutSeconds: 5 }], 1);
  const code = await runDaemon({ dataDir: m.data, runDir: m.run, hostMode: true, shell: false, bindings, env: {}, console: { line: () => undefined }, onSignal: () => undefined });
  assert.equal(code, 1);
  const st = (await m.s.readState()).state;
  assert.equal(st.generations[m.id]!.status, 'bad'); assert.equal(st.trial, null);
});

test('real Store: SIGTERM in the window refunds', async () => {
  const m = await machine([{ name: 'n', kind: 'file', path: '/nonexistent', timeoutSeconds: 5 }], 60);
  const before = (await m.s.readState()).state.generations[m.id]!.triesLeft;
  let stop!: () => void;
  const done = runDaemon({ dataDir: m.data, runDir: m.run, hostMode: true, shell: false, bindings, env: {},
    console: { line: (t) => { if (t.startsWith('dialogos: created machine key')) setTimeout(() => stop(), 300); } }, onSignal: (sig, fn) => { if (sig === 'SIGTERM') stop = fn; } });
  assert.equal(await done, 0);
  const st = (await m.s.readState()).state;
  assert.equal(st.generations[m.id]!.triesLeft, before + 1); assert.equal(st.trial, null); assert.equal(st.generations[m.id]!.status, 'staged');
});
