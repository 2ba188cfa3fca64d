// The behaviour every Cgroups implementation must show; run against the in-memory one and every real
// hierarchy this host offers (v2, the v1 memory fallback). Not exported from index.ts (node:test).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from './compliance-runner.js';
import type { CgroupLimits, Cgroups, ExitInfo } from '../../../core/services/ports.js';

export interface CgroupsFixture {
  cgroups: Cgroups;
  /** Starts a long-running process inside the unit's group (joining through `procs`). */
  startIn(unit: string, procs: string[]): Promise<{ pid: number; exited: Promise<ExitInfo> }>;
  /** Starts a process in the group that allocates far past the memory limit. */
  hogIn(unit: string, procs: string[]): Promise<{ exited: Promise<ExitInfo> }>;
  /**
   * Where the memory limit is not applied: the skip reason, or a throw where this implementation must apply
   * it (the test's prerequisite helper decides; this file stays free of test kits, being in core).
   */
  memoryMissing(reason: string): string;
  cleanup?(): Promise<void>;
}

/** `setup` gives the fixture, or the reason this implementation is not available here (a skip) or throws. */
export function cgroupsCompliance(name: string, setup: () => Promise<CgroupsFixture | string>): void {
  describe(`Cgroups compliance: ${name}`, async () => {
    const fx = await setup();
    if (typeof fx === 'string') {
      it('is not available on this host', { skip: fx }, () => undefined);
      return;
    }
    const { cgroups } = fx;
    let n = 0;
    const unit = (): string => `t${process.pid}-${n++}`;
    after(() => fx.cleanup?.());

    it('accounts for every limit asked for: applied, or unsupported with a reason', async () => {
      const asked: CgroupLimits = { cpuMax: '50000 100000', memoryBytes: 64 << 20, pids: 32 };
      const u = unit();
      const { limits } = await cgroups.create(u, asked);
      for (const k of Object.keys(asked) as (keyof CgroupLimits)[]) {
        const applied = limits.applied[k] !== undefined;
        const unsupported = limits.unsupported.filter((x) => x.limit === k);
        assert.equal(Number(applied) + unsupported.length, 1, `limit ${k}: ${JSON.stringify(limits)}`);
        if (applied) assert.equal(limits.applied[k], asked[k]);
        for (const x of unsupported) assert.ok(x.reason.length > 10);
      }
      assert.ok(limits.mode.length > 0);
      await cgroups.remove(u);
    });

    it('holds the processes that join it, kills them all, and is removed once empty', async () => {
      const u = unit();
      const { procs } = await cgroups.create(u, {});
      const p = await fx.startIn(u, procs);
      await eventually(async () => (await cgroups.procs(u)).includes(p.pid), 5000, `pid ${p.pid} in the group`);
      await cgroups.attach(u, p.pid);
      await assert.rejects(cgroups.remove(u), { name: 'CgroupError' });
      await cgroups.killAll(u);
      assert.equal((await p.exited).signal, 'SIGKILL');
      await eventually(async () => (await cgroups.procs(u)).length === 0, 5000, 'an empty group');
      assert.equal(await cgroups.oomKills(u), 0);
      await cgroups.remove(u);
      assert.deepEqual(await cgroups.procs(u), []);
      await cgroups.remove(u);
    });

    it('enforces the memory limit and counts the OOM kill', async (t) => {
      const u = unit();
      const { procs, limits } = await cgroups.create(u, { memoryBytes: 48 << 20 });
      if (limits.applied.memoryBytes === undefined) {
        await cgroups.remove(u);
        return t.skip(fx.memoryMissing(`memory limit not applied here: ${limits.unsupported.map((x) => x.reason).join('; ')}`));
      }
      const hog = await fx.hogIn(u, procs);
      const exit = await hog.exited;
      assert.equal(exit.signal, 'SIGKILL', `the hog ended with ${JSON.stringify(exit)}`);
      await eventually(async () => (await cgroups.oomKills(u)) >= 1, 5000, 'an oom_kill count');
      await eventually(async () => (await cgroups.procs(u)).length === 0, 5000, 'an empty group');
      await cgroups.remove(u);
    });
  });
}
