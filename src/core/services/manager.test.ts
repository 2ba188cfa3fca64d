import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flush } from '../../testkit/core/services/clock-manual.js';
import { rig, specSet, svc, until } from '../../testkit/core/services/rig.js';

describe('service manager: dependency order', () => {
  it('starts dependencies first and stops in reverse order', async () => {
    const r = rig();
    const order: string[] = [];
    for (const n of ['db', 'cache', 'web']) {
      r.runner.program(n, (ctl) => ctl.onSignal((sig) => { order.push(`${sig} ${n}`); ctl.exit(0); }));
    }
    await r.manager.start(specSet(
      svc('web', { requires: ['db'], after: ['cache'] }),
      svc('db', { readiness: { kind: 'file', path: '/run/db.ready' } }),
      svc('cache'),
    ));
    await r.clock.advance(500);
    assert.deepEqual(r.runner.spawned.map((s) => s.unit).sort(), ['cache', 'db'], 'web waits for db to be ready');
    assert.match(r.manager.board.get('service', 'web')!.reason, /waiting for required service "db"/);
    r.files.add('/run/db.ready');
    await until(r, 'web', (s) => s.state === 'running');
    assert.deepEqual(r.runner.spawned.map((s) => s.unit), ['cache', 'db', 'web']);
    assert.equal(r.manager.board.get('service', 'db')!.state, 'ready');
    await r.manager.stop();
    assert.deepEqual(order, ['SIGTERM web', 'SIGTERM db', 'SIGTERM cache']);
    for (const n of ['db', 'cache', 'web']) assert.equal(r.manager.board.get('service', n)!.state, 'inactive');
  });

  it('stopping a service stops what requires it first', async () => {
    const r = rig();
    const order: string[] = [];
    for (const n of ['db', 'web']) r.runner.program(n, (ctl) => ctl.onSignal(() => { order.push(n); ctl.exit(0); }));
    await r.manager.start(specSet(svc('web', { requires: ['db'] }), svc('db')));
    await until(r, 'web', (s) => s.state === 'running');
    await r.manager.stopUnit('db');
    assert.deepEqual(order, ['web', 'db']);
    assert.match(r.manager.board.get('service', 'web')!.reason, /"db" it depends on was stopped/);
    r.manager.startUnit('web');
    await until(r, 'web', (s) => s.state === 'running');
    assert.equal(r.manager.board.get('service', 'db')!.state, 'running', 'required db is pulled in');
  });
});

describe('service manager: restarts', () => {
  it('restarts a crashing service with exponential backoff', async () => {
    const r = rig();
    const starts: number[] = [];
    r.runner.program('crash', (ctl) => { starts.push(r.clock.now()); ctl.exit(3); });
    const restart = { policy: 'on-failure', backoff: { initialMs: 100, maxMs: 1000, factor: 2 }, crashLoop: { maxRestarts: 100, withinMs: 60_000 } } as const;
    await r.manager.start(specSet(svc('c', { command: 'crash', restart })));
    await until(r, 'c', (s) => s.restarts >= 7, 10_000, 1);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    assert.deepEqual(gaps.slice(0, 6), [100, 200, 400, 800, 1000, 1000]);
    const s = r.manager.board.get('service', 'c')!;
    assert.deepEqual({ code: s.lastExit!.code, oom: s.lastExit!.oom }, { code: 3, oom: false });
    assert.match(s.reason, /exited with code 3; restarting in \d+ ms \(restart \d+, policy "on-failure"\)/);
  });

  it('stops a crash loop and says so', async () => {
    const r = rig();
    r.runner.program('crash', (ctl) => ctl.exit(1));
    await r.manager.start(specSet(svc('c', { command: 'crash', restart: { backoff: { initialMs: 100, maxMs: 100, factor: 1 }, crashLoop: { maxRestarts: 3, withinMs: 10_000 } } })));
    const s = await until(r, 'c', (x) => x.state === 'crash-loop');
    assert.match(s.reason, /^failed: crash loop \(3 restarts in 0\.[23] s\)/);
    assert.equal(r.runner.spawned.length, 4);
    await r.clock.advance(60_000);
    assert.equal(r.runner.spawned.length, 4, 'no restart after a crash loop');
    r.manager.startUnit('c');
    await r.clock.advance(1);
    assert.equal(r.runner.spawned.length, 5, 'an explicit start tries again');
  });

  it('does not restart a clean exit under on-failure, and reports "never" failures', async () => {
    const r = rig();
    r.runner.program('ok', (ctl) => ctl.exit(0));
    r.runner.program('bad', (ctl) => ctl.exit(2));
    await r.manager.start(specSet(svc('a', { command: 'ok' }), svc('b', { command: 'bad', restart: { policy: 'never' } })));
    const a = await until(r, 'a', (s) => s.state === 'inactive' && s.lastExit !== null);
    assert.match(a.reason, /exited with code 0; not restarted/);
    const b = await until(r, 'b', (s) => s.state === 'failed');
    assert.match(b.reason, /exited with code 2; not restarted \(restart policy "never"\)/);
  });

  it('reports an OOM kill', async () => {
    const r = rig();
    await r.manager.start(specSet(svc('hog', { limits: { memoryBytes: 64 << 20 }, restart: { policy: 'never' } })));
    await until(r, 'hog', (s) => s.state === 'running');
    assert.deepEqual(r.manager.board.get('service', 'hog')!.limits!.applied, { memoryBytes: 64 << 20 });
    r.cgroups.oom('hog');
    const s = await until(r, 'hog', (x) => x.state === 'failed');
    assert.equal(s.lastExit!.oom, true);
    assert.equal(s.lastExit!.signal, 'SIGKILL');
    assert.match(s.reason, /killed by the OOM killer \(memory limit 67108864 bytes\)/);
  });

  it('SIGKILLs a service that ignores SIGTERM after stopTimeoutMs', async () => {
    const r = rig();
    r.runner.program('stubborn', (ctl) => ctl.onSignal(() => undefined));
    await r.manager.start(specSet(svc('s', { command: 'stubborn', stopTimeoutMs: 2000 })));
    await until(r, 's', (x) => x.state === 'running');
    const stopped = r.manager.stopUnit('s');
    await r.clock.advance(1999);
    assert.equal(r.manager.board.get('service', 's')!.state, 'stopping');
    await r.clock.advance(1);
    await stopped;
    assert.deepEqual(r.runner.latest('s')!.signals, ['SIGTERM', 'SIGKILL']);
  });

  it('restarts a service whose health check keeps failing', async () => {
    const r = rig();
    const health = { command: ['check-h'], intervalMs: 1000, timeoutMs: 500, failures: 2 };
    await r.manager.start(specSet(svc('h', { health, restart: { policy: 'on-failure', backoff: { initialMs: 100, maxMs: 100, factor: 1 } } })));
    r.commands.set('check-h', 0);
    await r.clock.advance(5000);
    assert.equal(r.runner.spawned.length, 1);
    r.commands.set('check-h', 1);
    const s = await until(r, 'h', (x) => x.restarts === 1);
    assert.match(s.reason, /health check "check-h" failed 2 times in a row/);
  });
});

describe('service manager: readiness', () => {
  it('sees a ready line printed before the check listens (a child quicker than dialogosd)', async () => {
    const r = rig();
    // The in-memory runner runs the program inside spawn(): the line comes before spawn returns.
    r.runner.program('quick', (ctl) => { ctl.print('noise'); ctl.print('ready at once'); });
    await r.manager.start(specSet(svc('q', { command: 'quick', readiness: { kind: 'log', pattern: '^ready at once$', timeoutMs: 5000 }, restart: { policy: 'never' } })));
    const s = await until(r, 'q', (x) => x.state !== 'starting');
    assert.equal(s.state, 'ready', s.reason);
  });

  it('gates dependents on a log line, and fails a service that is not ready in time', async () => {
    const r = rig();
    r.runner.program('srv', (ctl) => { ctl.print('booting'); });
    await r.manager.start(specSet(
      svc('a', { command: 'srv', readiness: { kind: 'log', pattern: 'listening on \\d+', timeoutMs: 5000 }, restart: { policy: 'never' } }),
      svc('b', { requires: ['a'] }),
    ));
    await r.clock.advance(1000);
    assert.equal(r.manager.board.get('service', 'a')!.state, 'starting');
    assert.equal(r.runner.alive('b').length, 0);
    r.runner.latest('a')!.print('listening on 8080');
    await until(r, 'b', (s) => s.state === 'running');
    assert.match(r.manager.board.get('service', 'a')!.reason, /ready: output matched/);

    const r2 = rig();
    await r2.manager.start(specSet(svc('a', { readiness: { kind: 'file', path: '/x', timeoutMs: 3000 }, restart: { policy: 'never' } }), svc('b', { requires: ['a'] })));
    const a = await until(r2, 'a', (s) => s.state === 'failed');
    assert.match(a.reason, /not ready within 3000 ms: waited for file \/x exists/);
    assert.equal(r2.runner.spawned.filter((s) => s.unit === 'b').length, 0);
    assert.match(r2.manager.board.get('service', 'b')!.reason, /waiting for required service "a" \(failed/);
  });
});

describe('service manager: apply', () => {
  it('rejects an invalid set without touching running services', async () => {
    const r = rig();
    await r.manager.start(specSet(svc('a'), svc('b')));
    await until(r, 'b', (s) => s.state === 'running');
    const before = JSON.stringify(r.manager.status());
    const pids = r.runner.procs.filter((p) => p.alive).map((p) => p.pid);
    await assert.rejects(
      r.manager.apply([{ value: svc('a', { args: ['changed'] }) }, { file: 'b.json', value: { ...svc('b'), restart: { policy: 'sometimes' } } }, { value: svc('c', { requires: ['zz'] }) }]),
      (err: Error) => {
        assert.equal(err.name, 'SpecValidationError');
        assert.match(err.message, /b\.json: service "b": restart\.policy: expected one of "always"\|"on-failure"\|"never", got "sometimes"/);
        assert.match(err.message, /service "c": requires\.0: unknown service "zz"/);
        return true;
      },
    );
    await assert.rejects(r.manager.apply([{ value: svc('a', { after: ['b'] }) }, { value: svc('b', { requires: ['a'] }) }]), /dependency cycle: a -> b -> a/);
    await flush();
    assert.equal(JSON.stringify(r.manager.status()), before);
    assert.deepEqual(r.runner.procs.filter((p) => p.alive).map((p) => p.pid), pids);
    assert.equal(r.manager.specs.services.get('a')!.args.length, 0);
  });

  it('restarts only changed services, stops removed ones, starts new ones', async () => {
    const r = rig();
    await r.manager.start(specSet(svc('a'), svc('b'), svc('c')));
    await until(r, 'c', (s) => s.state === 'running');
    const bPid = r.runner.latest('b')!.pid;
    const res = await r.manager.apply([{ value: svc('a', { args: ['-v'] }) }, { value: svc('b') }, { value: svc('d') }]);
    assert.deepEqual(res, { added: ['d'], changed: ['a'], removed: ['c'], unchanged: ['b'] });
    await until(r, 'd', (s) => s.state === 'running');
    await until(r, 'a', (s) => s.state === 'running');
    assert.equal(r.runner.latest('b')!.pid, bPid);
    assert.equal(r.runner.latest('b')!.alive, true);
    assert.equal(r.runner.alive('c').length, 0);
    assert.equal(r.manager.board.get('service', 'c'), undefined);
    assert.deepEqual(r.runner.latest('a')!.req!.args, ['-v']);
  });

  it('disable stops and enable starts; unknown units are named errors', async () => {
    const r = rig();
    await r.manager.start(specSet(svc('a')));
    await until(r, 'a', (s) => s.state === 'running');
    await r.manager.disable('a');
    assert.deepEqual([r.manager.board.get('service', 'a')!.state, r.manager.board.get('service', 'a')!.enabled], ['inactive', false]);
    await r.manager.enable('a');
    await until(r, 'a', (s) => s.state === 'running');
    await assert.rejects(r.manager.stopUnit('nope'), { name: 'UnitNotFoundError', message: /Cannot find service "nope"/ });
  });

  it('reports kinds without a controller as unsupported, with the reason', async () => {
    const r = rig();
    await r.manager.start(specSet({ kind: 'network', hostname: 'box', interfaces: [{ name: 'eth0', mode: 'dhcp' }] }));
    const s = r.manager.board.get('network', 'network')!;
    assert.equal(s.state, 'unsupported');
    assert.match(s.reason, /no network controller was given to this service manager/);
  });

  it('refuses to switch users when not root', async () => {
    const r = rig({ uid: 1000 });
    await r.manager.start(specSet(svc('a', { user: 'nobody', restart: { policy: 'never' } })));
    const s = await until(r, 'a', (x) => x.state === 'failed');
    assert.match(s.reason, /cannot run as user "nobody": dialogosd runs as uid 1000, not root/);
    assert.equal(r.runner.spawned.length, 0);
  });

  it('gives HOME, USER and LOGNAME from the passwd entry (as systemd does); the base env and the spec win', async () => {
    const r = rig();
    await r.manager.start(specSet(svc('a'), svc('b', { user: 'nobody', env: { HOME: '/srv/b' } })));
    await until(r, 'b', (s) => s.state === 'running');
    const env = (u: string) => r.runner.spawned.find((q) => q.unit === u)!.env;
    assert.deepEqual(env('a'), { HOME: '/root', USER: 'root', LOGNAME: 'root', PATH: '/usr/bin:/bin' });
    assert.deepEqual(env('b'), { HOME: '/srv/b', USER: 'nobody', LOGNAME: 'nobody', PATH: '/usr/bin:/bin' });
    const noEntry = rig({ uid: 4242 });
    await noEntry.manager.start(specSet(svc('c')));
    await until(noEntry, 'c', (s) => s.state === 'running');
    assert.deepEqual(noEntry.runner.spawned[0]!.env, { HOME: '/', PATH: '/usr/bin:/bin' });
  });
});

describe('service manager: dialogosd restart', () => {
  it('adopts unchanged services and restarts changed ones', async () => {
    const r = rig();
    await r.manager.start(specSet(svc('a'), svc('b')));
    await until(r, 'b', (s) => s.state === 'running');
    await flush();
    const [a, b] = [r.runner.latest('a')!, r.runner.latest('b')!];
    // The old manager just vanishes (dialogosd was killed); a new one starts from the run state.
    const m2 = r.restartManager();
    await m2.start(specSet(svc('a'), svc('b', { args: ['new'] })));
    await until(r, 'b', (s) => s.state === 'running' && s.pid !== b.pid);
    assert.equal(a.alive, true);
    assert.equal(r.runner.alive('a').length, 1);
    assert.match(m2.board.get('service', 'a')!.reason, new RegExp(`adopted pid ${a.pid}`));
    assert.equal(b.alive, false);
    assert.deepEqual(b.signals, ['SIGKILL']);
    await m2.stop();
    assert.equal(a.alive, false, 'an adopted process is stopped like an own one');
  });
});

describe('service manager: requires pulls in', () => {
  it('starts a disabled service that an enabled one requires, but not an unrequired disabled one', async () => {
    const r = rig();
    await r.manager.start(specSet(svc('web', { requires: ['db'] }), svc('db', { enabled: false }), svc('extra', { enabled: false })));
    await until(r, 'web', (s) => s.state === 'running');
    assert.equal(r.manager.board.get('service', 'db')!.state, 'running');
    assert.deepEqual(r.runner.spawned.map((s) => s.unit), ['db', 'web']);
    assert.deepEqual([r.manager.board.get('service', 'extra')!.state, r.manager.board.get('service', 'extra')!.reason], ['inactive', 'disabled']);
  });
});

describe('service manager: stop while starting', () => {
  it('a stop during the readiness wait ends at once, not at the readiness timeout', async () => {
    const r = rig();
    await r.manager.start(specSet(svc('slow', { readiness: { kind: 'file', path: '/never', timeoutMs: 600_000 } })));
    await until(r, 'slow', (s) => s.state === 'starting' && s.pid !== null);
    const stopped = r.manager.stopUnit('slow');
    await r.clock.advance(10);
    await stopped;
    assert.equal(r.manager.board.get('service', 'slow')!.state, 'inactive');
    assert.deepEqual(r.runner.latest('slow')!.signals, ['SIGTERM']);
  });
});
