// `dialogos chat` on a real terminal (tmux): readline in terminal mode, history recalled with the Up key
// across sessions, :sh handing the terminal to a shell and taking it back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAIN, startInstance, type Instance } from '../testkit/core/hostkit.js';

const sock = `dialogos-chat-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const screen = (): string => tmux('capture-pane', '-p', '-J', '-S', '-5000', '-t', 'chat');

async function until(what: string, pred: (s: string) => boolean, limitMs = 30_000): Promise<string> {
  const end = Date.now() + limitMs;
  for (;;) {
    const s = screen();
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}; screen:\n${s}`);
    await sleep(100);
  }
}
const count = (s: string, text: string): number => s.split(text).length - 1;
const keys = (...k: string[]): void => { tmux('send-keys', '-t', 'chat', ...k); };

let inst: Instance;
before(async () => { inst = await startInstance(); });
after(async () => {
  try { tmux('kill-server'); } catch { /* ended */ }
  await inst?.dispose();
});

test('terminal console: prompt, history across sessions with Up, :sh and back', async () => {
  // The window stays open after chat exits (remain-on-exit), so its last screen can still be read.
  tmux('new-session', '-d', '-s', 'chat', '-x', '160', '-y', '40', `sh -c '${process.execPath} ${MAIN} chat --state ${inst.state}; echo CHAT-ENDED; exec sleep 600'`);
  await until('the prompt', (s) => s.includes('dialogos> '));
  keys('-l', 'status');
  keys('Enter');
  await until('the status answer', (s) => count(s, '(source: GET /v1/status)') === 1);
  keys('-l', ':sh');
  keys('Enter');
  await until('the shell\'s prompt', (s) => /^[#$]$/.test(s.slice(s.lastIndexOf(':sh')).trimEnd().split('\n').at(-1)!.trim()));
  keys('-l', 'echo in-shell-$((20+22)); exit');
  keys('Enter');
  await until('back at the prompt after the shell', (s) => s.includes('in-shell-42') && s.trimEnd().endsWith('dialogos>'));
  keys('-l', 'exit');
  keys('Enter');
  await until('the end of the first session', (s) => s.includes('CHAT-ENDED'));
  tmux('kill-session', '-t', 'chat');

  tmux('new-session', '-d', '-s', 'chat', '-x', '160', '-y', '40', `sh -c '${process.execPath} ${MAIN} chat --state ${inst.state}; echo CHAT-ENDED; exec sleep 600'`);
  await until('the prompt again', (s) => s.includes('dialogos> '));
  // The history file, newest first: "exit", ":sh", "status".
  keys('Up'); keys('Up'); keys('Up');
  await until('status recalled from the history file', (s) => s.trimEnd().endsWith('dialogos> status'));
  keys('Enter');
  await until('the recalled command answered', (s) => count(s, '(source: GET /v1/status)') === 1);
  keys('C-d');
  await until('Ctrl-D ends the session', (s) => s.includes('CHAT-ENDED'));
});
