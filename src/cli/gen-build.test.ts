// gen build against a real store directory: the new generation is signed by a trusted key, verifies,
// names its parent and is staged; an untrusted key is refused before anything is written.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createNodeFileSystem, generateSigningKey, loadTrust, trustEntry, verifyGeneration } from '../gen/index.js';
import { buildGeneration, runningSourceRoot } from './gen-build.js';
import { openStoreTarget } from './store-target.js';

function storeDir(trusted: ReturnType<typeof generateSigningKey>[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'gen-build-'));
  mkdirSync(join(dir, 'keys'), { recursive: true });
  writeFileSync(join(dir, 'keys', 'trust.json'), JSON.stringify({ keys: trusted.map((k) => trustEntry(k, 'test')) }));
  return dir;
}

test('runningSourceRoot finds the checkout this test was compiled from', () => {
  assert.equal(runningSourceRoot(), join(import.meta.dirname, '..', '..'));
});

test('gen build makes a verified, staged generation whose parent is the default', { timeout: 120_000 }, async () => {
  const key = generateSigningKey();
  const dir = storeDir([key]);
  try {
    const keyFile = join(dir, 'keys', 'machine.key');
    writeFileSync(keyFile, key.privateKeyPem, { mode: 0o600 });
    const target = openStoreTarget({ store: dir, env: {} });
    const first = await buildGeneration(target, { argv: ['gen', 'build'] });
    assert.equal(first.version, 1);
    assert.equal(first.parent, null);
    await target.store.switchTo(first.id).catch(() => undefined); // staged-but-untried generations may refuse
    const second = await buildGeneration(target, { argv: ['gen', 'build', '--stage', '2'], stage: 2 });
    assert.equal(second.version, 2);
    const { state } = await target.store.readState();
    assert.equal(state.generations[second.id]?.status, 'staged');
    assert.equal(state.generations[second.id]?.triesLeft, 2);
    assert.equal(state.default, second.id);
    const fs = createNodeFileSystem();
    const verified = await verifyGeneration(fs, dir, second.id, await loadTrust(fs, dir));
    assert.equal(verified.manifest.entry.main, 'bin/dialogos.mjs');
    assert.ok(verified.manifest.files.some((f) => f.path === 'src/cli/main.ts'), 'the generation carries its source');
    assert.match(verified.manifest.provenance.command, /^dialogos gen build/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gen build refuses a key the store does not trust, and writes nothing', async () => {
  const dir = storeDir([generateSigningKey()]);
  try {
    const keyFile = join(dir, 'stranger.key');
    writeFileSync(keyFile, generateSigningKey().privateKeyPem);
    const target = openStoreTarget({ store: dir, env: {} });
    await assert.rejects(buildGeneration(target, { key: keyFile, argv: [] }), /does not trust it/);
    assert.deepEqual(Object.keys((await target.store.readState()).state.generations), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
