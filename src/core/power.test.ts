import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPower } from '../cli/power.js';
import { LogPower, MemoryStore, type EventLog } from '../testkit/core/fakes.js';
import { pid1Power, requestPower } from './power.js';

const ID = 'g5-aaaaaaaaaaaa';

test('inside a trial the try is refunded before PID 1 is asked', async () => {
  const log: EventLog = [];
  const r = await requestPower('reboot', { store: new MemoryStore(log, ID, 'staged'), generation: ID, power: new LogPower(log) });
  assert.equal(r.refunded, true);
  assert.deepEqual(log, [`store.refundTry ${ID}`, 'power reboot']);
});

test('no trial (blessed or other generation) means no refund', async () => {
  const log: EventLog = [];
  await requestPower('poweroff', { store: new MemoryStore(log, ID, 'good'), generation: ID, power: new LogPower(log) });
  const other = new MemoryStore(log, 'g6-bbbbbbbbbbbb', 'staged');
  await requestPower('poweroff', { store: other, generation: ID, power: new LogPower(log) });
  assert.deepEqual(log, ['power poweroff', 'power poweroff']);
});

test('a refund failure still powers off, and says why', async () => {
  const log: EventLog = [];
  const store = new MemoryStore(log, ID, 'staged');
  store.refundTry = () => { throw new Error('disk full'); };
  const r = await requestPower('poweroff', { store, generation: ID, power: new LogPower(log) });
  assert.deepEqual(r, { action: 'poweroff', refunded: false, refundError: 'disk full' });
  assert.deepEqual(log, ['power poweroff']);
});

test('PID 1 gets SIGTERM for reboot and SIGUSR2 for poweroff; a failing kill is PowerRequestError', async () => {
  const sent: string[] = [];
  const p = pid1Power((pid, sig) => { sent.push(`${pid} ${sig}`); });
  await p.request('reboot');
  await p.request('poweroff');
  assert.deepEqual(sent, ['1 SIGTERM', '1 SIGUSR2']);
  await assert.rejects(pid1Power(() => { throw new Error('EPERM'); }).request('reboot'), { name: 'PowerRequestError' });
});

test('dialogos reboot --json in host mode refunds and records the request', async () => {
  const run = await mkdtemp(join(tmpdir(), 'dialogos-run-'));
  await writeFile(join(run, 'handover.json'), JSON.stringify({ newRoot: '/newroot', generation: ID, trial: true, argv: ['/usr/bin/node', '/dialogos/bin/dialogos.mjs'] }));
  const log: EventLog = [];
  const out: string[] = [];
  const store = new MemoryStore(log, ID, 'staged');
  const code = await runPower('reboot', { json: true, run, data: run }, { openStore: () => store, generateSigningKey: () => { throw new Error('unused'); } }, { out: (t) => out.push(t), env: {} });
  assert.equal(code, 0);
  assert.deepEqual(out.map((l) => JSON.parse(l)), [{ action: 'reboot', generation: ID, refunded: true, refundError: null }]);
  assert.equal(await readFile(join(run, 'power-request'), 'utf8'), 'reboot\n');
  assert.deepEqual(log, [`store.refundTry ${ID}`]);
});

test('dialogos poweroff outside Dialogos refuses without signalling anything', async () => {
  const run = await mkdtemp(join(tmpdir(), 'dialogos-run-'));
  const sent: string[] = [];
  await assert.rejects(runPower('poweroff', { json: false, run }, null, { out: () => undefined, env: {}, kill: (p, s) => { sent.push(`${p} ${s}`); } }), { name: 'HandoverReadError' });
  assert.deepEqual(sent, []);
});
