// The interactive console: a readline prompt with line editing and persistent history, streamed
// answers, a spinner for long work, y/N prompts, and the plain-command escapes (!CMD, :sh) for operators.
import { spawn } from 'node:child_process';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Dialog } from './dialog.js';

export const PROMPT = 'dialogos> ';
const HISTORY_SIZE = 1000;
const FRAMES = ['|', '/', '-', '\\'];

export interface ConsoleOptions {
  dialog: Dialog;
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
  output: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where history lives between sessions; null keeps none. */
  historyFile: string | null;
  /** The shell for !CMD and :sh. */
  shell: string;
  /** A line naming the machine or instance for the greeting. */
  where: string;
  /** On the machine's console: say that a shell follows when the dialog ends. */
  console?: boolean;
}

async function loadHistory(file: string | null): Promise<string[]> {
  if (!file) return [];
  const text = await readFile(file, 'utf8').catch(() => '');
  // readline wants the newest first.
  return text.split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
}

/** Runs the console until `exit`, Ctrl-D or the end of input; resolves with the exit code (0). */
export async function runConsole(o: ConsoleOptions): Promise<number> {
  const tty = Boolean(o.input.isTTY && o.output.isTTY);
  const rl = createInterface({ input: o.input, output: o.output, terminal: tty, history: await loadHistory(o.historyFile), historySize: HISTORY_SIZE, removeHistoryDuplicates: true, prompt: PROMPT });
  // Iterate from the start, so that lines piped in while the greeting is prepared are kept, and prompt only while
  // the interface is open: node 24 throws ERR_USE_AFTER_CLOSE from prompt() once the input has ended.
  const lines = rl[Symbol.asyncIterator]();
  let closed = false;
  rl.once('close', () => { closed = true; });
  const prompt = (): void => { if (!closed) rl.prompt(); };
  const write = (t: string): void => { o.output.write(t); };
  let busy: AbortController | null = null;
  rl.on('SIGINT', () => {
    if (busy) { busy.abort(); write('\n(interrupted)\n'); } else { write('^C (type exit or press Ctrl-D to leave)\n'); prompt(); }
  });
  const m = await o.dialog.mode();
  write(`Dialogos: ${o.where}. You are talking to the machine.\n`);
  write(m.mode === 'retrieval'
    ? `Mode: retrieval, because ${m.why}. I answer what I can look up in the code, the API and the journal, quoting sources; type help for what I understand.\n`
    : `Mode: ${m.why}. Answers about code cite path:line; changes ask y/N first. Type help for examples.\n`);
  write(`!CMD runs a shell command, :sh opens a shell, exit leaves.\n`);
  prompt();
  for await (const line of lines) {
    const text = line.trim();
    if (o.historyFile && text) {
      await mkdir(dirname(o.historyFile), { recursive: true }).then(() => appendFile(o.historyFile!, `${text.replace(/\n/g, ' ')}\n`)).catch(() => {});
    }
    if (/^(exit|quit|:q|logout)$/i.test(text)) break;
    if (text.startsWith('!') || text === ':sh') {
      await escape(rl, o, text === ':sh' ? null : text.slice(1).trim(), () => !closed);
      prompt();
      continue;
    }
    busy = new AbortController();
    await turn(o, text, tty, busy.signal, write);
    busy = null;
    prompt();
  }
  rl.close();
  write(o.console ? '\nThe dialog ended; a shell follows (exit it to come back to the dialog).\n' : '\n');
  return 0;
}

async function turn(o: ConsoleOptions, text: string, tty: boolean, signal: AbortSignal, write: (t: string) => void): Promise<void> {
  let status = 'thinking';
  let frame = 0;
  let streamed = '';
  const clear = (): void => { if (tty) write('\r\x1b[K'); };
  const spin = tty ? setInterval(() => { write(`\r${FRAMES[frame++ % 4]} ${status.slice(0, 70)}\x1b[K`); }, 120) : null;
  const stopSpin = (): void => { if (spin) { clearInterval(spin); clear(); } };
  try {
    const a = await o.dialog.handle(text, {
      signal,
      onDelta: (d) => { if (!streamed) stopSpin(); streamed += d; write(d); },
      onProgress: (l) => { if (tty) status = l; else write(`... ${l}\n`); },
    });
    stopSpin();
    if (!streamed) write(`${a.answer}\n`);
    else if (a.answer.trim() !== streamed.trim()) write(`\n-- checked against the source:\n${a.answer}\n`);
    else write('\n');
  } catch (err) {
    stopSpin();
    write(`Something failed while answering: ${(err as Error).message}\n`);
  }
}

/** Runs a shell command (or an interactive shell) on the console, then gives the prompt back. */
async function escape(rl: ReturnType<typeof createInterface>, o: ConsoleOptions, cmd: string | null, open: () => boolean): Promise<void> {
  if (cmd === '') { o.output.write('Usage: !COMMAND (for example !ls /data), or :sh for a shell\n'); return; }
  if (open()) rl.pause(); // node 24 throws from pause() and resume() once the input has ended
  const raw = o.input.isTTY && o.input.setRawMode;
  if (raw) o.input.setRawMode!(false);
  const input = o.input as unknown as { fd?: number };
  const inherit = typeof input.fd === 'number' && (o.output as unknown as { fd?: number }).fd !== undefined;
  await new Promise<void>((resolve) => {
    const child = spawn(o.shell, cmd === null ? ['-i'] : ['-c', cmd], { stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    if (!inherit) {
      child.stdout?.on('data', (d: Buffer) => o.output.write(d));
      child.stderr?.on('data', (d: Buffer) => o.output.write(d));
    }
    child.on('error', (err) => { o.output.write(`Cannot run ${o.shell}: ${err.message}\n`); resolve(); });
    child.on('close', (code) => { if (code) o.output.write(`(exit ${code})\n`); resolve(); });
  });
  if (raw) o.input.setRawMode!(true);
  if (open()) rl.resume();
}
