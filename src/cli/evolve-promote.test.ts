// Promotion on the host with gen-build.test.ts's fixtures (a store directory with a trusted machine key):
// an accepted candidate becomes a verified generation staged with tries, carrying the candidate's files and
// its provenance in the signed tree; a rejected candidate, a protected path without the owner's approval
// and a change that no longer applies are refused before anything is built.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createNodeFileSystem, generateSigningKey, loadTrust, storeLayout, trustEntry, verifyGeneration } from '../gen/index.js';
import { makeCandidate, openArchive, promotion, type Archive } from '../evolve/index.js';

const { preparePromotion } = promotion;
import { candidateRecord } from '../testkit/evolve/archive-records.js';
import { runningSourceRoot } from './gen-build.js';
import { promote } from './evolve-promote.js';
import { openStoreTarget } from './store-target.js';

const source = runningSourceRoot();
const doc = 'docs/ARCHITECTURE.md';
const docText = readFileSync(join(source, doc), 'utf8');

function storeDir(): string {
  const key = generateSigningKey();
  const dir = mkdtempSync(join(tmpdir(), 'evolve-promote-'));
  mkdirSync(join(dir, 'keys'), { recursive: true });
  writeFileSync(join(dir, 'keys', 'trust.json'), JSON.stringify({ keys: [trustEntry(key, 'test')] }));
  writeFileSync(join(dir, 'keys', 'machine.key'), key.privateKeyPem, { mode: 0o600 });
  return dir;
}

/** An archive holding one candidate per case, by name. */
function archiveWith(dir: string): { archive: Archive; ids: Record<string, string> } {
  const archive = openArchive(dir);
  const ids: Record<string, string> = {};
  const put = (name: string, path: string, before: string | null, after: string, decision: 'accepted' | 'rejected') => {
    const c = makeCandidate([{ path, before, after }]);
    archive.putCandidate({ ...candidateRecord('r-1', 0), id: c.id, changes: c.changes, decision, fitness: 1, reason: `${name} case`, description: name });
    ids[name] = c.id;
  };
  put('accepted', doc, docText, `${docText}\nA line the loop added.\n`, 'accepted');
  put('rejected', doc, docText, `${docText}\nrejected\n`, 'rejected');
  put('protected', 'tsconfig.json', readFileSync(join(source, 'tsconfig.json'), 'utf8'), '{}\n', 'accepted');
  put('stale', doc, 'an older text\n', 'new\n', 'accepted');
  return { archive, ids };
}

test('promotion refuses a rejected candidate, a protected path without approval and a change that no longer applies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-promote-archive-'));
  const { archive, ids } = archiveWith(dir);
  try {
    assert.throws(() => preparePromotion(archive, ids.rejected!, { source }), { name: 'CandidateNotAcceptedError', message: /it was rejected \(rejected case\)/ });
    assert.throws(() => preparePromotion(archive, ids.protected!, { source }), {
      name: 'OwnerApprovalRequiredError', message: /protected paths \(tsconfig.json\); the owner must approve with --owner-approved/,
    });
    assert.throws(() => preparePromotion(archive, ids.stale!, { source }), { name: 'PromotionConflictError', message: /"docs\/ARCHITECTURE.md" in ".*" is no longer the text it was judged against/ });
    const approved = preparePromotion(archive, ids.protected!, { source, ownerApproved: true });
    try {
      assert.equal(readFileSync(join(approved.tree, 'tsconfig.json'), 'utf8'), '{}\n');
      assert.deepEqual(approved.protected, ['tsconfig.json']);
      const prov = JSON.parse(readFileSync(join(approved.tree, `docs/evolve/${ids.protected}.json`), 'utf8')) as { ownerApproved: boolean };
      assert.equal(prov.ownerApproved, true, 'the approval is part of the signed provenance');
    } finally {
      approved.dispose();
    }
    assert.equal(readFileSync(join(source, 'tsconfig.json'), 'utf8').includes('compilerOptions'), true, 'the source is never written');
  } finally {
    archive.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('promote builds an accepted candidate into a verified generation staged with tries, provenance signed', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-promote-archive-'));
  const store = storeDir();
  const { archive, ids } = archiveWith(dir);
  try {
    const target = openStoreTarget({ store, env: {} });
    const r = await promote(archive, ids.accepted!, target, { source, tries: 2, argv: ['evolve', 'promote', ids.accepted!] });
    const { state } = await target.store.readState();
    assert.equal(state.generations[r.id]?.status, 'staged');
    assert.equal(state.generations[r.id]?.triesLeft, 2);
    const fs = createNodeFileSystem();
    const { manifest } = await verifyGeneration(fs, store, r.id, await loadTrust(fs, store));
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    const file = (p: string) => manifest.files.find((f) => f.path === p);
    assert.equal(file(doc)?.sha256, sha(`${docText}\nA line the loop added.\n`), 'the tree carries the candidate\'s file');
    assert.ok(file(`docs/evolve/${ids.accepted}.json`), 'the provenance is in the signed tree');
    assert.match(manifest.provenance.command, /^dialogos evolve promote c-/);
    const prov = JSON.parse(readFileSync(join(storeLayout(store).tree(r.id), 'docs', 'evolve', `${ids.accepted}.json`), 'utf8')) as { candidate: string; files: { after: string }[] };
    assert.equal(prov.candidate, ids.accepted);
    assert.equal(prov.files[0]!.after, sha(`${docText}\nA line the loop added.\n`));
  } finally {
    archive.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(store, { recursive: true, force: true });
  }
});
