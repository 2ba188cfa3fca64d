// VM tests of the runner itself: real QEMU under TCG, with kernels and disks made here (no Dialogos image).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostKernel } from './accel.js';
import { floorDisk, FLOOR_MARKER } from './bench/references.js';
import { withMachine } from './harness.js';
import { writeMarkerInitramfs } from './initramfs.js';
import { liveVmCount } from './launch.js';
import { cacheDir } from './paths.js';
import { startVm, type VmOptions } from './qemu.js';

const LIMIT = 180_000;
let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'dialogos-vm-test-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

function directBoot(marker: string, after: string, extra: Partial<VmOptions> = {}): VmOptions {
  const initrd = writeMarkerInitramfs(join(dir, `${marker}.cpio`), { marker, after });
  return {
    accel: 'tcg', firmware: 'bios', kernel: { path: hostKernel(), initrd, append: 'console=ttyS0 panic=-1' },
    logFile: join(dir, `${marker}.log`), ...extra,
  };
}

function gone(pid: number): boolean {
  try { process.kill(pid, 0); return false; } catch (err) { return (err as NodeJS.ErrnoException).code === 'ESRCH'; }
}

test('a kernel with a marker initramfs boots under TCG, prints the marker and powers off with status 0', async () => {
  const vm = await startVm(directBoot('RUNNER-MARKER-1', 'poweroff -f', { noReboot: true }));
  try {
    const m = await vm.waitFor('RUNNER-MARKER-1', { timeoutMs: LIMIT });
    assert.match(m.text, /Linux version/);
    assert.ok(m.tMs > 0);
    const exit = await vm.exited;
    assert.deepEqual(exit, { code: 0, signal: null });
  } finally {
    await vm.kill();
  }
});

test('reboots are allowed by default: the marker appears on each boot', async () => {
  const vm = await startVm(directBoot('RUNNER-REBOOT', 'reboot -f'));
  try {
    await vm.waitFor('RUNNER-REBOOT', { timeoutMs: LIMIT });
    await vm.waitFor('RUNNER-REBOOT', { timeoutMs: LIMIT });
    assert.equal(vm.console().split('Linux version').length - 1 >= 2, true);
  } finally {
    await vm.kill();
  }
});

test('kill() mid-boot is a power cut that leaves no QEMU process', async () => {
  const vm = await startVm(directBoot('RUNNER-NEVER', 'sleep 600'));
  await vm.waitFor('Linux version', { timeoutMs: LIMIT });
  const exit = await vm.kill();
  assert.equal(exit.signal, 'SIGKILL');
  assert.ok(gone(vm.pid), `QEMU ${vm.pid} still exists`);
  assert.equal(liveVmCount(), 0);
});

test('a waitFor timeout names the marker and shows the console tail; powerOff ends QEMU cleanly', async () => {
  const vm = await startVm(directBoot('RUNNER-WAITING', 'sleep 600'));
  try {
    await vm.waitFor('RUNNER-WAITING', { timeoutMs: LIMIT });
    await assert.rejects(vm.waitFor('NOT-ON-THE-CONSOLE', { timeoutMs: 1500 }), (err: Error) => {
      assert.equal(err.name, 'VmTimeoutError');
      assert.match(err.message, /"NOT-ON-THE-CONSOLE"/);
      assert.match(err.message, /console tail[\s\S]*RUNNER-WAITING/);
      return true;
    });
    // busybox runs no ACPI daemon: powerOff falls back to telling QEMU to quit over QMP (a clean exit).
    assert.deepEqual(await vm.powerOff(1000), { code: 0, signal: null });
  } finally {
    await vm.kill();
  }
});

test('the harness boots a UEFI disk copy through OVMF + systemd-boot (-cpu max) and cleans up on failure', async () => {
  const disk = floorDisk(join(cacheDir(), 'bench'), () => undefined);
  let kept = '';
  await assert.rejects(withMachine(disk, async (m) => {
    kept = m.dir;
    const found = await m.bootUntil(FLOOR_MARKER, LIMIT);
    assert.match(found.text, /BdsDxe: starting Boot/);
    assert.deepEqual(await m.vm!.exited, { code: 0, signal: null }); // the floor powers off
    await m.boot();
    await m.vm!.waitFor('Linux version', { timeoutMs: LIMIT });
    throw new Error('deliberate failure mid-boot');
  }), (err: Error) => {
    assert.match(err.message, /deliberate failure mid-boot/);
    assert.match(err.message, /console logs kept in/);
    return true;
  });
  assert.equal(liveVmCount(), 0);
  rmSync(kept, { recursive: true, force: true });
});
