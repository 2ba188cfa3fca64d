import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { findEspDevice, gptPartitionType } from './esp.js';

/** A fake /sys/class/block for disk `vda` with the given partitions (name = GPT partition name). */
async function sysfs(root: string, parts: string[]): Promise<string> {
  const sys = join(root, 'sys');
  for (const [i, name] of parts.entries()) {
    const dev = `vda${i + 1}`;
    await mkdir(join(sys, 'devices', 'vda', dev), { recursive: true });
    await writeFile(join(sys, 'devices', 'vda', dev, 'uevent'), `MAJOR=254\nMINOR=${i + 1}\nDEVNAME=${dev}\nDEVTYPE=partition\nPARTN=${i + 1}\nPARTNAME=${name}\n`);
    await symlink(join(sys, 'devices', 'vda', dev), join(sys, dev));
  }
  await mkdir(join(sys, 'devices', 'vda', 'queue'), { recursive: true });
  await writeFile(join(sys, 'devices', 'vda', 'queue', 'logical_block_size'), '512\n');
  await symlink(join(sys, 'devices', 'vda'), join(sys, 'vda'));
  await writeFile(join(sys, 'devices', 'vda', 'uevent'), 'DEVNAME=vda\nDEVTYPE=disk\n');
  return sys;
}

test('finds the ESP by its GPT type in a real sgdisk-made table, whatever its name', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dialogos-gpt-'));
  const dev = join(root, 'dev');
  await mkdir(dev);
  const disk = join(dev, 'vda');
  execFileSync('truncate', ['-s', '8M', disk]);
  execFileSync('sgdisk', ['-n1:2048:+2M', '-t1:8300', '-c1:data', '-n2:0:+2M', '-t2:EF00', '-c2:boot', disk], { stdio: 'ignore' });
  const sys = await sysfs(root, ['data', 'boot']);
  assert.equal(await findEspDevice(sys, dev), join(dev, 'vda2'));
});

test('falls back on the partition name "ESP" when the table cannot be read; none is EspNotFoundError', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dialogos-gpt-'));
  const dev = join(root, 'dev');
  await mkdir(dev);
  const sys = await sysfs(root, ['dialogos-data', 'ESP']);
  assert.equal(await findEspDevice(sys, dev), join(dev, 'vda2'));
  const none = await sysfs(await mkdtemp(join(tmpdir(), 'dialogos-gpt-')), ['dialogos-data']);
  await assert.rejects(findEspDevice(none, dev), { name: 'EspNotFoundError' });
});

test('property: any disk bytes give null or a GUID, never an exception', async () => {
  await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 2048 }), fc.boolean(), fc.integer({ min: -1, max: 200 }), async (bytes, header, partn) => {
    if (header && bytes.length >= 520) bytes.set([0x45, 0x46, 0x49, 0x20, 0x50, 0x41, 0x52, 0x54], 512);
    const read = async (o: number, n: number) => bytes.subarray(Math.min(o, bytes.length), Math.min(o + n, bytes.length));
    const r = await gptPartitionType(read, 512, partn);
    assert.ok(r === null || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(r));
  }), { numRuns: 1000 });
});
