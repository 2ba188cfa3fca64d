// NAME
//   dialogos chat - talk to the machine (interactive)
//   dialogos ask  - one question or command, one answer
//
// SYNOPSIS
//   dialogos chat [--state DIR] [--console] [--retrieval] [--model ID] [--source DIR]
//   dialogos ask [--json] [--yes] [--state DIR] [--retrieval] [--model ID] [--source DIR] QUESTION...
//   dialogos ask --eval [questions|plain] [--json] [--state DIR] [--retrieval] [--source DIR]
//
// DESCRIPTION
//   The dialog answers questions about the code (citing path:line), the machine's state (through the
//   API and the journal) and runs changes after a y/N confirmation. With a chat model from the llm
//   service it converses; without one it answers in retrieval mode (fixed forms, quoted sources).
//
// EXIT STATUS
//   0 answered, 1 failed or a change was not confirmed, 2 usage (empty, binary or too long input)
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command } from 'commander';
import { resolveInstance } from '../core/index.js';
import {
  apiOsTools, createDialog, discoverBaseUrl, discoveredModelClient, grepCodeTools, httpModelClient, loadQuestions, refuseInput, runConsole, runEval,
  type CodeTools, type Dialog, type OsTools,
} from '../dialog/index.js';
import { codeToolsFor } from './chat-code.js';
import { dialogEvolveTools } from './evolve-dialog.js';
import { archiveDir } from './evolve.js';
import { httpEmbedder, pickEmbeddingModel } from './chat-embed.js';
import type { Embedder } from '../mind/index.js';
import { EXIT, INSTANCE_HELP, processIo, usageExit2, type CliIo } from './api-common.js';

export interface ChatOpts { state?: string; json?: boolean; yes?: boolean; retrieval?: boolean; model?: string; source?: string; console?: boolean; eval?: boolean | string }

/** The source the dialog knows: --source, $DIALOGOS_SOURCE, else the tree this program was built from. */
export function sourceRoot(opts: ChatOpts, env: NodeJS.ProcessEnv): string {
  if (opts.source) return resolve(opts.source);
  if (env.DIALOGOS_SOURCE) return resolve(env.DIALOGOS_SOURCE);
  for (let d = dirname(fileURLToPath(import.meta.url)); d !== dirname(d); d = dirname(d)) {
    if (existsSync(join(d, 'src')) && existsSync(join(d, 'package.json'))) return d;
  }
  return '/dialogos';
}

/**
 * How run_test runs the unit suite: a checkout's ./dialogos, or inside the OS the generation's own bundle
 * (`dialogos test --unit` from its shipped dist/ and runner), or none where the tree has no runner at all.
 */
export function testCommand(root: string): { argv: string[]; cwd: string } | null {
  if (!existsSync(join(root, 'scripts/run-tests.mjs'))) return null;
  if (existsSync(join(root, 'bin/dialogos.mjs'))) return { argv: [process.execPath, join(root, 'bin/dialogos.mjs'), 'test', '--unit'], cwd: root };
  return existsSync(join(root, 'dialogos')) ? { argv: [join(root, 'dialogos'), 'test', '--unit'], cwd: root } : null;
}

/** Builds the dialog's parts for an instance: code tools from src/mind (grep as the fallback), OS tools, the model. */
export async function dialogParts(opts: ChatOpts, env: NodeJS.ProcessEnv): Promise<{ root: string; code: CodeTools; os: OsTools; make: () => Dialog; where: string; historyFile: string }> {
  const root = sourceRoot(opts, env);
  const inst = resolveInstance(opts.state, env);

  const cli = [process.execPath, process.argv[1] ?? join(root, 'bin/dialogos.mjs')];
  const os = apiOsTools({
    client: { socketPath: inst.socket, timeoutMs: 60_000 },
    cli,
    test: testCommand(root),
  });
  const key = env.DIALOGOS_LLM_KEY ? { apiKey: env.DIALOGOS_LLM_KEY } : {};
  // Without DIALOGOS_LLM_URL the instance's llm service is looked up at each use, so a console started
  // before the service picks it up when it comes.
  const model = opts.retrieval ? null : env.DIALOGOS_LLM_URL ? httpModelClient(env.DIALOGOS_LLM_URL, key) : discoveredModelClient(inst.runDir, key);
  let embedder: Promise<Embedder | null> | undefined;
  const embed = async (): Promise<Embedder | null> => {
    const base = opts.retrieval ? null : env.DIALOGOS_LLM_URL ?? (await discoverBaseUrl(inst.runDir));
    if (!base) return null;
    embedder ??= pickEmbeddingModel(base, env, env.DIALOGOS_LLM_KEY).then((m) => (m ? httpEmbedder(base, m, env.DIALOGOS_LLM_KEY) : null));
    return embedder;
  };
  const code = codeToolsFor(root, opts.state, env, (why) => process.stderr.write(`dialogos: ${why}\n`), embed);
  // The loop's archive of this instance: --state DIR keeps it in DIR/evolve, as `dialogos evolve` does.
  const evolve = dialogEvolveTools({ archive: archiveDir({}, opts.state ? { ...env, DIALOGOS_STATE: opts.state } : env), source: root, cli });
  const make = (): Dialog => createDialog({ code, os, evolve, model, ...(opts.model ? { modelId: opts.model } : {}) });
  const where = inst.mode === 'host' ? `host instance ${inst.state}` : 'this machine';
  const historyFile = inst.mode === 'host' ? join(inst.state!, 'dialog_history') : existsSync('/data/dialogos') ? '/data/dialogos/dialog_history' : join(env.HOME ?? '/tmp', '.dialogos_history');
  return { root, code, os, make, where, historyFile };
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** `dialogos ask`: one answer, streamed; --json prints {answer, citations, mode}. */
export async function runAsk(words: string[], opts: ChatOpts, io: CliIo): Promise<number> {
  const parts = await dialogParts(opts, io.env);
  if (opts.eval) return runEvalCli(parts, opts, io);
  // No question on a terminal is an empty question, not a wait for stdin that never ends.
  const fromStdin = (words.length === 0 && !process.stdin.isTTY) || (words.length === 1 && words[0] === '-');
  const input: string | Buffer = fromStdin ? await readStdin() : words.join(' ');
  const refused = refuseInput(input);
  const dialog = parts.make();
  if (refused) {
    io.out(opts.json ? `${JSON.stringify({ answer: refused, citations: [], mode: 'retrieval' })}\n` : `${refused}\n`);
    return EXIT.usage;
  }
  let streamed = false;
  let a = await dialog.handle(input, { onDelta: opts.json ? undefined : (d) => { streamed = true; io.out(d); }, onProgress: (l) => io.err(`... ${l}\n`) });
  if (a.pending) {
    if (!opts.yes) {
      const text = `${a.answer}\nNot run: pass --yes to confirm it, or use dialogos chat.\n`;
      io.out(opts.json ? `${JSON.stringify({ answer: text.trim(), citations: [], mode: a.mode, pending: a.pending })}\n` : text);
      return EXIT.failed;
    }
    if (!opts.json) io.out(`${a.answer} yes (--yes)\n`);
    a = await dialog.handle('yes');
  }
  if (opts.json) io.out(`${JSON.stringify({ answer: a.answer, citations: a.citations, mode: a.mode, ...(a.confidence ? { confidence: a.confidence } : {}) })}\n`);
  else io.out(streamed ? '\n' : `${a.answer}\n${a.mode === 'retrieval' ? '(retrieval mode: quoted from the code, the API and the journal)\n' : ''}`);
  return a.answer.startsWith('Failed:') ? EXIT.failed : EXIT.ok;
}

/** The question sets `ask --eval [SET]` knows (src/dialog/eval/run.ts QUESTION_SETS). */
const EVAL_SETS = ['questions', 'plain'] as const;

async function runEvalCli(parts: Awaited<ReturnType<typeof dialogParts>>, opts: ChatOpts, io: CliIo): Promise<number> {
  const set = typeof opts.eval === 'string' ? opts.eval : 'questions';
  if (!(EVAL_SETS as readonly string[]).includes(set)) {
    io.err(`dialogos ask: Cannot run question set "${set}": the sets are ${EVAL_SETS.join(', ')}\n`);
    return EXIT.usage;
  }
  const r = await runEval({
    root: parts.root, make: parts.make, os: parts.os, questions: await loadQuestions(parts.root, set as (typeof EVAL_SETS)[number]),
    onResult: opts.json ? undefined : (x) => io.out(`${x.ok === null ? 'SKIP' : x.ok ? 'ok  ' : 'FAIL'} ${x.q.replace(/[\u0000-\u001f]/g, '?')}  (${x.why})\n`),
  });
  const pc = (x: number): string => `${(x * 100).toFixed(1)}%`;
  if (opts.json) io.out(`${JSON.stringify(r, null, 2)}\n`);
  else {
    io.out(`accuracy ${r.passed}/${r.asked} = ${pc(r.accuracy)} (${r.skipped} skipped), mode ${r.modes.join(', ') || '-'}\n`);
    io.out(`top-1 ${pc(r.top1)}, top-3 ${pc(r.top3)}, confidently wrong ${r.confidentWrong}/${r.asked} = ${pc(r.confidentWrongRate)}, `
      + `latency p50 ${r.latencyMs.p50.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms\n`);
  }
  return EXIT.ok;
}

const COMMON = (c: Command): Command => c
  .option('--state <dir>', 'the host instance to talk to (env DIALOGOS_STATE; default: this machine)')
  .option('--retrieval', 'answer in retrieval mode even when a chat model is available')
  .option('--model <id>', 'the chat model to use (default: the first that can chat)')
  .option('--source <dir>', 'the source tree to answer from (env DIALOGOS_SOURCE; default: this program\'s own)');

const MODES = `MODES
  With a chat model (the llm service's /v1/models lists one with chat: true, or DIALOGOS_LLM_URL
  names an OpenAI-compatible endpoint) the dialog converses and calls the same typed tools; answers
  about code cite path:line, and sentences about code without a valid citation are marked
  [no source]. With only dialogos-mini (a code model that cannot chat) or no model it answers in
  retrieval mode: fixed question forms (type help), answered by quoting code, docs and logs.

CHANGES
  start, stop, restart, switch to a generation and rollback show the exact API call or command and
  run only after y (chat) or --yes (ask).

${INSTANCE_HELP}`;

export function registerChat(program: Command, io: CliIo = processIo): void {
  const chat = usageExit2(COMMON(program.command('chat').description('talk to the machine: questions, code, logs, commands')))
    .option('--console', 'the machine\'s console after boot: says a shell follows when the dialog ends');
  chat.addHelpText('after', `
DESCRIPTION
  An interactive session with line editing and history (kept in DIR/dialog_history, or
  /data/dialogos/dialog_history on the machine). Type help for what it understands. !CMD runs a
  shell command; :sh opens a shell and returns here when it exits; exit or Ctrl-D leaves.
  Ctrl-C interrupts a long answer.

${MODES}

EXAMPLES
  dialogos chat --state /tmp/inst
  dialogos> where is writeGeneration defined?
  dialogos> why did web fail?
  dialogos> restart web          (shows POST /v1/units/web/restart, asks y/N)

EXIT STATUS
  0 when the session ends`);
  chat.action(async (opts: ChatOpts) => {
    const parts = await dialogParts(opts, io.env);
    process.exitCode = await runConsole({
      dialog: parts.make(), input: process.stdin, output: process.stdout, historyFile: parts.historyFile,
      shell: existsSync('/bin/sh') ? '/bin/sh' : 'sh', where: parts.where, console: Boolean(opts.console),
    });
  });

  const ask = usageExit2(COMMON(program.command('ask').description('ask one question or give one command; prints the answer')))
    .argument('[question...]', 'the question (or - to read it from stdin)')
    .option('--json', 'print {"answer", "citations": [{"path", "line"}], "mode"} (and "confidence" for plain questions)')
    .option('--yes', 'confirm a state change the answer asks for (without it nothing changes)')
    .option('--eval [set]', 'run a question set and report accuracy: questions (src/dialog/eval/questions.json, the default) or plain (plain-questions.json)');
  ask.addHelpText('after', `
DESCRIPTION
  Answers one line and exits. Input over 64 KiB, binary input and empty input are refused (exit 2).
  --json prints one JSON object; mode is the model's id or "retrieval". --eval asks every question
  of the set in a fresh dialog and checks each answer against the source and the API (apply
  src/dialog/eval/specs.json to the instance first for the unit questions); --eval plain runs the
  held-out set in plain words. It prints accuracy, top-1 and top-3, confidently wrong answers and
  latency.

${MODES}

EXAMPLES
  dialogos ask "where is writeGeneration defined?"
  dialogos ask --json "who calls openJournal" | jq .citations
  dialogos ask --yes "restart web" --state /tmp/inst
  dialogos ask --eval --retrieval
  dialogos ask --eval plain --retrieval --state /tmp/inst

EXIT STATUS
  0 answered, 1 failed or a change was not confirmed, 2 empty, binary or too long input`);
  ask.action(async (words: string[], opts: ChatOpts) => {
    try {
      process.exitCode = await runAsk(words, opts, io);
    } catch (err) {
      io.err(`dialogos ask: ${(err as Error).message}\n`);
      process.exitCode = EXIT.failed;
    }
  });
}
