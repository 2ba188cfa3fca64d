// dialogosd on a booted machine (one TCG boot, QEMU user networking): the network spec gets 10.0.2.15 by
// DHCP and sets the host name, the default entropy spec writes its seed on /data, services under PID 1's
// child, orphans reaped by PID 1 (no
// zombies after a burst of double-forks), dialogosd killed -> restarted by PID 1 with its service
// adopted, and a clean `dialogos poweroff` through the API leaving /data consistent (e2fsck -fn from the
// host) with the journal intact.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_PARTITION, findPartition } from '../image/index.js';
import { defaultImagePath, ensureImage, withMachine } from '../vm/index.js';
import { openJournalReader } from './journal/index.js';
import { GUEST_DIALOGOS, READY, guestJson, sh, shellPrompt } from '../testkit/core/vmkit.js';

interface Unit { status: { state: string; pid: number | null; reason: string } }
const KEEPER = JSON.stringify({ kind: 'service', name: 'keeper', command: '/bin/busybox', args: ['sleep', '100000'] });
const NETWORK = JSON.stringify({ kind: 'network', hostname: 'dlg-vm', interfaces: [{ name: 'eth0', mode: 'dhcp' }] });

describe('dialogosd on a booted machine', () => {
  let image = '';
  before(async () => {
    image = defaultImagePath();
    await ensureImage(image, (l) => process.stderr.write(`${l}\n`));
  });

  it('reaps orphans, survives its own kill -9 (service adopted), and powers off with /data consistent', { timeout: 1_500_000 }, async () => {
    await withMachine(image, async (m) => {
      const vm = await m.boot({ net: 'user' });
      await vm.waitFor(READY, { timeoutMs: 300_000 });
      await shellPrompt(vm);

      const st = await guestJson<{ phase: string; machine: { mode: string } }>(vm, 'status');
      assert.equal(st.machine.mode, 'machine');
      assert.equal(st.phase, 'running');

      const seed = await guestJson<Unit>(vm, 'svc show entropy');
      assert.equal(seed.status.state, 'running', seed.status.reason);
      assert.match((await sh(vm, '/bin/busybox wc -c < /data/dialogos/random-seed')).output, /\b512\b/);
      assert.equal((await sh(vm, `printf '%s' '${NETWORK}' > /tmp/network.json`)).status, 0);
      await guestJson(vm, 'svc apply /tmp/network.json');
      let net = await guestJson<Unit>(vm, 'svc show network');
      for (let n = 0; n < 60 && net.status.state === 'starting'; n++) net = await guestJson<Unit>(vm, 'svc show network');
      assert.equal(net.status.state, 'running', net.status.reason);
      assert.match(net.status.reason, /hostname dlg-vm; lo up; eth0 10\.0\.2\.15\/24 by DHCP \(router 10\.0\.2\.2/);
      assert.match((await sh(vm, '/bin/busybox hostname')).output, /^dlg-vm\s*$/m);
      assert.match((await sh(vm, '/bin/busybox ip -4 -o addr show dev eth0')).output, /inet 10\.0\.2\.15\/24/);
      assert.equal((await sh(vm, `printf '%s' '${KEEPER}' > /tmp/keeper.json`)).status, 0);
      await guestJson(vm, 'svc apply /tmp/keeper.json');
      const keeper = await guestJson<Unit>(vm, 'svc show keeper');
      assert.equal(keeper.status.state, 'running', JSON.stringify(keeper));

      // Double forks: each subshell starts a sleep and exits at once, so the sleeps are orphans of PID 1.
      const burst = await sh(vm, 'i=0; while [ $i -lt 200 ]; do (/bin/busybox sleep 1 &); i=$((i+1)); done; /bin/busybox sleep 4; '
        + 'echo zombies=$(/bin/busybox grep -l "^State:.*Z" /proc/[0-9]*/status 2>/dev/null | /bin/busybox wc -l)');
      assert.match(burst.output, /zombies=0\b/, burst.output);

      // kill -9 dialogosd; the shell exits with it, so only the successor's shell reads the console.
      const from = vm.console().length;
      vm.write('read p < /run/dialogos/dialogosd.pid; kill -9 $p; exit\n');
      await vm.waitFor(/dialogos: dialogosd starting generation=/, { from, timeoutMs: 120_000 });
      const again = await vm.waitFor(READY, { from, timeoutMs: 300_000 });
      await shellPrompt(vm, again.index);
      const adopted = await guestJson<Unit>(vm, 'svc show keeper');
      assert.equal(adopted.status.state, 'running');
      assert.equal(adopted.status.pid, keeper.status.pid, `adopted, not restarted: ${adopted.status.reason}`);
      assert.match(adopted.status.reason, /adopted/);

      vm.write(`${GUEST_DIALOGOS} poweroff\n`);
      // unref: a pending limit must not keep the test process alive once the guest is gone.
      const exit = await Promise.race([vm.exited, new Promise<null>((r) => setTimeout(() => r(null), 180_000).unref())]);
      assert.ok(exit, 'the guest powered off');

      const data = checkData(m.disk);
      try {
        const entries = await openJournalReader({ dir: data.journalDir }).list();
        for (let k = 1; k < entries.length; k++) assert.ok(entries[k]!.seq > entries[k - 1]!.seq, 'seq grows');
        assert.ok(entries.some((e) => e.unit === 'keeper' && e.fields.event === 'status'), 'the service is in the journal');
        assert.equal(entries.filter((e) => e.unit === 'dialogosd').at(-1)?.message, 'dialogosd stopped', 'journal closed after the services');
      } finally {
        data.cleanup();
      }
    });
  });
});

/** Copies the data partition of `disk` out, checks it with e2fsck -fn and dumps the journal. */
function checkData(disk: string): { fsck: string; journalDir: string; cleanup(): void } {
  const p = findPartition(disk, DATA_PARTITION);
  const dir = mkdtempSync(join(tmpdir(), 'core-vm-data-'));
  const part = join(dir, 'data.img');
  execFileSync('dd', [`if=${disk}`, `of=${part}`, 'bs=1M', `skip=${p.offset}`, `count=${p.size}`, 'iflag=skip_bytes,count_bytes', 'conv=sparse', 'status=none']);
  const f = spawnSync('e2fsck', ['-fn', part], { encoding: 'utf8' });
  if (f.status !== 0) throw new Error(`e2fsck -fn found problems (${f.status}):\n${f.stdout}${f.stderr}`);
  execFileSync('debugfs', ['-R', `rdump /dialogos/journal ${dir}`, part], { stdio: 'ignore' });
  return { fsck: f.stdout, journalDir: join(dir, 'journal'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
