import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, FakeSpawner, exit } from '../testkit/core/fakes.js';
import { runHealthChecks } from './health.js';
import { realFileExists } from './real.js';
import { realClock, realSpawner } from './services/index.js';

test('no checks pass at once', async () => {
  const clock = new FakeClock();
  const r = await runHealthChecks([], 30, { clock, spawner: new FakeSpawner(() => exit(1)), fileExists: async () => false });
  assert.deepEqual(r, { ok: true, passed: 0, total: 0, ms: 0 });
});

test('a zero-second window runs each check exactly once', async () => {
  const clock = new FakeClock();
  const spawner = new FakeSpawner(() => exit(3));
  const r = await runHealthChecks([{ name: 'c', kind: 'command', argv: ['x'], timeoutSeconds: 9 }], 0, { clock, spawner, fileExists: async () => false });
  assert.equal(r.ok, false);
  assert.equal(spawner.calls.length, 1);
});

test('a timed-out command gets its declared timeout; the window bounds the retries; passing checks are not rerun', async () => {
  const clock = new FakeClock();
  const timeouts: number[] = [];
  let n = 0;
  const spawner = new FakeSpawner((argv, t) => {
    if (argv[0] === 'slow') { timeouts.push(t); clock.t += t; return { kind: 'timeout' }; }
    n++;
    return exit(0);
  });
  const r = await runHealthChecks([
    { name: 'fast', kind: 'command', argv: ['fast'], timeoutSeconds: 1 },
    { name: 'slow', kind: 'command', argv: ['slow'], timeoutSeconds: 4 },
  ], 6, { clock, spawner, fileExists: async () => false });
  assert.ok(!r.ok && 'reason' in r && /no answer within 4 s/.test(r.reason));
  assert.equal(n, 1);
  assert.ok(!r.ok && 'check' in r && r.check === 'slow');
  assert.ok(timeouts.every((t) => t === 4000), timeouts.join(','));
  // Runs start at 0, 4.5 s (after a retry pause) and none after the 6 s window: 2 runs.
  assert.equal(timeouts.length, 2);
});

test('a check implementation that throws is a failure with its name, not a crash', async () => {
  const clock = new FakeClock();
  const r = await runHealthChecks([{ name: 'f', kind: 'file', path: '/x', timeoutSeconds: 1 }], 0, {
    clock, spawner: new FakeSpawner(() => exit(0)), fileExists: async () => { throw new TypeError('boom'); },
  });
  assert.ok(!r.ok && 'reason' in r && /TypeError: boom/.test(r.reason));
});

test('real spawner: exit codes, stderr, missing program and timeout', async () => {
  const deps = { clock: realClock, spawner: realSpawner, fileExists: realFileExists };
  const ok = await runHealthChecks([
    { name: 'true', kind: 'command', argv: ['true'], timeoutSeconds: 5 },
    { name: 'root', kind: 'file', path: '/', timeoutSeconds: 5 },
  ], 5, deps);
  assert.equal(ok.ok, true);
  assert.deepEqual(await realSpawner.run(['sh', '-c', 'echo nope >&2; exit 7'], 5000), { kind: 'exit', code: 7, stderrTail: 'nope' });
  assert.equal((await realSpawner.run(['/nonexistent/prog'], 5000)).kind, 'error');
  assert.deepEqual(await realSpawner.run(['sleep', '30'], 200), { kind: 'timeout' });
});
