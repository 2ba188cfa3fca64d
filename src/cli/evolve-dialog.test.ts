// The dialog driving the self-improvement loop, over a real archive written through src/evolve's archive API
// and the real `dialogos evolve` command: watching and explaining a run, lists, bad input named by its value,
// the y/N gate in front of start, stop and promote (a no changes nothing), a real start and a real stop.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDialog, grepCodeTools, validateCall, type CodeTools, type Dialog } from '../dialog/index.js';
import { makeCandidate, openArchive, type CandidateRecord } from '../evolve/index.js';
import { generateSigningKey, trustEntry } from '../gen/index.js';
import { memoryOs } from '../testkit/dialog/memory-os.js';
import { fixtureTree, scriptedModel } from '../testkit/dialog/fixtures.js';
import { candidateRecord, runRecord } from '../testkit/evolve/archive-records.js';
import { dialogEvolveTools } from './evolve-dialog.js';
import { runningSourceRoot } from './gen-build.js';
import { openStoreTarget } from './store-target.js';

const source = runningSourceRoot();
const cli = [process.execPath, join(source, 'dist', 'cli', 'main.js')];
const RUN = 'r-20261203t100000-aaaaaa';
/** The runs it starts are programs of their own, not tests of this runner (NODE_TEST_CONTEXT would nest them). */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
let fx: Awaited<ReturnType<typeof fixtureTree>>;
let code: CodeTools;
const dirs: string[] = [];
before(async () => { fx = await fixtureTree(); code = grepCodeTools(fx.root); });
after(async () => { await fx.dispose(); for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** An archive with one finished-looking run (left "running" by a killed process) and two candidates. */
function archiveFixture(): { dir: string; rejected: CandidateRecord; accepted: CandidateRecord } {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-dialog-'));
  dirs.push(dir);
  const a = openArchive(dir);
  const change = (after: string) => makeCandidate([{ path: 'src/gen/canonical.ts', before: 'a\n', after }]);
  const bad = change('b\n'), good = change('c\n');
  const rejected = candidateRecord(RUN, 1, {
    id: bad.id, changes: bad.changes, decision: 'rejected', fitness: 0, reason: 'typecheck: 1 error',
    provenance: { proposer: 'mutation', operator: 'swap-binary-operator' },
    stages: [
      { stage: 'static', pass: true, wallMs: 3, cpuMs: 2, detail: 'scope, protected paths and lint pass' },
      { stage: 'typecheck', pass: false, wallMs: 210, cpuMs: 190, detail: '1 error: src/gen/canonical.ts:4 TS2322',
        failed: [{ file: 'src/gen/canonical.test.ts', name: 'sorts keys' }] },
    ],
  });
  const accepted = candidateRecord(RUN, 2, {
    id: good.id, changes: good.changes, decision: 'accepted', fitness: 1, reason: 'fixes 1 of 1 failing tests',
    stages: [{ stage: 'static', pass: true, wallMs: 2, cpuMs: 1, detail: 'pass' }, { stage: 'typecheck', pass: true, wallMs: 150, cpuMs: 140, detail: 'pass' }],
  });
  a.putCandidate(rejected);
  a.putCandidate(accepted);
  a.putRun(runRecord(RUN, {
    spec: 'test:src/gen/canonical.test.ts', target: { kind: 'tests', failToPass: [{ file: 'src/gen/canonical.test.ts', name: 'sorts keys' }], origin: 'dialog' },
    budget: { evaluations: 10, minutes: 30 }, elapsedMs: 120_000, best: { id: good.id, fitness: 1 },
    counts: { proposed: 3, duplicates: 1, malformed: 0, evaluated: 2, accepted: 1, errors: 0, stages: { static: { run: 2, passed: 2 }, typecheck: { run: 2, passed: 1 } } },
  }));
  a.close();
  return { dir, rejected, accepted };
}

const dialogOver = (dir: string): Dialog => createDialog({
  code, os: memoryOs(), model: null,
  evolve: dialogEvolveTools({ archive: dir, source, cli, env, runner: 'local', stopWaitMs: 10_000 }),
});

test('"how is the evolve run going" answers with the run\'s state and progress figures', async () => {
  const { dir, accepted } = archiveFixture();
  const a = await dialogOver(dir).handle('how is the evolve run going?');
  assert.equal(a.mode, 'retrieval');
  assert.match(a.answer, new RegExp(`^Evolve run ${RUN}: interrupted: no process writes it`));
  assert.match(a.answer, /budget {5}2 of 10 evaluations, 2\.0 of 30 minutes/);
  assert.match(a.answer, /3 proposed, 2 evaluated, 1 accepted, 1 duplicates/);
  assert.match(a.answer, /stages {5}static 2\/2, typecheck 1\/2 \(passed\/run\)/);
  assert.match(a.answer, new RegExp(`best {7}${accepted.id} with fitness 1`));
  assert.match(a.answer, /progress {3}evolve r-20261203t100000-aaaaaa: 2\/10 evaluations, 2\.0\/30 min; 1 accepted.*60\.0 evaluations\/hour/);
});

test('"why was candidate X rejected" names the stage that rejected it, its figures and failed tests', async () => {
  const { dir, rejected, accepted } = archiveFixture();
  const d = dialogOver(dir);
  const a = await d.handle(`why was candidate ${rejected.id.slice(0, 8)} rejected`);
  assert.match(a.answer, new RegExp(`^Candidate ${rejected.id} was rejected by the typecheck stage \\(stage 2 of the 2 it reached\\): 1 error: src/gen/canonical.ts:4 TS2322`));
  assert.match(a.answer, /pass {7}static: .* \(3 ms wall, 2 ms CPU\)/);
  assert.match(a.answer, /FAIL {7}typecheck: .* \(210 ms wall, 190 ms CPU\)\n {13}failed test: src\/gen\/canonical.test.ts > sorts keys/);
  assert.match(a.answer, /by mutation\/swap-binary-operator; parent tree/);
  assert.match((await d.handle(`why was ${accepted.id} accepted?`)).answer, /was accepted: it passed all 2 stages it went through \(fitness 1\)/);
  const unknown = await d.handle('why was candidate X rejected');
  assert.match(unknown.answer, /^Cannot find "X" in archive ".*": it names no candidate or run$/);
  assert.match((await d.handle(`explain candidate ${RUN}`)).answer, new RegExp(`Cannot use "${RUN}" as a candidate: it is run "${RUN}"`));
});

test('runs and candidates are listed, the accepted ones on their own', async () => {
  const { dir, rejected, accepted } = archiveFixture();
  const d = dialogOver(dir);
  assert.match((await d.handle('evolve runs')).answer, new RegExp(`^1 evolve run, oldest first:\n  ${RUN}  running {3}test:src/gen/canonical.test.ts  2 evaluated, 1 accepted`));
  const all = (await d.handle('list candidates')).answer;
  assert.ok(all.includes(rejected.id) && all.includes(accepted.id), all);
  const ok = (await d.handle('which candidates were accepted')).answer;
  assert.match(ok, new RegExp(`^1 candidate:\n  ${accepted.id}  accepted`));
  assert.ok(!ok.includes(rejected.id));
});

test('bad input is refused before anything is asked, naming the value: unknown target, empty budget, unknown run', async () => {
  const { dir } = archiveFixture();
  const d = dialogOver(dir);
  const noFile = await d.handle('fix the failing test src/nope/none.test.ts');
  assert.equal(noFile.pending, undefined);
  assert.match(noFile.answer, /^Cannot start an evolve run on target "test:src\/nope\/none.test.ts": there is no test file "src\/nope\/none.test.ts" in /);
  assert.match((await d.handle('make nosuch faster')).answer, /target "bench:nosuch": there is no benchmark "nosuch" \(the benchmarks are canonical-json, mind-tokenize\)/);
  const ctx = { code, os: memoryOs(), evolve: dialogEvolveTools({ archive: dir, source, cli }), models: async () => [], progress: () => {} };
  const start = validateCall('evolve_start', { target: 'failing', budget: '' });
  assert.throws(() => start.tool.plan!(start.args, ctx), { name: 'InvalidBudgetError', message: /Cannot run with an empty budget/ });
  const zero = validateCall('evolve_start', { target: 'failing', budget: '0' });
  assert.throws(() => zero.tool.plan!(zero.args, ctx), { name: 'InvalidBudgetError', message: /budget "0": evaluations must be a positive whole number, got "0"/ });
  const form = validateCall('evolve_start', { target: 'src/gen/canonical.test.ts', budget: '5' });
  assert.throws(() => form.tool.plan!(form.args, ctx), { name: 'UnknownEvolveTargetError', message: /target "src\/gen\/canonical.test.ts": expected test:src\/x\/y.test.ts/ });
  assert.match((await d.handle('how is run r-nosuch going')).answer, /Cannot find "r-nosuch" in archive/);
  assert.match((await d.handle('stop the run')).answer, /^Cannot stop the evolve run: no process is running one in archive "/);
  const stale = await d.handle(`promote candidate ${RUN}`);
  assert.match(stale.answer, new RegExp(`^Cannot use "${RUN}" as a candidate: it is run "${RUN}"$`));
  assert.equal(stale.pending, undefined);
});

test('start and promote wait for a yes: a no cancels them and nothing is written or run', async () => {
  const { dir, rejected, accepted } = archiveFixture();
  const d = dialogOver(dir);
  const ask = await d.handle('fix the failing test src/gen/canonical.test.ts');
  assert.ok(ask.pending);
  assert.match(ask.answer, /This changes the machine: start a self-improvement run on "test:src\/gen\/canonical.test.ts" with a budget of 200 evaluations and 30 minutes/);
  assert.match(ask.answer, /\n {2}dialogos evolve run --target test:src\/gen\/canonical.test.ts --budget 200,30m --archive .* --source .* --runner local\nRun it\? \[y\/N\]$/);
  const no = await d.handle('no');
  assert.match(no.answer, /^Cancelled: start a self-improvement run .* was not done; nothing changed\.$/);
  assert.equal(existsSync(join(dir, 'logs')), false, 'no evolve run process was started');
  assert.deepEqual(openArchive(dir, { readOnly: true }).runs().map((r) => r.id), [RUN]);
  assert.match((await d.handle(`promote ${rejected.id}`)).answer, /^Cannot promote candidate "c-[0-9a-f]{16}": it was rejected \(typecheck: 1 error\); only accepted candidates/);
  const promote = await d.handle(`promote candidate ${accepted.id.slice(0, 6)} with 3 tries`);
  assert.match(promote.answer, new RegExp(`build candidate ${accepted.id} into a new signed generation staged with 3 boot tries\n {2}dialogos evolve promote ${accepted.id} --tries 3 --archive`));
  assert.match((await d.handle('what is slow?')).answer, /^Cancelled: build candidate .* was not done; nothing changed\.$/, 'another question cancels too');
});

test('a confirmed start runs dialogos evolve run and reports the run it recorded, or why it refused', { timeout: 120_000 }, async () => {
  const { dir } = archiveFixture();
  const d = dialogOver(dir);
  assert.ok((await d.handle('fix the failing test src/gen/canonical.test.ts with budget 1')).pending);
  const refused = await d.handle('y');
  assert.match(refused.answer, /^Failed: dialogos evolve run --target test:src\/gen\/canonical.test.ts --budget 1 .*\nCannot start an evolve run on "test:src\/gen\/canonical.test.ts": /);
  assert.match(refused.answer, /dialogos evolve run exited 2 before recording a run: .*no test in "src\/gen\/canonical.test.ts" fails, so there is nothing to fix$/);
  assert.ok((await d.handle('make canonical-json faster with budget 1')).pending);
  const started = await d.handle('yes');
  const id = /Started run (r-[0-9a-z-]+) on "bench:canonical-json" \(process \d+; its output goes to /.exec(started.answer)?.[1];
  assert.ok(id, started.answer);
  const run = openArchive(dir, { readOnly: true }).getRun(id);
  assert.deepEqual([run.spec, run.budget], ['bench:canonical-json', { evaluations: 1, minutes: null }]);
  assert.match((await d.handle(`how is run ${id} going`)).answer, new RegExp(`^Evolve run ${id}: `));
});

/** A real writer of the archive, as an evolve run is one: it holds the lock and has recorded a running run. */
async function liveWriter(dir: string, id: string): Promise<ChildProcess> {
  const evolve = new URL('../evolve/index.js', import.meta.url).href;
  const kit = new URL('../testkit/evolve/archive-records.js', import.meta.url).href;
  const script = `const { openArchive } = await import(${JSON.stringify(evolve)}); const { runRecord } = await import(${JSON.stringify(kit)});
    const a = openArchive(${JSON.stringify(dir)}); a.putRun(runRecord(${JSON.stringify(id)})); console.log('recorded'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => { if (b.toString().includes('recorded')) resolve(); });
    child.on('exit', (c) => reject(new Error(`the archive writer exited ${c} before recording its run`)));
  });
  return child;
}

test('stop asks first; a no leaves the run\'s process alive, a yes ends it and the run stays resumable', { timeout: 60_000 }, async () => {
  const { dir } = archiveFixture();
  const live = 'r-20261203t110000-bbbbbb';
  const writer = await liveWriter(dir, live);
  const exited = new Promise<string | null>((resolve) => writer.on('exit', (_c, s) => resolve(s)));
  try {
    const d = dialogOver(dir);
    assert.match((await d.handle('how is the evolve run going')).answer, new RegExp(`^Evolve run ${live}: running \\(process ${writer.pid}\\)`));
    const busy = await d.handle('make canonical-json faster');
    assert.match(busy.answer, new RegExp(`Cannot start an evolve run on "bench:canonical-json": run ${live} \\(process ${writer.pid}\\) is still running`));
    assert.match((await d.handle(`stop run ${RUN}`)).answer, new RegExp(`^Cannot stop run "${RUN}": no process is running it`));
    const ask = await d.handle('stop the run');
    assert.match(ask.answer, new RegExp(`stop self-improvement run ${live} \\(process ${writer.pid}; it stays resumable\\)\n  kill -TERM ${writer.pid} `));
    assert.match((await d.handle('n')).answer, /^Cancelled: stop self-improvement run/);
    process.kill(writer.pid!, 0); // still alive: throws if the no had stopped it
    assert.ok((await d.handle('stop the evolve run')).pending);
    const done = await d.handle('yes');
    assert.match(done.answer, new RegExp(`^Done: kill -TERM ${writer.pid} .*\nStopped run ${live}: process ${writer.pid} has ended after 0 evaluations, 0 accepted.*--resume ${live}`));
    assert.equal(await exited, 'SIGTERM');
    assert.match((await d.handle(`how is run ${live} going`)).answer, /: interrupted: no process writes it/);
  } finally {
    writer.kill('SIGKILL');
  }
});

test('with a chat model the same tools are used: a refused plan goes back to it, a state change waits for y/N', async () => {
  const { dir } = archiveFixture();
  const model = scriptedModel([
    { calls: [['evolve_start', '{"target":"test:src/nope.test.ts","budget":"10"}']] },
    { calls: [['evolve_start', '{"target":"bench:canonical-json","budget":"10"}']] },
  ]);
  const d = createDialog({ code, os: memoryOs(), model, evolve: dialogEvolveTools({ archive: dir, source, cli }) });
  const a = await d.handle('make canonicalJson faster');
  assert.equal(a.mode, 'big');
  assert.match(model.requests[1]!.messages.at(-1)!.content!, /^error: Cannot start an evolve run on target "test:src\/nope.test.ts": there is no test file/);
  assert.match(a.answer, /This changes the machine: start a self-improvement run on "bench:canonical-json" with a budget of 10 evaluations/);
  assert.match((await d.handle('no')).answer, /^Cancelled: .* nothing changed\.$/);
  assert.equal(existsSync(join(dir, 'logs')), false);
});

test('a confirmed promotion runs dialogos evolve promote and stages the new generation with the tries asked', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-dialog-promote-'));
  const store = mkdtempSync(join(tmpdir(), 'evolve-dialog-store-'));
  dirs.push(dir, store);
  const key = generateSigningKey();
  mkdirSync(join(store, 'keys'), { recursive: true });
  writeFileSync(join(store, 'keys', 'trust.json'), JSON.stringify({ keys: [trustEntry(key, 'test')] }));
  writeFileSync(join(store, 'keys', 'machine.key'), key.privateKeyPem, { mode: 0o600 });
  const doc = 'docs/ARCHITECTURE.md';
  const text = readFileSync(join(source, doc), 'utf8');
  const c = makeCandidate([{ path: doc, before: text, after: `${text}\nA line the loop added.\n` }]);
  const a = openArchive(dir);
  a.putCandidate(candidateRecord(RUN, 1, { id: c.id, changes: c.changes, decision: 'accepted', fitness: 1, reason: 'docs case' }));
  a.close();
  const d = createDialog({ code, os: memoryOs(), model: null, evolve: dialogEvolveTools({ archive: dir, source, cli, promoteArgs: ['--store', store] }) });
  assert.ok((await d.handle(`promote ${c.id} with 3 tries`)).pending);
  const done = await d.handle('y');
  const gen = new RegExp(`^Done: dialogos evolve promote ${c.id} --tries 3 .*--store ${store}\npromoted ${c.id} as generation (\\S+) \\(version \\d+\\), staged with 3 tries`).exec(done.answer)?.[1];
  assert.ok(gen, done.answer);
  const { state } = await openStoreTarget({ store, env: {} }).store.readState();
  assert.deepEqual([state.generations[gen]?.status, state.generations[gen]?.triesLeft], ['staged', 3]);
});

test('without the loop wired in, its tools say so', async () => {
  const d = createDialog({ code, os: memoryOs(), model: null });
  assert.match((await d.handle('how is the evolve run going')).answer, /^Cannot use the self-improvement loop: this dialog was started without its archive/);
});
