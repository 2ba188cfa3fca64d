// The group operations cgroup v1 and v2 share, on a plain folder standing in for cgroupfs: the files they
// write and read, the kill by cgroup.kill or pid by pid, and the errors they name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unitGroups } from './cgroups-fs.js';

const root = () => mkdtempSync(join(tmpdir(), 'cgroups-fs-'));

test('make, attach and procs go through the unit\'s cgroup.procs', async () => {
  const r = root();
  const g = unitGroups(r, { killFile: true });
  await g.make('web');
  assert.equal(g.procsFile('web'), join(r, 'web', 'cgroup.procs'));
  await g.attach('web', 4242);
  assert.equal(readFileSync(join(r, 'web', 'cgroup.procs'), 'utf8'), '4242');
  writeFileSync(join(r, 'web', 'cgroup.procs'), '12\n34\n');
  assert.deepEqual(await g.procs('web'), [12, 34]);
  assert.deepEqual(await g.procs('none'), []);
  await assert.rejects(g.attach('none', 1), { name: 'CgroupError', message: /Cannot move pid 1 into the cgroup of service "none": writing "1" to .*none\/cgroup\.procs failed: ENOENT/ });
  writeFileSync(join(r, 'file'), '');
  await assert.rejects(g.make('file/x'), { name: 'CgroupError', message: /Cannot create the cgroup of service "file\/x"/ });
});

test('killAll writes cgroup.kill where it can (v2), else signals every member (v1)', async () => {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  const exit = once(child, 'exit');
  try {
    const r = root();
    const v2 = unitGroups(r, { killFile: true });
    await v2.make('a');
    writeFileSync(v2.procsFile('a'), `${child.pid}\n`);
    await v2.killAll('a');
    assert.equal(readFileSync(join(r, 'a', 'cgroup.kill'), 'utf8'), '1');
    assert.equal(child.exitCode, null, 'cgroup.kill accepted: nothing signalled by pid');
    const v1 = unitGroups(r, { killFile: false });
    await v1.killAll('a');
    const [, signal] = await exit;
    assert.equal(signal, 'SIGKILL');
  } finally {
    child.kill('SIGKILL');
  }
});

test('remove: a gone group is fine, one with members left is a CgroupError', async () => {
  const r = root();
  const g = unitGroups(r, { killFile: false });
  await g.remove('never-made');
  await g.make('busy');
  writeFileSync(g.procsFile('busy'), '1\n');
  await assert.rejects(g.remove('busy'), { name: 'CgroupError', message: 'Cannot remove the cgroup of service "busy": ENOTEMPTY' });
  await g.make('empty');
  await g.remove('empty');
  assert.deepEqual(await g.procs('empty'), []);
});
