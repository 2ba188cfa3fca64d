// The boot stage over the real src/gen store (signed generations on a real file system, Ed25519, digests,
// durable state), with the in-memory platform standing in for mounts and devices. src/gen is loaded by a
// computed path so that src/boot still builds alone; the test skips until src/gen's index is compiled.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { StoreState } from '../gen/types.js';
import { bindGenStore, type GenApi } from './gen-binding.js';
import { FakePlatform, fakeExt4 } from '../testkit/boot/platform-fake.js';
import { runStage } from './stage.js';
import { requireHost } from '../testkit/prerequisite.js';

const genUrl = new URL('../gen/index.js', import.meta.url);

interface GenForTest extends GenApi<unknown, unknown> {
  generateSigningKey(): unknown;
  trustEntry(key: unknown, name: string): unknown;
  writeGeneration(fs: unknown, root: string, spec: object, key: unknown): Promise<string>;
}
type TestStore = { stage(id: string, tries?: number): Promise<unknown>; bless(id: string): Promise<unknown> };

function machine(cmdline: string): FakePlatform {
  const p = new FakePlatform();
  p.addFile('/proc/cmdline', cmdline);
  p.addFile('/dev/vda', fakeExt4('DIALOGOS_DATA'));
  p.mkdir('/sys/class/block/vda');
  return p;
}

test('boot stage over the real generation store', async (t) => {
  if (requireHost(t, 'the build of src/gen', existsSync(fileURLToPath(genUrl)), 'src/gen is not built yet')) return;
  const gen = (await import(genUrl.href)) as GenForTest;
  const data = mkdtempSync(join(tmpdir(), 'dialogos-boot-gen-'));
  try {
    const root = `${data}/dialogos`;
    const fs = gen.createNodeFileSystem();
    const key = gen.generateSigningKey();
    mkdirSync(`${root}/keys`, { recursive: true });
    writeFileSync(`${root}/keys/trust.json`, JSON.stringify({ keys: [gen.trustEntry(key, 'test')] }));
    const add = async (version: number, kernel: object | null): Promise<string> => {
      const src = `${data}/src-${version}`;
      mkdirSync(src, { recursive: true });
      writeFileSync(`${src}/main.mjs`, `console.log(${version})`);
      writeFileSync(`${src}/vmlinuz`, 'kernel');
      return gen.writeGeneration(fs, root, {
        version, parent: null, rollbackFloor: 0, created: '2026-01-01T00:00:00Z',
        provenance: { builder: 'test', sourceDigest: 'x', toolchain: {}, command: 'test' },
        entry: { main: 'main.mjs', args: [] }, kernel, health: { windowSeconds: 60, checks: [] }, treeDir: src,
      }, key);
    };
    const store = new gen.Store(fs, root) as unknown as TestStore;
    const v1 = await add(1, null);
    await store.stage(v1, 1);
    await store.bless(v1);
    const v2 = await add(2, { image: 'vmlinuz', initrd: null, cmdline: 'console=ttyS0' });
    await store.stage(v2, 3);
    const state = (): StoreState => JSON.parse(readFileSync(`${root}/store/state.json`, 'utf8')) as StoreState;
    const openStore = bindGenStore(gen);

    // 1. The staged v2 carries a kernel: its try is spent before the kexec.
    const p1 = machine('dialogos.menu=0');
    let triesAtKexec = -1;
    p1.onRun = (argv) => (argv[0] === '/usr/lib/dialogos/kexec' ? ((triesAtKexec = state().generations[v2]!.triesLeft), { status: 1, stdout: '', stderr: 'no kexec here' }) : undefined);
    assert.equal(await runStage({ platform: p1, openStore, dataRoot: data }), 0, p1.lines.join('\n'));
    assert.equal(triesAtKexec, 2, p1.lines.join('\n'));
    assert.equal(state().trial?.id, v2);

    // 2. The kexec'd kernel names v2: booted again without spending a second try.
    const p2 = machine(`dialogos.gen=${v2}`);
    assert.equal(await runStage({ platform: p2, openStore, dataRoot: data }), 0, p2.lines.join('\n'));
    assert.ok(!p2.commands.some((c) => c[0] === '/usr/lib/dialogos/kexec'));
    assert.equal(state().generations[v2]!.triesLeft, 2);
    assert.match(p2.readFile('/run/dialogos/handover.env').toString(), new RegExp(`TRIAL=1\\nGENERATION=${v2}`));

    // 3. A corrupted file of v2: refused before anything is recorded for it; v1 boots without a try.
    appendFileSync(`${root}/store/gens/${v2}/tree/main.mjs`, '// tampered');
    const p3 = machine('dialogos.menu=0');
    assert.equal(await runStage({ platform: p3, openStore, dataRoot: data }), 0, p3.lines.join('\n'));
    assert.ok(p3.lines.some((l) => l.startsWith(`dialogos: refusing generation ${v2}: `)), p3.lines.join('\n'));
    assert.ok(p3.lines.some((l) => l.startsWith(`dialogos: fallback from ${v2}: `)));
    assert.ok(p3.lines.includes(`dialogos: booting generation ${v1} (fallback, try 0)`), p3.lines.join('\n'));
    const s = state();
    assert.equal(s.booted?.id, v1);
    assert.equal(s.generations[v1]!.status, 'good');
    assert.match(p3.readFile('/run/dialogos/handover.argv').toString(), /\/dialogos\/main\.mjs/);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});
