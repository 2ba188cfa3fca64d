// Host mode, real processes: a crashing service restarted with backoff and reported, a crash loop
// stopped and reported, a memory limit enforced (cgroup v2, or v1 memory as on the build host) and
// the kill reported.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { service, startInstance, type Instance } from '../testkit/core/hostkit.js';
import { requireHost } from '../testkit/prerequisite.js';

const HOG = 'const a=[];for(;;)a.push(Buffer.alloc(8<<20,1));';

describe('host mode: failures are restarted, stopped and reported', () => {
  let i: Instance;
  before(async () => { i = await startInstance(); });
  after(async () => { await i.dispose(); });

  it('restarts a crashing service with growing delays, then stops the crash loop and says so', async () => {
    const r = await i.apply([service('crasher', 'echo "crash $$"; exit 3', {
      restart: { policy: 'on-failure', backoff: { initialMs: 200, maxMs: 2000, factor: 2 }, crashLoop: { maxRestarts: 3, withinMs: 60_000 } },
    })]);
    assert.equal(r.code, 0, r.stderr);
    const s = await i.waitUnit('crasher', (x) => x.state === 'crash-loop');
    assert.match(s.reason, /crash loop \(3 restarts in [\d.]+ s\); last: exited with code 3/);
    assert.equal(s.lastExit?.code, 3);
    const runs = (await i.journal('unit=crasher&limit=1000')).filter((e) => e.message.startsWith('crash '));
    assert.equal(runs.length, 4, 'the first run and 3 restarts');
    const gaps = runs.slice(1).map((e, k) => Date.parse(e.time) - Date.parse(runs[k]!.time));
    assert.ok(gaps[0]! >= 180 && gaps[1]! >= 380 && gaps[2]! >= 780, `backoff 200, 400, 800 ms: ${gaps.join(', ')}`);
    const failed = await i.journal('unit=crasher&level=error');
    assert.ok(failed.some((e) => e.fields.state === 'crash-loop'), 'the crash loop is an error entry in the journal');
    const st = await i.cli('status');
    assert.equal(st.code, 1, 'status exits 1 when a unit is in a crash loop');
    assert.match(st.stdout, /crasher\s+crash-loop/);
    const again = await i.cli('svc', 'start', 'crasher', '--timeout', '20000');
    assert.equal(again.code, 1, 'an explicit start retries, and fails again');
  });

  it('kills a service at its memory limit and reports the OOM kill', async (t) => {
    const cg = (await i.api<{ machine: { cgroups: string } }>('GET', '/v1/status')).machine.cgroups;
    if (requireHost(t, 'a memory cgroup', /^cgroup (v2|v1)/.test(cg), `no memory cgroup here: ${cg}`)) return;
    const r = await i.apply([service('hog', `exec ${process.execPath} -e '${HOG}'`, {
      limits: { memoryBytes: 64 << 20 }, restart: { policy: 'never' },
    })]);
    assert.equal(r.code, 0, r.stderr);
    const s = await i.waitUnit('hog', (x) => x.lastExit !== null, 60_000);
    assert.equal(s.lastExit?.oom, true, JSON.stringify(s));
    assert.equal(s.limits?.applied.memoryBytes, 64 << 20, 'the limit that was hit is reported');
    assert.match(s.reason, /memory|OOM|oom/i);
    const entries = await i.journal('unit=hog&limit=100');
    assert.ok(entries.some((e) => e.fields.oom === 'true'), 'the OOM kill is in the journal');
    const show = await i.cli('svc', 'show', 'hog');
    assert.match(show.stdout, /out of memory/);
  });
});
