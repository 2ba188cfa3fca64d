// The console a person meets (issue 5), driven the way a person drives it: QEMU's serial console on a
// terminal inside tmux, keys sent with `tmux send-keys`, the screen read with `tmux capture-pane`.
// It waits for `dialogos ready`, then the dialog's `dialogos> ` prompt, asks where writeGeneration is
// defined and expects an answer citing src/gen/...:LINE; `exit` then leaves for the operator shell, where a
// completion from dialogos-mini is asked for through the llm service's OpenAI-compatible API (issue 4);
// `kill -USR2 1` then powers the guest off, and QEMU must exit 0 with PID 1's power-off line on the console.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureVarsFile } from '../vm/index.js';
import { builtImage } from '../testkit/e2e/fixtures.js';

const VM_INDEX = fileURLToPath(new URL('../vm/index.js', import.meta.url));

/** A tmux server of our own (its socket name), so a person's tmux is never touched. */
function tmux(sock: string, ...args: string[]): string {
  return execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The whole scrollback, wrapped lines joined. */
const screen = (sock: string): string => tmux(sock, 'capture-pane', '-p', '-J', '-S', '-20000', '-t', 'console');

async function waitScreen(sock: string, re: RegExp, what: string, from: number, limitMs: number): Promise<{ text: string; at: number }> {
  const end = Date.now() + limitMs;
  for (;;) {
    let text = '';
    try {
      text = screen(sock);
    } catch (err) {
      throw new Error(`The console session ended while waiting for ${what}: ${(err as Error).message}`);
    }
    const m = re.exec(text.slice(from));
    if (m) return { text, at: from + m.index + m[0].length };
    if (Date.now() > end) throw new Error(`Timed out after ${limitMs} ms waiting for ${what}; the screen ends with:\n${text.slice(-3000)}`);
    await sleep(500);
  }
}

const POWER_OFF_LIMIT_MS = 180_000;

/** QEMU's exit, written by boot.mjs once it ends; fails when it does not come within `limitMs`. */
async function waitExit(file: string, limitMs: number): Promise<{ code: number | null; signal: string | null }> {
  const end = Date.now() + limitMs;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text !== null) return JSON.parse(text) as { code: number | null; signal: string | null };
    if (Date.now() > end) throw new Error(`QEMU did not exit within ${limitMs} ms of "kill -USR2 1" (no ${file})`);
    await sleep(1000);
  }
}

/**
 * Typed into the guest's shell: the endpoint from `dialogos model endpoint`, then POST /v1/completions with
 * node's fetch (the guest has no curl). Prints one marker line either way, built by concatenation so the
 * echoed command line itself never matches.
 */
const COMPLETION_COMMAND = `node -e 'const base=require("child_process").execSync("dialogos model endpoint").toString().trim();`
  + `fetch(base+"/completions",{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({model:"dialogos-mini",prompt:"export function ",max_tokens:12,temperature:0})})`
  + `.then(async r=>{const j=await r.json();if(!r.ok)throw new Error(r.status+" "+JSON.stringify(j));`
  + `console.log("LLM-"+"OK "+JSON.stringify({model:j.model,text:j.choices[0].text,tokens:j.usage.completion_tokens,base}))})`
  + `.catch(e=>console.log("LLM-"+"FAILED "+String(e.message).replace(/\\n/g," ")))'`;

describe('e2e: the dialog on the console', () => {
  it('dialogos ready, the prompt, a question, an answer citing path:line; exit gives the shell; the llm answers', { timeout: 900_000 }, async (t) => {
    const image = await builtImage();
    const dir = await mkdtemp(join(tmpdir(), 'dlg-vm-'));
    const sock = `dialogos-test-${process.pid}`;
    try {
      const vars = ensureVarsFile(join(dir, 'vars.fd'), true);
      const exitFile = join(dir, 'qemu-exit.json');
      const consoleLog = join(dir, 'console.log');
      // The console on the terminal (stdio), disk writes dropped: the built image stays pristine. QEMU's exit
      // is written down, and the pane is logged, because the tmux session ends with QEMU.
      await writeFile(join(dir, 'boot.mjs'), `import { writeFileSync } from 'node:fs';
import { startVm } from ${JSON.stringify(VM_INDEX)};
const vm = await startVm({ disks: [${JSON.stringify(image)}], snapshot: true, varsFile: ${JSON.stringify(vars)}, accel: 'auto', memoryMiB: 1024, console: 'terminal' });
const exit = await vm.exited;
writeFileSync(${JSON.stringify(exitFile)}, JSON.stringify(exit));
process.exitCode = exit.code ?? 1;\n`);
      await writeFile(join(dir, 'tmux.conf'), 'set -g history-limit 50000\n');
      tmux(sock, '-f', join(dir, 'tmux.conf'), 'new-session', '-d', '-s', 'console', '-x', '200', '-y', '50', `${process.execPath} ${join(dir, 'boot.mjs')}`);
      tmux(sock, 'pipe-pane', '-t', 'console', `cat >> ${consoleLog}`);

      const ready = await waitScreen(sock, /dialogos ready generation=\S+/, 'dialogos ready', 0, 300_000);
      const prompt = await waitScreen(sock, /dialogos> /, 'the dialog prompt', ready.at, 180_000);
      assert.match(prompt.text.slice(ready.at), /Dialogos: this machine\. You are talking to the machine\.\nMode: retrieval/);
      tmux(sock, 'send-keys', '-t', 'console', '-l', 'where is writeGeneration defined?');
      tmux(sock, 'send-keys', '-t', 'console', 'Enter');
      const answer = await waitScreen(sock, /src\/gen\/[\w/.-]+\.ts:(\d+)/, 'an answer citing src/gen/...:LINE', prompt.at, 240_000);
      const cited = /src\/gen\/[\w/.-]+\.ts:(\d+)/.exec(answer.text.slice(prompt.at))!;
      assert.ok(Number(cited[1]) > 0, cited[0]);
      t.diagnostic(`the console answered with ${cited[0]}`);
      if (process.env.DIALOG_VM_SCREEN) await writeFile(process.env.DIALOG_VM_SCREEN, answer.text);
      await waitScreen(sock, /dialogos> /, 'the prompt after the answer', answer.at, 60_000);

      tmux(sock, 'send-keys', '-t', 'console', '-l', 'exit');
      tmux(sock, 'send-keys', '-t', 'console', 'Enter');
      const shell = await waitScreen(sock, /\/ # /, 'the operator shell after exit', answer.at, 60_000);
      tmux(sock, 'send-keys', '-t', 'console', '-l', COMPLETION_COMMAND);
      tmux(sock, 'send-keys', '-t', 'console', 'Enter');
      const llm = await waitScreen(sock, /LLM-(OK|FAILED) (.*)\n/, 'a completion from the llm service', shell.at, 300_000);
      const got = /LLM-(OK|FAILED) (.*)\n/.exec(llm.text.slice(shell.at))!;
      assert.equal(got[1], 'OK', `the llm service in the guest did not complete: ${got[2]}`);
      const body = JSON.parse(got[2]!) as { model: string; text: string; tokens: number; base: string };
      assert.equal(body.model, 'dialogos-mini');
      assert.match(body.base, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      assert.ok(body.tokens > 0 && body.text.length > 0, got[2]);
      t.diagnostic(`the guest's llm completed: ${got[2]}`);
      assert.doesNotMatch(llm.text.slice(shell.at), /dialogos> /, 'exit ended the dialog: no dialog prompt after the shell\'s');
      tmux(sock, 'send-keys', '-t', 'console', '-l', 'kill -USR2 1');
      tmux(sock, 'send-keys', '-t', 'console', 'Enter');
      // Power-off ends QEMU, and with it the tmux session.
      const exit = await waitExit(exitFile, POWER_OFF_LIMIT_MS);
      assert.deepEqual(exit, { code: 0, signal: null }, 'a guest power-off ends QEMU with status 0');
      const log = await readFile(consoleLog, 'utf8');
      const llmAt = log.lastIndexOf('LLM-OK');
      assert.ok(llmAt >= 0, 'the console log holds the session');
      assert.match(log.slice(llmAt), /dialogos: power off: stopping all processes/, 'PID 1 powered off (SIGUSR2), after the completion');
    } finally {
      try { tmux(sock, 'kill-server'); } catch { /* already gone with QEMU */ }
      await rm(dir, { recursive: true, force: true });
    }
  });
});
