import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleLog } from './console.js';

test('waitFor resolves on a marker that arrives later, with the text up to it', async () => {
  const log = new ConsoleLog(performance.now());
  const p = log.waitFor(/ready generation=(\S+)/, { timeoutMs: 5000 });
  log.append('booting\r\nready gen');
  log.append('eration=g1-abc\nmore\n');
  const m = await p;
  assert.equal(m.groups[0], 'g1-abc');
  assert.equal(m.text, 'booting\nready generation=g1-abc');
});

test('successive waits for one marker find successive occurrences', async () => {
  const log = new ConsoleLog(performance.now());
  log.append('MARK one\nMARK two\n');
  const a = await log.waitFor('MARK', { timeoutMs: 100 });
  const b = await log.waitFor('MARK', { timeoutMs: 100 });
  assert.equal(a.index, 0);
  assert.equal(b.index, 9);
  await assert.rejects(log.waitFor('MARK', { timeoutMs: 20 }), { name: 'VmTimeoutError' });
  assert.equal((await log.waitFor('MARK', { from: 0, timeoutMs: 20 })).index, 0);
});

test('a timeout names the marker and carries the console tail', async () => {
  const log = new ConsoleLog(performance.now());
  log.append('Run /init as init process\nkernel panic\n');
  await assert.rejects(log.waitFor('dialogos ready', { timeoutMs: 30 }), (err: Error & { consoleTail: string }) => {
    assert.equal(err.name, 'VmTimeoutError');
    assert.match(err.message, /"dialogos ready"/);
    assert.match(err.message, /kernel panic/);
    assert.match(err.consoleTail, /kernel panic/);
    return true;
  });
});

test('waiters fail at once when the console ends', async () => {
  const log = new ConsoleLog(performance.now());
  const p = log.waitFor('never', { timeoutMs: 60_000 });
  log.end('QEMU exited with status 0');
  await assert.rejects(p, { name: 'VmExitedError' });
  await assert.rejects(log.waitFor('never'), /QEMU exited with status 0/);
});

test('escape sequences are stripped even when split across reads; lines are timestamped', async () => {
  const log = new ConsoleLog(performance.now() - 1000);
  log.append('\x1b[0;1;3');
  log.append('9mStarting\x1b[0m x\n\x1b[=3hBdsDxe: starting Boot0001\n');
  assert.equal(log.all(), 'Starting x\nBdsDxe: starting Boot0001\n');
  const lines = log.lines();
  assert.equal(lines.length, 2);
  assert.equal(lines[1]!.text, 'BdsDxe: starting Boot0001');
  assert.ok(lines[0]!.tMs >= 1000);
});
