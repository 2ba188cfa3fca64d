// The model and llm commands as a user runs them: add (verified in a child), ls, show, rm, endpoint,
// and `llm serve` as a foreground process two instances of which run side by side.
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { writeTinyModel } from '../testkit/llm/tiny-model.js';

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));

function dialogos(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { ...process.env, DIALOGOS_STATE: '', ...env }, timeout: 120_000 }, (err, out, errOut) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out, err: errOut });
    });
  });
}

async function serve(state: string): Promise<{ stop(): Promise<number | null>; url: string; pid: number }> {
  const child = spawn(process.execPath, [MAIN, 'llm', 'serve', '--state', state, '--threads', '1', '--context-size', '256', '--shipped', join(state, 'none')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d; const m = /^(http\S+)\n/m.exec(out); if (m) resolve(m[1]!); });
    child.once('exit', (c) => reject(new Error(`llm serve exited with ${c}`)));
  });
  const stop = () => new Promise<number | null>((r) => {
    if (child.exitCode !== null || child.signalCode !== null) { r(child.exitCode); return; }
    child.once('exit', (c) => r(c));
    child.kill('SIGTERM');
  });
  return { url, pid: child.pid!, stop };
}

describe('dialogos model / llm serve', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialogos-llmcli-'));
    await writeTinyModel(join(dir, 'good.gguf'), { contextLength: 256 });
    await writeTinyModel(join(dir, 'aborts.gguf'), { omit: ['llama.attention.head_count'] });
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('adds, lists, shows and removes models with digests; refuses bad files with exit 1', async () => {
    const s = join(dir, 's1');
    const add = await dialogos(['model', 'add', join(dir, 'good.gguf'), '--name', 'tiny', '--state', s, '--json']);
    assert.equal(add.code, 0, add.err);
    const m = JSON.parse(add.out) as { name: string; sha256: string };
    assert.equal(m.name, 'tiny');
    assert.match(m.sha256, /^[0-9a-f]{64}$/);
    const bad = await dialogos(['model', 'add', join(dir, 'aborts.gguf'), '--state', s]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /does not load: model "aborts" crashed while loading: killed by SIGABRT/);
    const notGguf = await dialogos(['model', 'add', MAIN, '--name', 'x', '--state', s]);
    assert.equal(notGguf.code, 1);
    assert.match(notGguf.err, /not a GGUF file/);
    const dup = await dialogos(['model', 'add', join(dir, 'good.gguf'), '--name', 'tiny', '--state', s]);
    assert.match(dup.err, /a model named "tiny" exists/);
    const ls = await dialogos(['model', 'ls', '--state', s]);
    assert.match(ls.out, /^NAME\s+SOURCE/);
    assert.match(ls.out, /tiny\s+store\s+llama/);
    const show = await dialogos(['model', 'show', 'tiny', '--state', s]);
    assert.match(show.out, new RegExp(`sha256: ${m.sha256}`));
    assert.equal((await dialogos(['model', 'show', 'nope', '--state', s])).code, 3);
    assert.equal((await dialogos(['model', 'rm', 'tiny', '--state', s])).code, 0);
    assert.equal((await dialogos(['model', 'rm', 'tiny', '--state', s])).code, 3);
    assert.equal((await dialogos(['model', 'add', '--state', s])).code, 2);
  });

  it('runs two instances side by side; endpoint prints each one\'s base URL; SIGTERM stops cleanly', async () => {
    const [a, b] = [join(dir, 'a'), join(dir, 'b')];
    for (const s of [a, b]) { await mkdir(s, { recursive: true }); assert.equal((await dialogos(['model', 'add', join(dir, 'good.gguf'), '--state', s])).code, 0); }
    assert.equal((await dialogos(['model', 'endpoint', '--state', a])).code, 4);
    const [sa, sb] = [await serve(a), await serve(b)];
    try {
      assert.notEqual(sa.url, sb.url);
      assert.equal((await dialogos(['model', 'endpoint', '--state', a])).out.trim(), sa.url);
      assert.equal((await dialogos(['model', 'endpoint'], { DIALOGOS_STATE: b })).out.trim(), sb.url);
      const ep = JSON.parse(await readFile(join(a, 'run', 'llm.json'), 'utf8')) as { socket: string };
      assert.equal(ep.socket, join(a, 'run', 'llm.sock'));
      const r = await fetch(`${sa.url}/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'good', prompt: 'x', max_tokens: 2 }) });
      assert.equal(r.status, 200);
      const again = await dialogos(['llm', 'serve', '--state', a]);
      assert.equal(again.code, 1);
      assert.match(again.err, /already runs/);
      const ls = await dialogos(['model', 'ls', '--state', a, '--json']);
      assert.equal((JSON.parse(ls.out) as { models: { runtime: { state: string } }[] }).models[0]!.runtime.state, 'ready');
    } finally {
      assert.equal(await sa.stop(), 0);
      assert.equal(await sb.stop(), 0);
    }
    assert.equal((await dialogos(['model', 'endpoint', '--state', a])).code, 4);
  });

  it('leaves no model worker behind when the service is killed with SIGKILL', async () => {
    const s = join(dir, 'k');
    await mkdir(s, { recursive: true });
    assert.equal((await dialogos(['model', 'add', join(dir, 'good.gguf'), '--state', s])).code, 0);
    const svc = await serve(s);
    try {
      await fetch(`${svc.url}/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'good', prompt: 'x', max_tokens: 1 }) });
      const worker = ((await (await fetch(`${svc.url}/models`)).json()) as { data: { dialogos: { pid: number } }[] }).data[0]!.dialogos.pid;
      process.kill(svc.pid, 'SIGKILL');
      const end = Date.now() + 30_000;
      for (;;) {
        try { process.kill(worker, 0); } catch { break; }
        assert.ok(Date.now() < end, `worker ${worker} still runs 30 s after its service was killed`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // The dead instance's endpoint file is recognised as stale.
      assert.equal((await dialogos(['model', 'endpoint', '--state', s])).code, 4);
    } finally {
      await svc.stop();
    }
  });
});
