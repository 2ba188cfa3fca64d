import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeEfiString, LOADER_GUID } from './efivar.js';
import { ESP_TYPE_GUID, formatGuid, gptPartitionType } from './esp.js';
import { blessUkiOnEsp, createDirUkiBlesser } from './uki.js';

async function esp(files: string[], countPath: string | null) {
  const root = await mkdtemp(join(tmpdir(), 'dialogos-esp-'));
  const espDir = join(root, 'esp');
  const vars = join(root, 'efivars');
  await mkdir(join(espDir, 'EFI', 'Linux'), { recursive: true });
  await mkdir(vars);
  for (const f of files) await writeFile(join(espDir, 'EFI', 'Linux', f), f);
  if (countPath !== null) await writeFile(join(vars, `LoaderBootCountPath-${LOADER_GUID}`), encodeEfiString(countPath));
  return { espDir, vars, list: () => readdir(join(espDir, 'EFI', 'Linux')).then((l) => l.sort()) };
}

test('blesses only the running counted image', async () => {
  const e = await esp(['dialogos_1-a.efi', 'dialogos_2-b+2-1.efi'], '\\EFI\\Linux\\dialogos_2-b+2-1.efi');
  const r = await createDirUkiBlesser(e.vars, e.espDir).blessRunning();
  assert.deepEqual(r, { kind: 'blessed', from: 'EFI/Linux/dialogos_2-b+2-1.efi', to: 'EFI/Linux/dialogos_2-b.efi' });
  assert.deepEqual(await e.list(), ['dialogos_1-a.efi', 'dialogos_2-b.efi']);
});

test('no LoaderBootCountPath means no boot counting: nothing changes', async () => {
  const e = await esp(['x+3.efi'], null);
  assert.deepEqual(await createDirUkiBlesser(e.vars, e.espDir).blessRunning(), { kind: 'no-counting' });
  assert.deepEqual(await e.list(), ['x+3.efi']);
});

test('an already renamed image is already blessed; a missing one is UkiBlessError', async () => {
  const e = await esp(['x.efi'], '\\EFI\\Linux\\x+1-2.efi');
  assert.equal((await blessUkiOnEsp(e.espDir, '\\EFI\\Linux\\x+1-2.efi')).kind, 'already-blessed');
  assert.equal((await blessUkiOnEsp(e.espDir, '\\EFI\\Linux\\x.efi')).kind, 'already-blessed');
  await assert.rejects(blessUkiOnEsp(e.espDir, '\\EFI\\Linux\\y+1.efi'), { name: 'UkiBlessError' });
  await assert.rejects(blessUkiOnEsp(e.espDir, '\\EFI\\..\\..\\y+1.efi'), { name: 'BootCountNameError' });
});

test('reads the ESP type GUID from a GPT header and entry array', async () => {
  const sector = 512;
  const disk = new Uint8Array(sector * 4);
  disk.set(Buffer.from('EFI PART'), sector);
  const dv = new DataView(disk.buffer);
  dv.setBigUint64(sector + 72, 2n, true);
  dv.setUint32(sector + 80, 4, true);
  dv.setUint32(sector + 84, 128, true);
  // ESP type GUID in GPT's mixed-endian byte order, as partition 2.
  disk.set([0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11, 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b], 2 * sector + 128);
  const read = async (o: number, n: number) => disk.subarray(o, o + n);
  assert.equal(await gptPartitionType(read, sector, 2), ESP_TYPE_GUID);
  assert.equal(await gptPartitionType(read, sector, 1), formatGuid(new Uint8Array(16)));
  assert.equal(await gptPartitionType(read, sector, 5), null);
  assert.equal(await gptPartitionType(async () => new Uint8Array(92), sector, 1), null);
});

test('the real blesser mounts the ESP, renames, and unmounts even when the rename fails', async () => {
  const { FakeSpawner, exit } = await import('../testkit/core/fakes.js');
  const { createUkiBlesser } = await import('./uki.js');
  const e = await esp(['d+1-1.efi'], '\\EFI\\Linux\\d+1-1.efi');
  const spawner = new FakeSpawner(() => exit(0));
  const mounts = join(e.espDir, '..', 'mounts');
  await writeFile(mounts, `sysfs /sys sysfs rw 0 0\nefivarfs ${e.vars} efivarfs rw 0 0\n`);
  const io = { efiDir: e.espDir, mountsFile: mounts, findEsp: async () => '/dev/vda1' };
  // The fake "mount" leaves the mount dir as it is: point it at the prepared ESP tree.
  const u = createUkiBlesser({ spawner, efivarsDir: e.vars, mountDir: e.espDir, ...io });
  assert.deepEqual(await u.blessRunning(), { kind: 'blessed', from: 'EFI/Linux/d+1-1.efi', to: 'EFI/Linux/d.efi' });
  const verbs = spawner.calls.map((a) => a.filter((x) => x !== '/bin/busybox')[0]);
  assert.deepEqual(verbs, ['modprobe', 'mount', 'umount']);
  assert.ok(spawner.calls[1]!.includes('/dev/vda1') && spawner.calls[1]!.includes('vfat'));

  const bad = await esp([], '\\EFI\\Linux\\gone+1.efi');
  const s2 = new FakeSpawner(() => exit(0));
  await writeFile(join(bad.espDir, '..', 'mounts'), `efivarfs ${bad.vars} efivarfs rw 0 0\n`);
  await assert.rejects(createUkiBlesser({
    spawner: s2, efivarsDir: bad.vars, mountDir: bad.espDir, efiDir: bad.espDir, mountsFile: join(bad.espDir, '..', 'mounts'), findEsp: async () => '/dev/vda1',
  }).blessRunning(), { name: 'UkiBlessError' });
  assert.equal(s2.calls.at(-1)!.filter((x) => x !== '/bin/busybox')[0], 'umount');

  const s3 = new FakeSpawner((argv) => (argv.includes('mount') ? exit(32, 'mount: permission denied') : exit(0)));
  await assert.rejects(createUkiBlesser({ spawner: s3, efivarsDir: e.vars, mountDir: e.espDir, ...io }).blessRunning(), { name: 'UkiBlessError', message: /exit code 32: mount: permission denied/ });
});

test('the real blesser mounts efivarfs when it is not mounted, and does nothing on a BIOS boot', async () => {
  const { FakeSpawner, exit } = await import('../testkit/core/fakes.js');
  const { createUkiBlesser } = await import('./uki.js');
  const e = await esp(['d+1.efi'], '\\EFI\\Linux\\d+1.efi');
  const mounts = join(e.espDir, '..', 'mounts');
  await writeFile(mounts, 'proc /proc proc rw 0 0\n');
  const spawner = new FakeSpawner(() => exit(0));
  const r = await createUkiBlesser({ spawner, efivarsDir: e.vars, mountDir: e.espDir, efiDir: e.espDir, mountsFile: mounts, findEsp: async () => '/dev/vda1' }).blessRunning();
  assert.equal(r.kind, 'blessed');
  const verbs = spawner.calls.map((a) => a.filter((x) => x !== '/bin/busybox').slice(0, 3).join(' '));
  assert.deepEqual(verbs, ['modprobe efivarfs', 'mount -t efivarfs', 'modprobe vfat', 'mount -t vfat', `umount ${e.espDir}`]);

  const bios = new FakeSpawner(() => exit(0));
  const none = await createUkiBlesser({ spawner: bios, efivarsDir: e.vars, mountDir: e.espDir, efiDir: join(e.espDir, 'no-efi'), mountsFile: mounts }).blessRunning();
  assert.deepEqual(none, { kind: 'no-counting' });
  assert.deepEqual(bios.calls, []);
});
