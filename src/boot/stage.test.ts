import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeStore, fakeManifest, fakeRecord, fakeState } from '../testkit/boot/fake-store.js';
import { FakePlatform, fakeExt4 } from '../testkit/boot/platform-fake.js';
import { runStage } from './stage.js';

function machine(cmdline = 'console=ttyS0'): FakePlatform {
  const p = new FakePlatform();
  p.addFile('/proc/cmdline', `${cmdline}\n`);
  p.addFile('/dev/vda', Buffer.alloc(4096));
  p.addFile('/dev/vdb', fakeExt4('DIALOGOS_DATA'));
  p.mkdir('/sys/class/block/vda');
  p.mkdir('/sys/class/block/vdb');
  for (const d of ['/usr', '/lib', '/lib64', '/bin']) p.mkdir(d);
  return p;
}

function twoGens(): FakeStore {
  return new FakeStore(fakeState(
    { 'g2-bbbbbbbbbbbb': fakeRecord({ version: 2, status: 'staged', triesLeft: 3, priority: 2 }), 'g1-aaaaaaaaaaaa': fakeRecord({ version: 1, priority: 1 }) },
    { default: 'g2-bbbbbbbbbbbb', lastGood: 'g1-aaaaaaaaaaaa' },
  ));
}

const mounts = (p: FakePlatform): string[] => p.commands.filter((c) => c[1] === 'mount').map((c) => c.slice(2).join(' '));
const text = (p: FakePlatform, path: string): string => p.readFile(path).toString('utf8');

test('boots the default generation: mounts /data, builds /newroot, writes the handover', async () => {
  const p = machine('dialogos.menu=0');
  const store = twoGens();
  assert.equal(await runStage({ platform: p, openStore: () => store }), 0);
  assert.deepEqual(store.tries.map((d) => [d.id, d.reason]), [['g2-bbbbbbbbbbbb', 'default']]);
  assert.ok(p.lines.includes('dialogos: booting generation g2-bbbbbbbbbbbb (default, try 3)'), p.lines.join('\n'));
  assert.match(p.lines[p.lines.indexOf('dialogos: booting generation g2-bbbbbbbbbbbb (default, try 3)') + 1]!,
    /^dialogos: stage took \d+\.\d\d s \(modules \d+\.\d\d, data partition \d+\.\d\d, menu \d+\.\d\d, select \+ verify \d+\.\d\d, record try \d+\.\d\d\)$/);
  const m = mounts(p);
  assert.equal(m[0], '-t ext4 -o rw,noatime /dev/vdb /data');
  assert.ok(m.includes('-o bind /data/dialogos/store/gens/g2-bbbbbbbbbbbb/tree /newroot/dialogos'));
  assert.ok(m.includes('-o remount,bind,ro /newroot/dialogos'));
  assert.ok(m.includes('-o remount,bind,ro /newroot/usr'));
  assert.ok(m.includes('-o move /data /newroot/data'));
  assert.equal(text(p, '/run/dialogos/handover.env'), 'NEWROOT=/newroot\nTRIAL=1\nGENERATION=g2-bbbbbbbbbbbb\n');
  assert.equal(text(p, '/run/dialogos/handover.argv'), '/usr/bin/node\0/dialogos/core/main.js\0');
  assert.ok(p.commands.some((c) => c[0] === '/sbin/modprobe' && c.includes('ext4')));
});

test('a menu digit boots that generation and is recorded as a menu pick', async () => {
  const p = machine();
  p.keys.push({ afterMs: 300, key: '2' }); // entries are newest first: 1) g2-bbbbbbbbbbbb 2) g1-aaaaaaaaaaaa
  const store = twoGens();
  assert.equal(await runStage({ platform: p, openStore: () => store }), 0);
  assert.ok(p.lines.some((l) => l.startsWith('  1) g2-bbbbbbbbbbbb  staged  v2  tries left 3  [default]')), p.lines.join('\n'));
  assert.deepEqual(store.tries.map((d) => [d.id, d.reason]), [['g1-aaaaaaaaaaaa', 'menu']]);
  assert.match(text(p, '/run/dialogos/handover.env'), /TRIAL=0/);
});

test('the menu waits for boot.json\'s timeout, and the cmdline overrides it', async () => {
  const p = machine();
  p.addFile('/data/dialogos/boot.json', '{"menuTimeoutMs":2500}');
  const t0 = p.now();
  assert.equal(await runStage({ platform: p, openStore: () => twoGens() }), 0);
  assert.ok(p.now() - t0 >= 2500);
  const q = machine('dialogos.menu=0');
  q.addFile('/data/dialogos/boot.json', '{"menuTimeoutMs":2500}');
  q.keys.push({ afterMs: 10, key: '2' });
  const store = twoGens();
  assert.equal(await runStage({ platform: q, openStore: () => store }), 0);
  assert.equal(store.tries[0]?.reason, 'default', 'no menu was shown, so the key was not read');
});

test('a generation with its own kernel is kexeced (reason kexec, try recorded first)', async () => {
  const p = machine('dialogos.menu=0');
  const store = twoGens();
  store.manifests.set('g2-bbbbbbbbbbbb', fakeManifest({ kernel: { image: 'boot/vmlinuz', initrd: 'boot/initrd', cmdline: 'console=ttyS0' } }));
  let triesAtKexec = -1;
  p.onRun = (argv) => {
    if (argv[0] !== '/usr/lib/dialogos/kexec') return undefined;
    triesAtKexec = store.tries.length;
    return { status: 1, stdout: '', stderr: 'dialogos-kexec: kexec_file_load failed: Operation not permitted' };
  };
  assert.equal(await runStage({ platform: p, openStore: () => store }), 0);
  const kexec = p.commands.find((c) => c[0] === '/usr/lib/dialogos/kexec');
  const tree = '/data/dialogos/store/gens/g2-bbbbbbbbbbbb/tree';
  assert.deepEqual(kexec, ['/usr/lib/dialogos/kexec', `${tree}/boot/vmlinuz`, `${tree}/boot/initrd`, 'console=ttyS0 dialogos.gen=g2-bbbbbbbbbbbb']);
  assert.equal(triesAtKexec, 1, 'the try is durable before the jump');
  assert.deepEqual(store.spent, ['g2-bbbbbbbbbbbb']);
  assert.ok(p.lines.includes('dialogos: booting generation g2-bbbbbbbbbbbb (default, try 3)'));
  assert.ok(p.lines.some((l) => l.includes('Cannot kexec generation "g2-bbbbbbbbbbbb"') && l.includes('Operation not permitted')));
  assert.ok(p.exists('/run/dialogos/handover.env'), 'a failed kexec still boots the generation on the base kernel');
});

test('after kexec (dialogos.gen on the cmdline) the forced generation boots without a second kexec, menu or try', async () => {
  const p = machine('console=ttyS0 dialogos.gen=g2-bbbbbbbbbbbb');
  const store = twoGens();
  store.state.trial = { id: 'g2-bbbbbbbbbbbb', startedAt: '2026-01-01T00:00:00Z' };
  store.manifests.set('g2-bbbbbbbbbbbb', fakeManifest({ kernel: { image: 'vmlinuz', initrd: null, cmdline: '' } }));
  p.keys.push({ afterMs: 1, key: '2' });
  assert.equal(await runStage({ platform: p, openStore: () => store }), 0);
  assert.ok(!p.commands.some((c) => c[0] === '/usr/lib/dialogos/kexec'));
  assert.ok(!p.lines.some((l) => l.includes(') g1-aaaaaaaaaaaa')), 'no menu after kexec');
  assert.deepEqual(store.tries.map((d) => [d.id, d.reason]), [['g2-bbbbbbbbbbbb', 'kexec']]);
  assert.deepEqual(store.spent, []);
  assert.equal(text(p, '/run/dialogos/handover.env'), 'NEWROOT=/newroot\nTRIAL=1\nGENERATION=g2-bbbbbbbbbbbb\n');
});

test('a refused generation prints refusal and fallback lines and never gets a try recorded', async () => {
  const p = machine('dialogos.menu=0');
  const store = twoGens();
  store.corrupt.set('g2-bbbbbbbbbbbb', 'manifest signature does not match key "k1"');
  assert.equal(await runStage({ platform: p, openStore: () => store }), 0);
  assert.ok(p.lines.includes('dialogos: refusing generation g2-bbbbbbbbbbbb: Cannot boot generation "g2-bbbbbbbbbbbb": manifest signature does not match key "k1"'), p.lines.join('\n'));
  assert.ok(p.lines.some((l) => l.startsWith('dialogos: fallback from g2-bbbbbbbbbbbb: ')));
  assert.deepEqual(store.tries.map((d) => d.id), ['g1-aaaaaaaaaaaa']);
  assert.deepEqual(store.bad.map((b) => b.id), ['g2-bbbbbbbbbbbb']);
  assert.ok(p.lines.includes('dialogos: booting generation g1-aaaaaaaaaaaa (fallback, try 0)'));
});

test('nothing bootable: says why, records nothing, exits non-zero', async () => {
  const p = machine('dialogos.menu=0');
  const store = twoGens();
  store.corrupt.set('g2-bbbbbbbbbbbb', 'file "core/main.js" digest mismatch');
  store.corrupt.set('g1-aaaaaaaaaaaa', 'key "k9" is not trusted');
  assert.equal(await runStage({ platform: p, openStore: () => store }), 1);
  assert.equal(store.tries.length, 0);
  assert.ok(p.lines.some((l) => l.startsWith('dialogos: nothing bootable: Cannot boot any generation')), p.lines.join('\n'));
  assert.ok(!p.exists('/run/dialogos/handover.env'));
  assert.ok(!mounts(p).some((m) => m.includes('/newroot')));
});

test('the data partition appearing late is found; never appearing fails clearly after the limit', async () => {
  const late = machine('dialogos.menu=0');
  late.files.delete('/dev/vdb');
  late.at(3000, () => late.addFile('/dev/vdb', fakeExt4('DIALOGOS_DATA')));
  assert.equal(await runStage({ platform: late, openStore: () => twoGens() }), 0);

  const never = machine('dialogos.menu=0 dialogos.datawait=4000');
  never.files.set('/dev/vdb', fakeExt4('OTHER'));
  let opened = false;
  const t0 = never.now();
  assert.equal(await runStage({ platform: never, openStore: () => ((opened = true), twoGens()) }), 1);
  assert.ok(never.now() - t0 >= 4000 && never.now() - t0 < 4200);
  assert.equal(opened, false);
  assert.ok(never.lines.some((l) => l.includes('no ext4 file system labelled "DIALOGOS_DATA" appeared within 4000 ms (block devices: vda, vdb)')), never.lines.join('\n'));
});

test('a failing mount names the step and stops before anything is recorded', async () => {
  const p = machine('dialogos.menu=0');
  p.onRun = (argv) => (argv[1] === 'mount' && argv.includes('ext4') ? { status: 255, stdout: '', stderr: 'mount: mounting /dev/vdb on /data failed: Invalid argument' } : undefined);
  const store = twoGens();
  assert.equal(await runStage({ platform: p, openStore: () => store }), 1);
  assert.ok(p.lines.some((l) => l.startsWith('dialogos: cannot boot: Cannot mount ext4 "/dev/vdb" on "/data": mount: mounting')));
  assert.equal(store.tries.length, 0);
});

test('recovery mode skips the menu and the kexec', async () => {
  const p = machine();
  p.envVars.set('DIALOGOS_STAGE_RECOVERY', '1');
  p.keys.push({ afterMs: 1, key: '2' });
  const store = twoGens();
  store.manifests.set('g2-bbbbbbbbbbbb', fakeManifest({ kernel: { image: 'vmlinuz', initrd: null, cmdline: '' } }));
  assert.equal(await runStage({ platform: p, openStore: () => store }), 0);
  assert.equal(store.tries[0]?.id, 'g2-bbbbbbbbbbbb');
  assert.ok(!p.commands.some((c) => c[0] === '/usr/lib/dialogos/kexec'));
});

test('an entry path that leaves the tree is refused before any try is recorded', async () => {
  const p = machine('dialogos.menu=0');
  const store = twoGens();
  store.manifests.set('g2-bbbbbbbbbbbb', fakeManifest({ entry: { main: '../../bin/sh', args: [] } }));
  assert.equal(await runStage({ platform: p, openStore: () => store }), 1);
  assert.equal(store.tries.length, 0);
  assert.ok(p.lines.some((l) => l.startsWith('dialogos: refusing generation g2-bbbbbbbbbbbb: Cannot boot generation "g2-bbbbbbbbbbbb": entry.main')));
});

test('property: arbitrary command lines and boot.json never crash the stage', async () => {
  const fc = (await import('fast-check')).default;
  await fc.assert(fc.asyncProperty(fc.string({ maxLength: 120 }), fc.string({ maxLength: 80 }), fc.array(fc.string({ maxLength: 2 }), { maxLength: 3 }), async (cmdline, bootJson, keys) => {
    const p = machine(cmdline);
    p.addFile('/data/dialogos/boot.json', bootJson);
    for (const key of keys) p.keys.push({ afterMs: 10, key });
    const store = twoGens();
    const code = await runStage({ platform: p, openStore: () => store });
    assert.ok(code === 0 || code === 1);
    assert.ok(store.tries.length <= 1);
    if (code === 0) assert.ok(p.exists('/run/dialogos/handover.env'));
  }), { numRuns: 300 });
});

test('a pick the policy did not verify is verified by the stage; when that fails it is marked bad and selection repeats', async () => {
  const p = machine('dialogos.menu=0');
  const store = twoGens();
  store.corrupt.set('g2-bbbbbbbbbbbb', 'file "core/main.js" digest mismatch');
  let calls = 0;
  // A policy that trusts its first pick without verifying it.
  const select = store.select.bind(store);
  store.select = async (state, o) => (calls++ === 0 ? { id: 'g2-bbbbbbbbbbbb', reason: 'default', attempt: 1, fallbacks: [], markBad: [] } : select(state, o));
  assert.equal(await runStage({ platform: p, openStore: () => store }), 0);
  assert.equal(calls, 2);
  assert.ok(p.lines.includes('dialogos: fallback from g2-bbbbbbbbbbbb: refused after selection'), p.lines.join('\n'));
  assert.deepEqual(store.bad.map((b) => b.id), ['g2-bbbbbbbbbbbb']);
  assert.deepEqual(store.tries.map((d) => d.id), ['g1-aaaaaaaaaaaa']);
});
