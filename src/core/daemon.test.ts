// Host mode: the composed daemon (real clock, processes, files) against a hand-made store layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDaemon } from './daemon.js';
import { encodeEfiString, LOADER_GUID } from './efivar.js';
import { JsonFileStore, writeTinyStore } from '../testkit/core/fakes.js';
import type { GenBindings } from './ports.js';

const ID = 'g7-0123456789ab';
const bindings: GenBindings = {
  openStore: (dir) => new JsonFileStore(dir),
  generateSigningKey: () => ({ keyId: 'mk1', privateKeyPem: 'PEM\n', publicKey: 'cHVibGlj' }),
};

async function machine(health: { windowSeconds: number; checks: unknown[] }) {
  const root = await mkdtemp(join(tmpdir(), 'dialogosd-host-'));
  const data = join(root, 'data');
  const run = join(root, 'run');
  await writeTinyStore(data, ID, health);
  await mkdir(join(run, 'efivars'), { recursive: true });
  await mkdir(join(run, 'esp', 'EFI', 'Linux'), { recursive: true });
  await writeFile(join(run, 'esp', 'EFI', 'Linux', 'dialogos_1-b+2-1.efi'), 'uki');
  await writeFile(join(run, 'efivars', `LoaderBootCountPath-${LOADER_GUID}`), encodeEfiString('\\EFI\\Linux\\dialogos_1-b+2-1.efi'));
  await writeFile(join(run, 'handover.json'), JSON.stringify({ generation: ID, trial: true, argv: ['/usr/bin/node', '/dialogos/bin/dialogos.mjs'], newRoot: '/newroot' }));
  const state = async () => JSON.parse(await readFile(join(data, 'dialogos', 'store', 'state.json'), 'utf8'));
  return { data, run, state };
}

test('healthy boot: keys, bless in the store and on the ESP, ready line, then exit 0 on SIGTERM', async () => {
  const m = await machine({ windowSeconds: 10, checks: [
    { name: 'true', kind: 'command', argv: ['true'], timeoutSeconds: 5 },
    { name: 'tmp', kind: 'file', path: tmpdir(), timeoutSeconds: 5 },
  ] });
  const lines: string[] = [];
  const handlers = new Map<string, () => void>();
  let readySeen!: () => void;
  const ready = new Promise<void>((r) => { readySeen = r; });
  const code = runDaemon({
    dataDir: m.data, runDir: m.run, hostMode: true, shell: false, bindings, env: {},
    console: { line: (t) => { lines.push(t); if (t.startsWith('dialogos ready')) readySeen(); } },
    onSignal: (sig, fn) => { handlers.set(sig, fn); },
  });
  await ready;
  handlers.get('SIGTERM')!();
  assert.equal(await code, 0);
  assert.equal(lines[0], `dialogos: dialogosd starting generation=${ID}`);
  assert.match(lines.at(-2)!, new RegExp(`^dialogos: health checks passed \\(2/2\\) in \\d+ ms; generation ${ID} blessed$`));
  assert.equal(lines.at(-1), `dialogos ready generation=${ID}`);
  const s = await m.state();
  assert.equal(s.generations[ID].status, 'good');
  assert.equal(s.generations[ID].triesLeft, 2, 'the SIGTERM after bless refunds nothing');
  assert.deepEqual(await readdir(join(m.run, 'esp', 'EFI', 'Linux')), ['dialogos_1-b.efi']);
  assert.equal(await readFile(join(m.run, 'blessed'), 'utf8'), '');
  const keys = join(m.data, 'dialogos', 'keys');
  assert.equal((await stat(join(keys, 'machine.key'))).mode & 0o777, 0o600);
  assert.deepEqual(JSON.parse(await readFile(join(keys, 'trust.json'), 'utf8')).keys.map((k: { keyId: string }) => k.keyId), ['mk1']);
});

test('failing check: marked bad in state.json, reboot recorded, exit 1 in host mode, ESP untouched', async () => {
  const m = await machine({ windowSeconds: 1, checks: [{ name: 'api', kind: 'command', argv: ['sh', '-c', 'echo down >&2; exit 3'], timeoutSeconds: 5 }] });
  const lines: string[] = [];
  const code = await runDaemon({ dataDir: m.data, runDir: m.run, hostMode: true, shell: false, bindings, env: {}, console: { line: (t) => lines.push(t) }, onSignal: () => undefined });
  assert.equal(code, 1);
  const s = await m.state();
  assert.equal(s.generations[ID].status, 'bad');
  assert.match(s.generations[ID].badReason, /^api failed: exit code 3 \(down\)/);
  assert.equal(await readFile(join(m.run, 'power-request'), 'utf8'), 'reboot\n');
  assert.ok(lines.some((l) => l.startsWith(`dialogos: generation ${ID} marked bad: api failed: exit code 3 (down)`)));
  assert.ok(!lines.some((l) => l.startsWith('dialogos ready')));
  assert.deepEqual(await readdir(join(m.run, 'esp', 'EFI', 'Linux')), ['dialogos_1-b+2-1.efi']);
});

test('the daemon command as a process: SIGTERM inside the window refunds the try and exits 0', async () => {
  const m = await machine({ windowSeconds: 120, checks: [{ name: 'never', kind: 'file', path: '/nonexistent/dialogos', timeoutSeconds: 1 }] });
  const here = fileURLToPath(new URL('.', import.meta.url));
  const script = `
    import { Command } from 'commander';
    import { registerDaemon } from ${JSON.stringify(join(here, '..', 'cli', 'daemon.js'))};
    import { JsonFileStore } from ${JSON.stringify(join(here, '..', 'testkit', 'core', 'fakes.js'))};
    const p = new Command('dialogos');
    registerDaemon(p, () => ({ openStore: (d) => new JsonFileStore(d), generateSigningKey: () => ({ keyId: 'k', privateKeyPem: 'P', publicKey: 'cA==' }) }));
    await p.parseAsync(process.argv.slice(1), { from: 'user' });`;
  const argv = ['--input-type=module', '-e', script, 'daemon', '--data', m.data, '--run', m.run, '--no-shell'];
  const child = spawn(process.execPath, argv, { cwd: join(here, '..', '..'), env: { ...process.env, DIALOGOS_GENERATION: '' } });
  let out = '';
  child.stderr.on('data', (d) => { out += String(d); });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no start line: ${out}`)), 20_000);
    child.stdout.on('data', (d) => { out += String(d); if (out.includes('dialogosd starting')) { clearTimeout(t); resolve(); } });
  });
  // Wait until the health window is really running (the store was read) before stopping.
  const deadline = Date.now() + 20_000;
  while (!(await readdir(join(m.data, 'dialogos', 'keys'))).includes('machine.key') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 0, out);
  assert.match(out, /try of generation g7-0123456789ab refunded/);
  const s = await m.state();
  assert.equal(s.generations[ID].status, 'staged');
  assert.equal(s.generations[ID].triesLeft, 3);
  assert.equal(s.trial, null);
});
