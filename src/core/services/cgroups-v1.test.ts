// cgroup v1 beyond memory: cpu (cfs quota), cpuacct (usage) and pids, on plain folders standing in for the
// hierarchies (the files it writes, co-mounted trees, missing controllers), then on this host's real v1
// hierarchies as root: the pids limit refuses forks, cpuacct counts a busy loop, memory keeps its peak.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCgroupV1, removeV1Roots, type CgroupV1Roots } from './cgroups-v1.js';
import type { Cgroups } from './ports.js';
import { prerequisite } from '../../testkit/prerequisite.js';

const MARKERS = { memory: 'memory.limit_in_bytes', cpu: 'cpu.cfs_quota_us', cpuacct: 'cpuacct.usage', pids: 'pids.max' } as const;

/** A folder per controller (or one for cpu,cpuacct) with the marker file v1 looks for at its root. */
function fakeRoots(coMount: boolean, omit: (keyof CgroupV1Roots)[] = []): CgroupV1Roots {
  const base = mkdtempSync(join(tmpdir(), 'cgroups-v1-'));
  const roots: Partial<CgroupV1Roots> = {};
  for (const c of ['memory', 'cpu', 'cpuacct', 'pids'] as const) {
    if (omit.includes(c)) continue;
    const dir = join(base, coMount && c === 'cpuacct' ? 'cpu' : c);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, MARKERS[c]), '0\n');
    roots[c] = dir;
  }
  return roots as CgroupV1Roots;
}

const open = async (roots: CgroupV1Roots): Promise<Cgroups> => {
  const cg = await openCgroupV1(roots);
  assert.notEqual(typeof cg, 'string', String(cg));
  return cg as Cgroups;
};

test('cgroup v1 writes the cpu quota, the pids limit and memory in their own hierarchies', async () => {
  const roots = fakeRoots(false);
  const cg = await open(roots);
  assert.deepEqual(cg.controllers, ['memory', 'cpu', 'pids']);
  const { procs, limits } = await cg.create('web', { cpuMax: '50000 100000', memoryBytes: 64 << 20, pids: 32 });
  assert.deepEqual(limits.applied, { cpuMax: '50000 100000', memoryBytes: 64 << 20, pids: 32 });
  assert.deepEqual(limits.unsupported, []);
  assert.equal(limits.mode, 'cgroup v1 (memory cpu cpuacct pids)');
  assert.equal(readFileSync(join(roots.cpu!, 'web', 'cpu.cfs_quota_us'), 'utf8'), '50000');
  assert.equal(readFileSync(join(roots.cpu!, 'web', 'cpu.cfs_period_us'), 'utf8'), '100000');
  assert.equal(readFileSync(join(roots.pids!, 'web', 'pids.max'), 'utf8'), '32');
  assert.equal(readFileSync(join(roots.memory, 'web', 'memory.limit_in_bytes'), 'utf8'), String(64 << 20));
  assert.deepEqual(procs.sort(), ['memory', 'cpu', 'cpuacct', 'pids'].map((c) => join(roots[c as keyof CgroupV1Roots]!, 'web', 'cgroup.procs')).sort());
  await cg.attach('web', 4242);
  for (const p of procs) assert.equal(readFileSync(p, 'utf8'), '4242');
});

test('cgroup v1 writes no limit as -1 and max, and joins a co-mounted cpu,cpuacct tree once', async () => {
  const roots = fakeRoots(true);
  const cg = await open(roots);
  const { procs, limits } = await cg.create('db', {});
  assert.deepEqual(limits.applied, {});
  assert.equal(procs.length, 3, `one procs file per distinct tree: ${procs.join(' ')}`);
  assert.equal(readFileSync(join(roots.cpu!, 'db', 'cpu.cfs_quota_us'), 'utf8'), '-1');
  assert.equal(readFileSync(join(roots.pids!, 'db', 'pids.max'), 'utf8'), 'max');
  writeFileSync(join(roots.cpu!, 'db', 'cpuacct.usage'), '345000000\n');
  writeFileSync(join(roots.memory, 'db', 'memory.max_usage_in_bytes'), '1048576\n');
  writeFileSync(join(roots.pids!, 'db', 'pids.events'), 'max 7\n');
  assert.deepEqual(await cg.usage!('db'), { cpuMs: 345, peakMemoryBytes: 1048576, pidsLimitHits: 7 });
});

test('cgroup v1 says which controller is missing and why, and needs the memory one', async () => {
  const roots = fakeRoots(false, ['pids', 'cpuacct']);
  const cg = await open(roots);
  assert.deepEqual(cg.controllers, ['memory', 'cpu']);
  assert.match(cg.description, /missing: no cgroup v1 cpuacct hierarchy is mounted; no cgroup v1 pids hierarchy is mounted/);
  const { limits } = await cg.create('x', { pids: 8 });
  assert.deepEqual(limits.unsupported, [{ limit: 'pids', reason: 'no cgroup v1 pids hierarchy is mounted' }]);
  assert.deepEqual(await cg.usage!('x'), { cpuMs: null, peakMemoryBytes: null, pidsLimitHits: null });
  const plain = mkdtempSync(join(tmpdir(), 'cgroups-v1-plain-'));
  assert.match(await openCgroupV1({ memory: plain }) as string, /is not in a cgroup v1 memory hierarchy/);
});

const JOIN = 'for f in $PROCS; do echo $$ > "$f" || exit 126; done; exec "$@"';

/** Runs argv inside the unit's groups; resolves with its stderr once it exits. */
async function runIn(procs: string[], argv: string[]): Promise<string> {
  const child = spawn('sh', ['-c', JOIN, 'sh', ...argv], { env: { PATH: '/usr/bin:/bin', PROCS: procs.join(' ') }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await once(child, 'close');
  return err;
}

test('cgroup v1 on this host: pids refuses forks, cpuacct counts a busy loop, memory keeps its peak', async (t) => {
  if (prerequisite('root', process.getuid?.() === 0, 'not root: cannot create cgroups here')) return t.skip('not root');
  const { detectCgroups } = await import('./cgroups-detect.js');
  const cg = await detectCgroups({ instance: `v1test-${process.pid}` });
  if (!cg.description.startsWith('cgroup v1') || !cg.controllers.includes('pids')) {
    return t.skip(prerequisite('cgroup v1 with pids', false, `this host's cgroups: ${cg.description}`, { expected: false }) || 'no v1');
  }
  const unit = `u${process.pid}`;
  const { procs, limits } = await cg.create(unit, { pids: 6, memoryBytes: 256 << 20 });
  assert.equal(limits.applied.pids, 6);
  try {
    const err = await runIn(procs, ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5 & done; wait']);
    assert.match(err, /fork|Resource temporarily unavailable/i, 'a fork past pids.max fails');
    assert.ok((await cg.usage!(unit)).pidsLimitHits! > 0);
    // Threads count against pids.max too, and node starts several: lift the limit for the busy loop.
    await cg.create(unit, { memoryBytes: 256 << 20 });
    await runIn(procs, [process.execPath, '-e', 'const a=Buffer.alloc(64<<20,1);const t=Date.now();while(Date.now()-t<300);']);
    const u = await cg.usage!(unit);
    assert.ok(u.cpuMs! > 150, `cpuacct counted ${u.cpuMs} ms for ~300 ms of spinning`);
    assert.ok(u.peakMemoryBytes! > 60 << 20, `peak memory ${u.peakMemoryBytes}`);
  } finally {
    await cg.killAll(unit);
    await cg.remove(unit);
    await removeV1Roots(`dialogos-v1test-${process.pid}`);
  }
});
