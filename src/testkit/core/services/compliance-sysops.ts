// What every implementation of the controllers' OS interfaces must do, run against the in-memory and
// the real (busybox, /proc) ones. Only what is safe on a shared host runs for real: seed files and
// /dev/urandom, tmpfs mounts in a temp dir (root only), and reading links and addresses.
// Not exported from index.ts: it pulls in node:test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SysOps } from '../../../core/services/sysops.js';

export interface SysOpsFixture {
  ops: SysOps;
  /** A directory that exists (and may be mounted on), and a seed path inside a writable directory. */
  dir: string;
  /** The reason mounting cannot work here (not root): those cases are skipped; false where it can. May throw
   *  where mounting must work (the test's prerequisite helper decides; this file stays free of test kits). */
  mountMissing(): string | false;
  cleanup?(): Promise<void>;
}

export function sysOpsCompliance(name: string, setup: () => Promise<SysOpsFixture>): void {
  describe(`SysOps compliance: ${name}`, () => {
    it('entropy: a missing seed reads as null; a written seed reads back; mixing and random work', async () => {
      const fx = await setup();
      try {
        const path = `${fx.dir}/seed/random-seed`;
        assert.equal(await fx.ops.entropy.readSeed(path), null);
        const seed = fx.ops.entropy.random(512);
        assert.equal(seed.length, 512);
        assert.notDeepEqual(fx.ops.entropy.random(512), seed);
        await fx.ops.entropy.writeSeed(path, seed);
        assert.deepEqual(await fx.ops.entropy.readSeed(path), seed);
        await fx.ops.entropy.mix(seed);
        const avail = await fx.ops.entropy.entropyAvail();
        assert.ok(avail === null || avail >= 0);
      } finally {
        await fx.cleanup?.();
      }
    });

    it('mount: tmpfs on a directory, reported by mounted(), then unmounted; a bad type fails with SysOpError', async (t) => {
      const fx = await setup();
      try {
        const missing = fx.mountMissing();
        if (missing !== false) return t.skip(missing);
        const target = `${fx.dir}/mnt`;
        await fx.ops.mount.mkdirp(target);
        assert.ok(await fx.ops.mount.exists(target));
        assert.equal(await fx.ops.mount.mounted(target), null);
        await fx.ops.mount.mount('dialogos-tmp', 'tmpfs', target, ['size=1m']);
        assert.deepEqual(await fx.ops.mount.mounted(target), { source: 'dialogos-tmp', type: 'tmpfs' });
        await fx.ops.mount.umount(target);
        assert.equal(await fx.ops.mount.mounted(target), null);
        await assert.rejects(fx.ops.mount.umount(target), { name: 'SysOpError' });
        await assert.rejects(fx.ops.mount.mount(`${fx.dir}/no-such-device`, 'ext4', target, []), { name: 'SysOpError' });
      } finally {
        await fx.cleanup?.();
      }
    });

    it('net: lists links with lo, reads the host name, and refuses an unknown interface', async () => {
      const fx = await setup();
      try {
        assert.ok((await fx.ops.net.links()).includes('lo'));
        assert.ok((await fx.ops.net.hostname()).length > 0);
        await assert.rejects(fx.ops.net.linkUp('dlg-none0'), { name: 'SysOpError' });
        await assert.rejects(fx.ops.net.dhcp('dlg-none0', 100), { name: 'SysOpError' });
      } finally {
        await fx.cleanup?.();
      }
    });
  });
}
