// cgroup v2's usage counters on a plain folder standing in for a unit's group (this build host's v2 has no
// controllers, so the real files are read only on a v2 host): cpu.stat, memory.peak, pids.events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCgroupV2 } from './cgroups-v2.js';

test('cgroup v2 usage reads usage_usec, memory.peak and the pids max count, null where a file is absent', async () => {
  const root = mkdtempSync(join(tmpdir(), 'cgroups-v2-'));
  writeFileSync(join(root, 'cgroup.controllers'), '');
  mkdirSync(join(root, 'dialogos'));
  writeFileSync(join(root, 'dialogos', 'cgroup.controllers'), '');
  const cg = await openCgroupV2(join(root, 'dialogos'));
  assert.ok(cg.available, cg.description);
  const unit = join(root, 'dialogos', 'u');
  mkdirSync(unit);
  assert.deepEqual(await cg.usage!('u'), { cpuMs: null, peakMemoryBytes: null, pidsLimitHits: null });
  writeFileSync(join(unit, 'cpu.stat'), 'usage_usec 345678\nuser_usec 300000\nsystem_usec 45678\n');
  writeFileSync(join(unit, 'memory.peak'), '1048576\n');
  writeFileSync(join(unit, 'pids.events'), 'max 3\n');
  assert.deepEqual(await cg.usage!('u'), { cpuMs: 345.678, peakMemoryBytes: 1048576, pidsLimitHits: 3 });
});
