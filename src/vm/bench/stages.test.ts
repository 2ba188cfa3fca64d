import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, stageTimes, SYSTEMS, withDerivedKernelStart } from './stages.js';

const line = (tMs: number, text: string) => ({ tMs, text });

test('stages end at their markers; a missing marker folds its time into the next stage', () => {
  const lines = [
    line(100, 'BdsDxe: loading Boot0001'), line(3900, 'BdsDxe: starting Boot0001 "UEFI Misc Device"'),
    line(7200, 'EFI stub: Loaded initrd'), line(12000, 'dialogos: boot stage'),
    line(15000, 'dialogos: booting generation g1-abc'), line(19000, 'dialogos ready generation=g1-abc'),
  ];
  const { stages, totalMs } = stageTimes(lines, SYSTEMS.dialogos);
  assert.deepEqual(stages, { firmware: 3900, 'systemd-boot': 3300, kernel: null, init: 4800, 'boot stage': 3000, ready: 4000 });
  assert.equal(totalMs, 19000);
});

test('no final marker means no total', () => {
  const { totalMs } = stageTimes([line(10, 'BdsDxe: starting Boot0001')], SYSTEMS.floor);
  assert.equal(totalMs, null);
});

test('median', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 3);
  assert.equal(median([]), null);
});

test('the kernel start is derived from the uptime the boot stage prints', () => {
  const lines = withDerivedKernelStart([
    line(4000, 'BdsDxe: starting Boot0001'),
    line(12000, 'dialogos: boot stage (kernel up 5.50 s)'),
    line(20000, 'dialogos: booting generation g1-x (default, try 0)'),
    line(26000, 'dialogos ready generation=g1-x'),
  ]);
  const { stages, totalMs } = stageTimes(lines, SYSTEMS.dialogos);
  assert.equal(stages['systemd-boot'], 2500);
  assert.equal(stages.init, 5500);
  assert.equal(stages['boot stage'], 8000);
  assert.equal(totalMs, 26000);
});
