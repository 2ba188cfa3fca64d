// kill -9 of `evolve promote` for real, while the generation is signed and written into the store: the
// store still reads, every generation it lists verifies, the archive is whole, and promoting again works.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createNodeFileSystem, generateSigningKey, loadTrust, trustEntry, verifyGeneration } from '../gen/index.js';
import { makeCandidate, openArchive } from '../evolve/index.js';
import { candidateRecord } from '../testkit/evolve/archive-records.js';
import { runningSourceRoot } from './gen-build.js';
import { promote } from './evolve-promote.js';
import { openStoreTarget } from './store-target.js';

const url = (f: string) => JSON.stringify(pathToFileURL(join(import.meta.dirname, f)).href);
const child = (archive: string, store: string, id: string) => `
  const { openArchive } = await import(${url('../evolve/index.js')});
  const { promote } = await import(${url('./evolve-promote.js')});
  const { openStoreTarget } = await import(${url('./store-target.js')});
  const a = openArchive(${JSON.stringify(archive)});
  await promote(a, ${JSON.stringify(id)}, openStoreTarget({ store: ${JSON.stringify(store)}, env: {} }), { tries: 2, argv: ['evolve', 'promote'], log: (l) => process.stdout.write(l + '\\n') });
  process.stdout.write('done\\n');`;

test('kill -9 of promote while it writes the generation leaves the store and the archive whole', { timeout: 300_000 }, async (t) => {
  const source = runningSourceRoot();
  const doc = 'docs/ARCHITECTURE.md';
  const text = readFileSync(join(source, doc), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'evolve-promote-kill-'));
  const store = join(dir, 'store'), archiveDir = join(dir, 'archive');
  const key = generateSigningKey();
  mkdirSync(join(store, 'keys'), { recursive: true });
  writeFileSync(join(store, 'keys', 'trust.json'), JSON.stringify({ keys: [trustEntry(key, 'test')] }));
  writeFileSync(join(store, 'keys', 'machine.key'), key.privateKeyPem, { mode: 0o600 });
  const archive = openArchive(archiveDir);
  const c = makeCandidate([{ path: doc, before: text, after: `${text}\nkill test\n` }]);
  archive.putCandidate({ ...candidateRecord('r-1', 0), id: c.id, changes: c.changes, decision: 'accepted', fitness: 1 });
  archive.close();
  try {
    const p = spawn(process.execPath, ['--input-type=module', '-e', child(archiveDir, store, c.id)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = '';
    const outcome = await new Promise<string>((res) => {
      p.stdout.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('gen build: signing')) setTimeout(() => p.kill('SIGKILL'), Math.floor(Math.random() * 400));
      });
      p.on('exit', (code, sig) => res(sig ?? `exit ${code}`));
    });
    assert.ok(outcome === 'SIGKILL' || seen.includes('done'), `promote ended with ${outcome}: ${seen}`);
    t.diagnostic(`promote ended by ${outcome}`);
    const target = openStoreTarget({ store, env: {} });
    const fs = createNodeFileSystem();
    const trust = await loadTrust(fs, store);
    const check = async () => {
      const { state } = await target.store.readState();
      for (const g of Object.keys(state.generations)) await verifyGeneration(fs, store, g, trust);
      return Object.keys(state.generations).length;
    };
    assert.ok((await check()) <= 1);
    const ro = openArchive(archiveDir);
    assert.equal(ro.getCandidate(c.id).decision, 'accepted', 'the archive is untouched');
    const again = await promote(ro, c.id, target, { tries: 2, argv: ['evolve', 'promote'] });
    assert.equal((await target.store.readState()).state.generations[again.id]?.status, 'staged');
    assert.ok((await check()) >= 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
