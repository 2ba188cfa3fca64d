// An accepted candidate that breaks boot is rolled back by the boot chain on its own (issue 10, "VM tests";
// in the long suite: 800 s of TCG measured under load, half of it bundling in the guest;
// 3 TCG boots in one QEMU run: the guest reboots itself). The candidate adds `dialogos --version`, reading the
// version from `new URL('../../package.json', import.meta.url)`: from dist/cli/main.js that is the
// checkout's package.json, so the unit suite (which runs dist/) plausibly passes it; in a generation the
// code is one bundle, /dialogos/bin/dialogos.mjs, where the same URL is /package.json, which does not exist,
// so every start of the CLI, dialogosd included, throws at import.
// Honest scope: the candidate's acceptance is recorded with the archive's own API (openArchive/putCandidate,
// on the host, then copied into the image's /data/dialogos/evolve); the evaluator's verdict is tested
// elsewhere. Everything after that is real and runs inside the booted Dialogos: `dialogos evolve promote`
// (copy, apply, provenance, bundle, sign with the machine key, stage with 1 try), the reboot, PID 1 giving
// up on the crashing main program, the boot stage marking the generation bad and falling back, and
// `evolve status`/`show` reporting the candidate as rolled back and refusing to promote it again.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCandidate, openArchive } from '../evolve/index.js';
import { withMachine, projectRoot } from '../vm/index.js';
import { candidateRecord, runRecord } from '../testkit/evolve/archive-records.js';
import { builtImage, firstGeneration, imageStore, onStore, readState, READY } from '../testkit/e2e/fixtures.js';
import { bootLines, GUEST_DIALOGOS, guestJson, powerOff, sh, shellPrompt } from '../testkit/e2e/guest.js';

const RUN = 'r-e2e-rollback';
const MAIN = 'src/cli/main.ts';
const GUEST_ARCHIVE = '/data/dialogos/evolve';

const VERSION_LINE = "const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;";

/** The candidate: `dialogos --version` from package.json, found relative to the module (see the header). */
function breakingCandidate(): { id: string; files: Map<string, string> } {
  const before = readFileSync(join(projectRoot(), MAIN), 'utf8');
  const after = before
    .replace("import { Command, CommanderError } from 'commander';", "import { readFileSync } from 'node:fs';\nimport { Command, CommanderError } from 'commander';")
    .replace('export async function run(', `${VERSION_LINE}\n\nexport async function run(`)
    .replace('    .exitOverride()', '    .version(VERSION)\n    .exitOverride()');
  assert.notEqual(after, before, `the candidate must change ${MAIN}`);
  const c = makeCandidate([{ path: MAIN, before, after }]);
  const dir = mkdtempSync(join(tmpdir(), 'e2e-rollback-archive-'));
  try {
    const a = openArchive(dir);
    const accepted = { decision: 'accepted' as const, fitness: 1, reason: 'e2e: recorded as accepted', description: 'dialogos --version' };
    a.putCandidate({ ...candidateRecord(RUN, 0), id: c.id, changes: c.changes, ...accepted });
    a.putRun(runRecord(RUN, { status: 'met', reason: 'e2e', best: { id: c.id, fitness: 1 } }));
    a.close();
    const files = new Map<string, string>();
    for (const sub of ['', 'candidates', 'runs']) {
      for (const f of readdirSync(join(dir, sub), { withFileTypes: true })) if (f.isFile() && f.name !== 'lock') files.set(join(sub, f.name), readFileSync(join(dir, sub, f.name), 'utf8'));
    }
    return { id: c.id, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Promotion { candidate: string; generation: string; outcome: string; reason: string }

describe('e2e: evolve promotion rolled back by the boot chain', () => {
  let image = '';
  before(async () => { image = await builtImage(); });

  it('accepted candidate breaks boot -> promote -> reboot -> tries spent -> fallback -> rolled back, never again', { timeout: 1_500_000 }, async () => {
    await withMachine(image, async (m) => {
      const g1 = await firstGeneration(m.disk);
      const cand = breakingCandidate();
      await onStore(m.disk, async (_store, fs) => {
        for (const d of ['/dialogos/evolve/candidates', '/dialogos/evolve/runs']) await fs.mkdir(d);
        for (const [rel, text] of cand.files) await fs.writeFile(`/dialogos/evolve/${rel}`, text);
        await fs.fsyncDir('/dialogos/evolve');
      });

      const vm = await m.boot();
      assert.equal((await vm.waitFor(READY)).groups[0], g1);
      await shellPrompt(vm);
      const promoted = await guestJson<{ id: string; parent: string | null; staged: number; candidate: string }>(
        vm, `evolve promote ${cand.id} --tries 1 --archive ${GUEST_ARCHIVE}`, 900_000);
      const bad = promoted.id;
      assert.deepEqual([promoted.candidate, promoted.parent, promoted.staged], [cand.id, g1, 1]);
      // What the boot will meet: the new generation's bundle throws at import (timed: the crash loop must fit
      // PID 1's window of 3 failures in 60 s).
      const t0 = Date.now();
      const direct = await sh(vm, `node /data/dialogos/store/gens/${bad}/tree/bin/dialogos.mjs --help 2>&1`);
      assert.notEqual(direct.status, 0, direct.output);
      assert.match(direct.output, new RegExp(`ENOENT.*/data/dialogos/store/gens/${bad}/package\\.json`));
      process.stderr.write(`e2e: the promoted bundle fails at import in ${Date.now() - t0} ms (guest, TCG)\n`);

      const from = vm.console().length;
      vm.write(`${GUEST_DIALOGOS} reboot\n`);
      const long = { from, timeoutMs: 420_000 };
      await vm.waitFor(`dialogos: generation ${bad} main process failed 3 times during its trial; rebooting to count the try`, long);
      await vm.waitFor(`dialogos: fallback from ${bad}: tries exhausted`, long);
      const ready = await vm.waitFor(READY, long);
      assert.equal(ready.groups[0], g1, 'the parent generation is back');
      assert.deepEqual(bootLines(vm.console().slice(from)), [
        { id: bad, reason: 'default', attempt: 1 },
        { id: g1, reason: 'recovery', attempt: 0 },
      ]);
      await shellPrompt(vm);

      const status = await guestJson<{ id: string; promotions: Promotion[] }>(vm, `evolve status --archive ${GUEST_ARCHIVE}`);
      assert.equal(status.id, RUN);
      assert.deepEqual(status.promotions.map((p) => [p.candidate, p.generation, p.outcome]), [[cand.id, bad, 'rolled-back']]);
      assert.match(status.promotions[0]!.reason, new RegExp(`generation ${bad} fell back: tries exhausted`));
      const show = await sh(vm, `${GUEST_DIALOGOS} evolve show ${cand.id} --archive ${GUEST_ARCHIVE}`);
      assert.equal(show.status, 0, show.output);
      assert.match(show.output, new RegExp(`promoted ${cand.id} -> generation ${bad}: rolled-back`));
      const again = await sh(vm, `${GUEST_DIALOGOS} evolve promote ${cand.id} --tries 1 --archive ${GUEST_ARCHIVE} 2>&1`, 300_000);
      assert.equal(again.status, 1, again.output);
      assert.match(again.output, new RegExp(`Cannot promote candidate "${cand.id}": it was rolled back`));
      await powerOff(vm);

      const s = await readState(m.disk);
      assert.equal(s.generations[bad]?.status, 'bad');
      assert.equal(s.generations[bad]?.badReason, 'tries exhausted');
      assert.deepEqual([s.default, s.lastGood, s.generations[g1]?.status], [g1, g1, 'good']);
      assert.equal(Object.keys(s.generations).length, 2, 'the refused promotion staged nothing');
      const { fs, store } = imageStore(m.disk);
      const manifest = await store.readManifest(bad);
      assert.ok(manifest.files.some((f) => f.path === `docs/evolve/${cand.id}.json`), 'the provenance is in the signed tree');
      const ledger = Buffer.from(await fs.readFile('/dialogos/evolve/promotions.jsonl')).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Promotion);
      assert.deepEqual(ledger.map((p) => [p.generation, p.outcome]), [[bad, 'staged'], [bad, 'rolled-back']], 'the archive learned the outcome');
    });
  });
});
