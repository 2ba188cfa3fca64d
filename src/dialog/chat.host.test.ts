// `dialogos chat` and `dialogos ask` as processes against a real host dialogosd: the prompt, an
// answer with citations, the y/N gate (nothing changes on n), the shell escape, history on disk.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cli, MAIN, service, startInstance, type Instance } from '../testkit/core/hostkit.js';

let inst: Instance;
before(async () => {
  inst = await startInstance();
  assert.equal((await inst.apply([service('web', 'exec sleep 100000')])).code, 0);
  await inst.waitUnit('web', (s) => s.state === 'running');
});
after(() => inst?.dispose());

/** Runs `dialogos chat` with these input lines (stdin is a pipe: no TTY). */
function chat(lines: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, 'chat', '--state', inst.state], { env: { ...process.env, DIALOGOS_STATE: '' } });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { out += String(d); });
    child.on('exit', (code) => resolve({ code, out }));
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}

test('chat: greeting and prompt, a cited answer, y/N gate, shell escape, exit; history kept', async () => {
  const r = await chat(['where is writeGeneration defined?', 'stop web', 'n', '!echo escaped-$((40+2))', 'stop web', 'y', 'exit']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^Dialogos: host instance .*\nMode: retrieval, because the llm service is not up \(no .*llm\.json yet\)/);
  assert.match(r.out, /dialogos> /);
  assert.match(r.out, /src\/gen\/build\.ts:\d+ {2}function writeGeneration/);
  assert.match(r.out, /Cancelled: stop unit "web" was not done; nothing changed\./);
  assert.match(r.out, /escaped-42/);
  assert.match(r.out, /Done: POST \/v1\/units\/web\/stop/);
  assert.equal((await inst.unit('web')).state, 'inactive');
  const history = await readFile(join(inst.state, 'dialog_history'), 'utf8');
  assert.match(history, /^where is writeGeneration defined\?\nstop web\nn\n/);
});

test('ask: --json shape, a change refused without --yes, bad input exits 2', async () => {
  await inst.cli('svc', 'start', 'web');
  await inst.waitUnit('web', (s) => s.state === 'running');
  const j = await inst.cli('ask', '--json', 'where is openJournal defined?');
  assert.equal(j.code, 0, j.stderr);
  const a = JSON.parse(j.stdout) as { answer: string; citations: Array<{ path: string; line: number }>; mode: string };
  assert.equal(a.mode, 'retrieval');
  assert.ok(a.citations.some((c) => c.path === 'src/core/journal/journal.ts'), j.stdout);
  const no = await inst.cli('ask', 'restart', 'web');
  assert.equal(no.code, 1);
  assert.match(no.stdout, /Not run: pass --yes/);
  assert.equal((await inst.unit('web')).restarts, 0);
  const st = await inst.cli('ask', '--json', 'status');
  assert.match((JSON.parse(st.stdout) as { answer: string }).answer, /web +service +running/);
  const empty = await inst.cli('ask', '   ');
  assert.equal(empty.code, 2);
  const big = await cli(['ask', 'x'.repeat(70_000), '--state', inst.state]);
  assert.equal(big.code, 2);
  assert.match(big.stdout, /limit is 65536 bytes/);
});
