import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qemuArgs, type LaunchSpec } from './args.js';

const base: LaunchSpec = {
  accel: 'tcg', disks: [{ path: '/tmp/a,b.img', snapshot: true }], memoryMiB: 512, cpus: 1,
  firmware: { code: '/fw/code.fd', vars: '/vm/vars.fd' }, console: 'capture', noReboot: false, net: 'none', extraArgs: [],
};

test('a UEFI q35 machine with a raw virtio disk, read-only OVMF code and its own vars', () => {
  const a = qemuArgs(base).join(' ');
  assert.match(a, /-machine q35,accel=tcg/);
  assert.match(a, /-cpu max/);
  assert.match(a, /if=pflash,format=raw,unit=0,readonly=on,file=\/fw\/code\.fd/);
  assert.match(a, /if=pflash,format=raw,unit=1,file=\/vm\/vars\.fd/);
  assert.match(a, /file=\/tmp\/a,,b\.img,format=raw,if=none,id=disk0,snapshot=on/);
  assert.match(a, /virtio-blk-pci,drive=disk0/);
  assert.match(a, /-device virtio-rng-pci/);
  assert.match(a, /-serial stdio -monitor none/);
  assert.doesNotMatch(a, /-no-reboot/);
});

test('options: no-reboot, kvm cpu, terminal console muxed with the monitor, bios direct kernel', () => {
  const a = qemuArgs({ ...base, accel: 'kvm', noReboot: true, console: 'terminal', firmware: 'bios', kernel: { path: '/k', initrd: '/i', append: 'console=ttyS0' } });
  assert.ok(a.includes('-no-reboot'));
  assert.deepEqual(a.slice(a.indexOf('-cpu'), a.indexOf('-cpu') + 2), ['-cpu', 'host']);
  assert.ok(a.join(' ').includes('stdio,id=con,mux=on,signal=off'));
  assert.ok(!a.join(' ').includes('pflash'));
  assert.deepEqual(a.slice(a.indexOf('-kernel'), a.indexOf('-kernel') + 6), ['-kernel', '/k', '-initrd', '/i', '-append', 'console=ttyS0']);
});
