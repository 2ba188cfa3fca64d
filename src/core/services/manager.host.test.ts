// The manager over the real OS: node:child_process, /proc, the cgroups this host allows, real time.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realClock, realSpawner } from './os-node.js';
import { detectCgroups } from './cgroups-detect.js';
import { removeV1Roots } from './cgroups-v1.js';
import { eventually } from '../../testkit/core/services/compliance-runner.js';
import { createServiceManager, type ServiceManager, type ServiceManagerComponents } from './manager.js';
import type { Cgroups } from './ports.js';
import { nodeProbes } from './probes-node.js';
import { createNodeRunner } from './runner-node.js';
import { fileRunState } from './runstate.js';
import { specSet, svc, waitStatus } from '../../testkit/core/services/rig.js';
import { passwdResolver } from './users.js';
import { requireHost } from '../../testkit/prerequisite.js';

const HOG = 'const a=[];for(let i=0;i<64;i++)a.push(Buffer.alloc(16<<20,1));';

describe('service manager on the host', () => {
  let dir: string;
  let cgroups: Cgroups;
  const runner = createNodeRunner();
  const managers: ServiceManager[] = [];
  const make = (): ServiceManager => {
    const c: ServiceManagerComponents = {
      runner, cgroups, clock: realClock, probes: nodeProbes, spawner: realSpawner, users: passwdResolver(),
      uid: process.getuid?.() ?? 0, baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      runState: fileRunState(join(dir, 'services.json')),
    };
    const m = createServiceManager()(c);
    managers.push(m);
    return m;
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialogos-svc-'));
    // A machine whose own cgroup holds processes needs a v2 root elsewhere (v2's no-internal-processes rule).
    const v2Root = process.env.DIALOGOS_TEST_CGROUP_V2_ROOT;
    cgroups = await detectCgroups({ instance: `hosttest-${process.pid}`, ...(v2Root ? { v2Root: `${v2Root}-${process.pid}` } : {}) });
    process.stderr.write(`# cgroups: ${cgroups.description}\n`);
  });
  after(async () => {
    for (const m of managers) await m.stop();
    await rm(dir, { recursive: true, force: true });
    const root = cgroups.description.match(/ at (\S+)/)?.[1];
    if (root) await rmdir(root).catch(() => undefined);
    await removeV1Roots(`dialogos-hosttest-${process.pid}`); // the v1 fallback's cpu, cpuacct and pids roots
  });

  it('restarts a crashing service with backoff, then stops the crash loop', async () => {
    const m = make();
    const starts: number[] = [];
    await m.start(specSet(svc('crasher', {
      command: '/bin/sh', args: ['-c', 'echo started; exit 3'],
      restart: { policy: 'on-failure', backoff: { initialMs: 100, maxMs: 400, factor: 2 }, crashLoop: { maxRestarts: 4, withinMs: 60_000 } },
    })));
    const off = m.board.subscribe((s) => { if (s.name === 'crasher' && s.state === 'starting' && s.pid !== null) starts.push(Date.now()); });
    const s = await waitStatus(m.board, 'crasher', (x) => x.state === 'crash-loop');
    off();
    assert.match(s.reason, /^failed: crash loop \(4 restarts in \d+\.\d s\); last: exited with code 3/);
    assert.equal(s.lastExit?.code, 3);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    assert.equal(gaps.length, 4, `starts: ${starts.length}`);
    // Each gap is at least the backoff delay (100, 200, 400, 400: capped), plus process start time.
    [100, 200, 400, 400].forEach((d, i) => assert.ok(gaps[i]! >= d - 5, `gap ${i} ${gaps[i]} ms < ${d} ms`));
  });

  it('kills a memory hog at its memory limit and reports the OOM kill', async (t) => {
    if (requireHost(t, 'a memory cgroup', cgroups.controllers.includes('memory'), `this host gives no memory cgroup: ${cgroups.description}`)) return;
    const m = make();
    await m.start(specSet(svc('hog', { command: process.execPath, args: ['-e', HOG], limits: { memoryBytes: 64 << 20 }, restart: { policy: 'never' } })));
    const s = await waitStatus(m.board, 'hog', (x) => x.state === 'failed');
    assert.deepEqual({ oom: s.lastExit?.oom, signal: s.lastExit?.signal }, { oom: true, signal: 'SIGKILL' });
    assert.match(s.reason, /killed by the OOM killer \(memory limit 67108864 bytes\)/);
    assert.equal(s.limits?.applied.memoryBytes, 64 << 20);
    process.stderr.write(`# limits: ${JSON.stringify(s.limits)}\n`);
  });

  it('stopping a service leaves no process of its group behind', async () => {
    const m = make();
    await m.start(specSet(svc('tree', {
      command: '/bin/sh', args: ['-c', 'sleep 1000 & sleep 1000 & (sleep 1000 &) ; echo up; wait'],
      readiness: { kind: 'log', pattern: '^up$', timeoutMs: 10_000 },
    })));
    const s = await waitStatus(m.board, 'tree', (x) => x.state === 'ready');
    const pgid = s.pid!;
    assert.ok((await runner.groupMembers(pgid)).length >= 4);
    await m.stopUnit('tree');
    await eventually(async () => (await runner.groupMembers(pgid)).length === 0, 10_000, `group ${pgid} to be empty`);
    assert.equal(m.board.get('service', 'tree')!.state, 'inactive');
  });

  it('starts in dependency order: a dependent waits for its dependency to be ready', async () => {
    const m = make();
    const flag = join(dir, 'db.ready');
    await m.start(specSet(
      svc('app', { command: '/bin/sh', args: ['-c', `test -e ${flag} && exec sleep 1000; exit 9`], requires: ['db'], restart: { policy: 'never' } }),
      svc('db', { command: '/bin/sh', args: ['-c', `sleep 0.3; touch ${flag}; exec sleep 1000`], readiness: { kind: 'file', path: flag, timeoutMs: 10_000 } }),
    ));
    const app = await waitStatus(m.board, 'app', (x) => x.state === 'running');
    assert.ok(app.pid);
    await m.stop();
  });

  it('a restarted manager adopts a live service by pid and start time', async () => {
    const m1 = make();
    await m1.start(specSet(svc('keeper', { command: 'sleep', args: ['1000'], restart: { policy: 'never' } })));
    const s1 = await waitStatus(m1.board, 'keeper', (x) => x.state === 'running');
    // m1 is abandoned as if dialogosd had been killed (policy "never" keeps its still-running loop from
    // respawning what m2 stops); its successor reads the run state.
    managers.splice(managers.indexOf(m1), 1);
    await eventually(async () => (await fileRunState(join(dir, 'services.json')).load()).units.keeper?.pid === s1.pid, 5000, 'the run state');
    const m2 = make();
    await m2.start(specSet(svc('keeper', { command: 'sleep', args: ['1000'], restart: { policy: 'never' } })));
    const s2 = await waitStatus(m2.board, 'keeper', (x) => x.state === 'running');
    assert.equal(s2.pid, s1.pid);
    assert.match(s2.reason, /adopted pid/);
    await m2.stopUnit('keeper');
    assert.equal(await runner.startTime(s1.pid!), null);
    assert.deepEqual(await cgroups.procs('keeper'), []);
  });

  it('an invalid spec set is refused and the running service keeps its process', async () => {
    const m = make();
    await m.start(specSet(svc('steady', { command: 'sleep', args: ['1000'] })));
    const s1 = await waitStatus(m.board, 'steady', (x) => x.state === 'running');
    const bad = { file: 'x.json', value: { kind: 'service', name: 'x', command: 'y', limits: { pids: -1 } } };
    await assert.rejects(m.apply([{ value: svc('steady', { command: 'sleep', args: ['2000'] }) }, bad]), /x\.json: service "x": limits\.pids: expected number to be >0, got -1/);
    assert.notEqual(await runner.startTime(s1.pid!), null, 'the same process still runs');
    assert.deepEqual(m.board.get('service', 'steady'), s1);
    await m.stop();
  });

  it('a missing command is a start failure that says so', async () => {
    const m = make();
    await m.start(specSet(svc('ghost', { command: 'dialogos-no-such-cmd', restart: { policy: 'never' } })));
    const s = await waitStatus(m.board, 'ghost', (x) => x.state === 'failed');
    assert.match(s.reason, /command "dialogos-no-such-cmd" not found in PATH/);
  });
});
