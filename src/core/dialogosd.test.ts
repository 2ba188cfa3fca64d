import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HealthCheck } from '../gen/types.js';
import { createDialogosd, type DialogosdComponents } from './dialogosd.js';
import { FakeClock, FakeSpawner, FakeUki, LogConsole, LogPower, MemoryStore, exit, type EventLog, type Script } from '../testkit/core/fakes.js';
import type { GenerationRecord } from '../gen/types.js';
import type { ChildHandle } from './ports.js';

const ID = 'g2-0123456789ab';

interface Setup {
  checks: HealthCheck[];
  windowSeconds?: number;
  script?: Script;
  files?: (clock: FakeClock) => Set<string>;
  status?: GenerationRecord['status'];
  keysDir?: string;
}

async function setup(s: Setup) {
  const log: EventLog = [];
  const clock = new FakeClock();
  const store = new MemoryStore(log, ID, s.status ?? 'staged');
  const con = new LogConsole(log);
  const spawner = new FakeSpawner(s.script ?? (() => exit(0)));
  let keys = 0;
  const shellLog: string[] = [];
  const c: DialogosdComponents = {
    store,
    generateSigningKey: () => { keys++; return { keyId: 'm1', privateKeyPem: 'PEM', publicKey: 'cHVi' }; },
    readHealth: async () => ({ windowSeconds: s.windowSeconds ?? 10, checks: s.checks }),
    power: new LogPower(log),
    clock,
    spawner,
    fileExists: async (p) => (s.files ? s.files(clock).has(p) : false),
    console: con,
    uki: new FakeUki(log),
    shell: { start: (): ChildHandle => { shellLog.push('start'); log.push('shell start'); return { stop: async () => { shellLog.push('stop'); } }; } },
  };
  const keysDir = s.keysDir ?? await mkdtemp(join(tmpdir(), 'dialogosd-keys-'));
  const runDir = await mkdtemp(join(tmpdir(), 'dialogosd-run-'));
  const d = createDialogosd({ generation: ID, trial: (s.status ?? 'staged') === 'staged', keysDir, runDir })(c);
  const blessedMarker = () => access(join(runDir, 'blessed')).then(() => true, () => false);
  return { d, log, clock, store, con, spawner, shellLog, keysDir, blessedMarker, keysCreated: () => keys };
}

const cmd = (name: string, argv = ['/bin/check', name]): HealthCheck => ({ name, kind: 'command', argv, timeoutSeconds: 5 });
const file = (name: string, path: string): HealthCheck => ({ name, kind: 'file', path, timeoutSeconds: 5 });

test('all checks pass: store bless, kernel image bless, passed line, ready line, shell, in that order', async () => {
  const t = await setup({ checks: [cmd('a'), file('b', '/run/ok')], files: () => new Set(['/run/ok']) });
  const out = await t.d.start();
  assert.equal(out.kind, 'ready');
  const order = t.log.filter((e) => !e.startsWith('console dialogos: created') && !e.includes('dialogosd starting'));
  assert.deepEqual(order, [
    `store.bless ${ID}`,
    'uki.bless blessed',
    'console dialogos: kernel image EFI/Linux/d+2-1.efi blessed as EFI/Linux/d.efi',
    `console dialogos: health checks passed (2/2) in 0 ms; generation ${ID} blessed`,
    `console dialogos ready generation=${ID}`,
    'shell start',
  ]);
  assert.equal(t.con.lines[0], `dialogos: dialogosd starting generation=${ID}`);
  assert.equal(t.store.state.generations[ID]?.status, 'good');
  assert.equal(await t.blessedMarker(), true, 'PID 1 is told the trial is over');
  await t.d.stop();
  assert.deepEqual(t.shellLog, ['start', 'stop']);
  assert.ok(!t.log.some((e) => e.startsWith('store.refundTry')), 'no refund after bless');
});

test('a failing check marks the generation bad, then requests a reboot, and prints no ready line', async () => {
  const t = await setup({ checks: [cmd('ok'), cmd('api', ['/bin/false'])], windowSeconds: 3,
    script: (argv) => (argv[0] === '/bin/false' ? exit(1, 'connection refused') : exit(0)) });
  const out = await t.d.start();
  assert.equal(out.kind, 'bad');
  const bad = t.log.findIndex((e) => e.startsWith('store.markBad'));
  const reboot = t.log.indexOf('power reboot');
  assert.ok(bad >= 0 && reboot > bad, t.log.join('\n'));
  assert.match(t.log[bad] as string, /^store\.markBad g2-0123456789ab: api failed: exit code 1 \(connection refused\)/);
  assert.ok(t.con.lines.some((l) => /^dialogos: generation g2-0123456789ab marked bad: api failed: exit code 1 .*; rebooting to the previous generation$/.test(l)), t.con.lines.join('\n'));
  assert.ok(!t.con.lines.some((l) => l.startsWith('dialogos ready')));
  assert.ok(!t.log.includes('shell start'));
  assert.ok(!t.log.some((e) => e.startsWith('uki.bless')), 'the kernel image of a failed boot is not blessed');
  assert.equal(await t.blessedMarker(), false);
  // It was retried through the window, not judged on one run.
  assert.ok(t.spawner.calls.filter((a) => a[0] === '/bin/false').length > 2);
});

test('a slow check that passes within the window blesses', async () => {
  let start = -1;
  const t = await setup({ checks: [file('service up', '/run/sock')], windowSeconds: 10,
    files: (clock) => { if (start < 0) start = clock.now(); return clock.now() - start >= 4000 ? new Set(['/run/sock']) : new Set(); } });
  const out = await t.d.start();
  assert.equal(out.kind, 'ready');
  assert.ok(t.log.includes(`store.bless ${ID}`));
  assert.ok(out.kind === 'ready' && out.ms >= 4000 && out.ms < 10_000, JSON.stringify(out));
});

test('a check still failing when the window ends is bad (window timeout)', async () => {
  let start = -1;
  const t = await setup({ checks: [file('late', '/run/late')], windowSeconds: 5,
    files: (clock) => { if (start < 0) start = clock.now(); return clock.now() - start >= 6000 ? new Set(['/run/late']) : new Set(); } });
  const out = await t.d.start();
  assert.equal(out.kind, 'bad');
  assert.ok(t.clock.t - start >= 5000);
  assert.ok(t.log.some((e) => /store\.markBad .*late failed: "\/run\/late" does not exist \(still failing when the 5 s health window ended\)/.test(e)), t.log.join('\n'));
  assert.ok(t.log.includes('power reboot'));
});

test('a command that hangs past its timeout fails with a timeout reason', async () => {
  const t = await setup({ checks: [cmd('hang')], windowSeconds: 1, script: () => ({ kind: 'timeout' }) });
  const out = await t.d.start();
  assert.ok(out.kind === 'bad' && /no answer within/.test(out.reason), JSON.stringify(out));
});

/** A spawner whose command blocks until the health run is aborted. */
const blocking: Script = (_argv, _t, signal) => new Promise((resolve) => {
  signal?.addEventListener('abort', () => resolve({ kind: 'signal', signal: 'SIGKILL' }), { once: true });
});

test('a clean reboot inside the trial refunds the try before asking PID 1, and neither blesses nor marks bad', async () => {
  const t = await setup({ checks: [cmd('slow')], script: blocking });
  const started = t.d.start();
  await new Promise((r) => setImmediate(r));
  const r = await t.d.requestPower('reboot');
  assert.equal(r.refunded, true);
  assert.equal((await started).kind, 'stopped');
  const refund = t.log.indexOf(`store.refundTry ${ID}`);
  assert.ok(refund >= 0 && t.log.indexOf('power reboot') > refund, t.log.join('\n'));
  assert.ok(!t.log.some((e) => e.startsWith('store.markBad') || e.startsWith('store.bless')));
  assert.ok(!t.con.lines.some((l) => l.startsWith('dialogos ready')));
  // PID 1 then sends SIGTERM: stopping must not refund a second time.
  await t.d.stop();
  assert.equal(t.log.filter((e) => e.startsWith('store.refundTry')).length, 1);
});

test('SIGTERM (stop) inside the trial refunds once; stop after a bad verdict refunds nothing', async () => {
  const t = await setup({ checks: [cmd('slow')], script: blocking });
  const started = t.d.start();
  await new Promise((r) => setImmediate(r));
  await t.d.stop();
  assert.equal((await started).kind, 'stopped');
  assert.deepEqual(t.log.filter((e) => e.startsWith('store.')), [`store.refundTry ${ID}`]);

  const b = await setup({ checks: [cmd('x')], windowSeconds: 0, script: () => exit(2) });
  await b.d.start();
  await b.d.stop();
  assert.ok(!b.log.some((e) => e.startsWith('store.refundTry')));
});

test('an already good generation still runs its checks and prints ready without blessing again', async () => {
  const t = await setup({ checks: [cmd('a')], status: 'good' });
  const out = await t.d.start();
  assert.deepEqual(out, { kind: 'ready', blessed: false, ms: 0 });
  assert.equal(t.spawner.calls.length, 1);
  assert.ok(!t.log.some((e) => e.startsWith('store.bless')));
  assert.ok(t.con.lines.includes(`dialogos: health checks passed (1/1) in 0 ms; generation ${ID} already good`));
  assert.ok(t.con.lines.includes(`dialogos ready generation=${ID}`));
});

test('a good generation whose check fails is kept (warned), not marked bad', async () => {
  const t = await setup({ checks: [cmd('a')], status: 'good', windowSeconds: 0, script: () => exit(1) });
  const out = await t.d.start();
  assert.equal(out.kind, 'ready');
  assert.ok(!t.log.some((e) => e.startsWith('store.markBad') || e === 'power reboot'));
  assert.ok(t.con.lines.some((l) => l.startsWith('dialogos: warning: a failed on good generation')));
});

test('the machine key is made on the first start only', async () => {
  const t = await setup({ checks: [] });
  await t.d.start();
  assert.equal(t.keysCreated(), 1);
  assert.ok(t.con.lines.some((l) => l.startsWith('dialogos: created machine key m1 (not trusted')));
  const again = await setup({ checks: [], keysDir: t.keysDir, status: 'good' });
  await again.d.start();
  assert.equal(again.keysCreated(), 0);
  assert.ok(!again.con.lines.some((l) => l.startsWith('dialogos: created machine key')));
});

test('a store lock held for a moment delays the bless instead of crashing the daemon', async () => {
  const t = await setup({ checks: [] });
  const bless = t.store.bless.bind(t.store);
  let tries = 0;
  t.store.bless = (id: string) => {
    if (++tries < 3) throw Object.assign(new Error('Cannot bless: store is locked'), { name: 'StoreLockedError' });
    bless(id);
  };
  assert.equal((await t.d.start()).kind, 'ready');
  assert.equal(tries, 3);
});
