// The loop learns a rollback through the CLI, on the host (no VM): `evolve promote` stages the candidate's
// generation and records it in the archive's ledger; the store then marks that generation bad, as the boot
// stage does when its tries are spent; `evolve status`/`show` report the candidate as rolled back and record
// it, and promoting it again is refused with nothing staged. The VM test src/e2e/evolve-rollback.vmlong.test.ts
// shows the same with a real boot and fallback.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { Store, createNodeFileSystem, generateSigningKey, trustEntry } from '../gen/index.js';
import { makeCandidate, openArchive } from '../evolve/index.js';
import { candidateRecord, runRecord } from '../testkit/evolve/archive-records.js';
import type { CliIo } from './api-common.js';
import { runningSourceRoot } from './gen-build.js';
import { registerEvolve } from './evolve.js';

async function cli(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, env };
  const program = new Command('dialogos').exitOverride();
  registerEvolve(program, io);
  process.exitCode = 0;
  await program.parseAsync(argv, { from: 'user' });
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out, err };
}

test('a promoted generation the store marks bad is reported and recorded as rolled back, and never promoted again', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-rollback-'));
  const store = join(dir, 'store'), archiveDir = join(dir, 'archive');
  try {
    const key = generateSigningKey();
    mkdirSync(join(store, 'keys'), { recursive: true });
    writeFileSync(join(store, 'keys', 'trust.json'), JSON.stringify({ keys: [trustEntry(key, 'test')] }));
    writeFileSync(join(store, 'keys', 'machine.key'), key.privateKeyPem, { mode: 0o600 });
    const doc = 'docs/ARCHITECTURE.md';
    const text = readFileSync(join(runningSourceRoot(), doc), 'utf8');
    const c = makeCandidate([{ path: doc, before: text, after: `${text}\nrollback test\n` }]);
    const a = openArchive(archiveDir);
    a.putCandidate({ ...candidateRecord('r-1', 0), id: c.id, changes: c.changes, decision: 'accepted', fitness: 1 });
    a.putRun(runRecord('r-1', { status: 'met' }));
    a.close();
    const env = { DIALOGOS_STORE: store };
    const args = ['--archive', archiveDir];

    const p = await cli(['evolve', 'promote', c.id, '--tries', '1', '--json', ...args], env);
    assert.equal(p.code, 0, p.err);
    const gen = (JSON.parse(p.out) as { id: string }).id;
    const staged = await cli(['evolve', 'status', '--json', ...args], env);
    assert.deepEqual((JSON.parse(staged.out) as { promotions: { outcome: string }[] }).promotions.map((x) => x.outcome), ['staged']);

    await new Store(createNodeFileSystem(), store).markBad(gen, 'tries exhausted');
    const s = await cli(['evolve', 'status', '--json', ...args], env);
    const promoted = (JSON.parse(s.out) as { promotions: { candidate: string; generation: string; outcome: string; reason: string }[] }).promotions;
    assert.deepEqual(promoted.map((x) => [x.candidate, x.generation, x.outcome]), [[c.id, gen, 'rolled-back']]);
    assert.match(promoted[0]!.reason, new RegExp(`generation ${gen} fell back: tries exhausted`));
    const ledger = readFileSync(join(archiveDir, 'promotions.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { outcome: string }).outcome);
    assert.deepEqual(ledger, ['staged', 'rolled-back'], 'status recorded what it learned');

    const show = await cli(['evolve', 'show', c.id, ...args], env);
    assert.match(show.out, new RegExp(`promoted ${c.id} -> generation ${gen}: rolled-back \\(generation ${gen} fell back: tries exhausted\\)`));
    const again = await cli(['evolve', 'promote', c.id, '--tries', '1', ...args], env);
    assert.equal(again.code, 1);
    assert.match(again.err, new RegExp(`Cannot promote candidate "${c.id}": it was rolled back`));
    const { state } = await new Store(createNodeFileSystem(), store).readState();
    assert.deepEqual(Object.keys(state.generations), [gen], 'nothing else was staged');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
