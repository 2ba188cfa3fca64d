// NAME
//   dialogos host - run dialogosd on a Linux host, one instance per state directory
//
// SYNOPSIS
//   dialogos host start --state DIR [--listen HOST:PORT] [--defaults DIR] [--timeout MS] [--json]
//   dialogos host stop --state DIR [--timeout MS] [--json]
//
// DESCRIPTION
//   start runs `dialogos daemon --state DIR` detached (its console goes to DIR/dialogosd.log) and returns
//   once the API answers with the services started, printing the socket path. A pid file or socket left
//   by a crash is detected and removed first; a live instance is reported, not started twice. stop sends
//   SIGTERM and waits until the process is gone: services stop in reverse dependency order and the
//   journal is closed; after --timeout (default 60000 ms) it is killed. Everything lives under DIR, so
//   instances side by side never collide. DIR may also come from $DIALOGOS_STATE.
//
// EXIT STATUS
//   0 ok (start: ready or already running; stop: stopped or not running), 1 failed (the daemon exited
//   or did not become ready, or had to be killed), 2 usage
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { apiCall, MAX_SOCKET_PATH, type StatusBody } from '../core/api/index.js';
import { isDialogosd, readPid, statePaths, type InstancePaths } from '../core/index.js';
import { act, EXIT, json, processIo, usageExit2, UsageError, type CliIo } from './api-common.js';
import { parseListen } from './daemon.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_HOW_TO_GET, llmPaths, llmServiceSpec, locateDefaultModel } from '../llm/index.js';

/**
 * A host instance's llm service spec (DIR/specs/llm.json): the machine's default spec names /dialogos paths,
 * so a host instance gets its own, pointing at this CLI and DIR. An existing file is the owner's: kept.
 */
async function ensureLlmSpec(state: string): Promise<boolean> {
  await mkdir(`${state}/specs`, { recursive: true });
  const spec = llmServiceSpec({ state, cli: process.argv[1]! });
  return writeFile(`${state}/specs/llm.json`, `${JSON.stringify(spec, null, 2)}\n`, { flag: 'wx' }).then(() => true, (err: NodeJS.ErrnoException) => {
    if (err.code === 'EEXIST') return false;
    throw err;
  });
}

/** What a host instance's llm service will serve as dialogos-mini (the same lookup `llm serve --state` does). */
export function hostDefaultModel(state: string): { file: string | null; looked: string[] } {
  const paths = llmPaths(state, {});
  return { file: locateDefaultModel(paths)?.file ?? null, looked: paths.defaultModelFiles };
}

function sayDefaultModel(say: (t: string) => void, state: string, m: { file: string | null; looked: string[] }): void {
  if (m.file) { say(`the llm service serves ${DEFAULT_MODEL} from ${m.file}`); return; }
  say(`no ${DEFAULT_MODEL} is built here (looked at ${m.looked.join(', ')}): the llm service serves no model until one exists.`);
  say(`${DEFAULT_MODEL_HOW_TO_GET.replace(', or give a GGUF with --model FILE', '')}; or add any GGUF: dialogos model add FILE --state ${state}`);
}

interface HostOpts { state?: string; json?: boolean; timeout?: number; listen?: { host: string; port: number }; defaults?: string; llm?: boolean }

const ms = (v: string): number => {
  if (!/^\d{1,9}$/.test(v)) throw new InvalidArgumentError(`expected milliseconds, got "${v}"`);
  return Number(v);
};

function pathsOf(opts: HostOpts, env: NodeJS.ProcessEnv): InstancePaths {
  const s = opts.state ?? env.DIALOGOS_STATE;
  if (!s) throw new UsageError('Cannot find the instance: give --state DIR or set DIALOGOS_STATE');
  const p = statePaths(s);
  if (Buffer.byteLength(p.socket) > MAX_SOCKET_PATH) {
    const why = `its socket path "${p.socket}" is longer than the ${MAX_SOCKET_PATH} bytes a unix socket address holds`;
    throw new UsageError(`Cannot use state directory "${p.state}": ${why}`);
  }
  return p;
}

async function status(p: InstancePaths): Promise<StatusBody | null> {
  try {
    return await apiCall<StatusBody>({ socketPath: p.socket, timeoutMs: 5000 }, 'GET', '/v1/status');
  } catch {
    return null;
  }
}

/** Removes a pid file and socket whose dialogosd is gone; returns what it removed. */
export async function cleanStale(p: InstancePaths): Promise<string[]> {
  const pid = await readPid(p.pidFile);
  if (pid !== null && (await isDialogosd(pid))) return [];
  const removed: string[] = [];
  for (const f of [p.pidFile, p.socket]) {
    if (await rm(f).then(() => true, () => false)) removed.push(f);
  }
  return removed;
}

async function logTail(p: InstancePaths): Promise<string> {
  const text = await readFile(`${p.state}/dialogosd.log`, 'utf8').catch(() => '');
  return text.split('\n').slice(-15).join('\n');
}

export async function runHostStart(opts: HostOpts, io: CliIo): Promise<number> {
  const p = pathsOf(opts, io.env);
  const say = (t: string): void => { if (!opts.json) io.out(`${t}\n`); };
  const live = await readPid(p.pidFile);
  if (live !== null && (await isDialogosd(live))) {
    const s = await status(p);
    if (opts.json) io.out(json({ state: p.state, pid: live, socket: p.socket, phase: s?.phase ?? null, already: true }));
    say(`dialogosd already runs for ${p.state} (pid ${live}); socket ${p.socket}`);
    return s ? EXIT.ok : EXIT.failed;
  }
  for (const f of await cleanStale(p)) say(`removed stale ${f}`);
  await mkdir(p.runDir, { recursive: true });
  if (opts.llm && (await ensureLlmSpec(p.state!))) say(`wrote ${p.state}/specs/llm.json (the llm service)`);
  const llm = opts.llm ? hostDefaultModel(p.state!) : null;
  if (llm) sayDefaultModel(say, p.state!, llm);
  const log = await open(`${p.state}/dialogosd.log`, 'a');
  const args = [...process.execArgv, process.argv[1]!, 'daemon', '--state', p.state!];
  if (opts.listen) args.push('--listen', `${opts.listen.host}:${opts.listen.port}`);
  if (opts.defaults) args.push('--defaults', resolve(opts.defaults));
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log.fd, log.fd], env: { ...io.env, DIALOGOS_STATE: p.state! } });
  await log.close();
  let exited: number | null | undefined;
  child.once('exit', (code) => { exited = code; });
  child.unref();
  const deadline = Date.now() + (opts.timeout ?? 30_000);
  for (let wait = 10; Date.now() < deadline; wait = Math.min(wait * 2, 200)) {
    if (exited !== undefined) break;
    const s = await status(p);
    if (s && (s.phase === 'running' || s.phase === 'failed')) {
      const llmPart = llm ? { llm: { defaultModel: llm.file, looked: llm.looked } } : {};
      if (opts.json) io.out(json({ state: p.state, pid: child.pid, socket: p.socket, phase: s.phase, reason: s.reason, already: false, ...llmPart }));
      say(`dialogosd ${s.phase} for ${p.state} (pid ${child.pid}): ${s.reason}`);
      say(p.socket);
      return s.phase === 'running' ? EXIT.ok : EXIT.failed;
    }
    await sleep(wait);
  }
  if (exited === undefined) child.kill('SIGKILL');
  const what = exited !== undefined ? `exited with code ${exited}` : `did not become ready in ${opts.timeout ?? 30_000} ms (killed)`;
  io.err(`dialogos host start: dialogosd for ${p.state} ${what}; its log:\n${await logTail(p)}\n`);
  return EXIT.failed;
}

export async function runHostStop(opts: HostOpts, io: CliIo): Promise<number> {
  const p = pathsOf(opts, io.env);
  const pid = await readPid(p.pidFile);
  if (pid === null || !(await isDialogosd(pid))) {
    const removed = await cleanStale(p);
    if (opts.json) io.out(json({ state: p.state, stopped: false, running: false, removedStale: removed }));
    else io.out(`dialogosd is not running for ${p.state}${removed.length ? ` (removed stale ${removed.join(', ')})` : ''}\n`);
    return EXIT.ok;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + (opts.timeout ?? 60_000);
  while (Date.now() < deadline && (await isDialogosd(pid))) await sleep(20);
  let killed = false;
  if (await isDialogosd(pid)) {
    process.kill(pid, 'SIGKILL');
    killed = true;
    await cleanStale(p);
  }
  if (opts.json) io.out(json({ state: p.state, pid, stopped: true, killed }));
  else io.out(killed ? `dialogosd (pid ${pid}) did not stop in time; killed\n` : `dialogosd (pid ${pid}) stopped\n`);
  return killed ? EXIT.failed : EXIT.ok;
}

export function registerHost(program: Command, io: CliIo = processIo): void {
  const host = usageExit2(program.command('host').description('run dialogosd on this Linux host, one instance per state directory'));
  const HELP = `
DESCRIPTION
  start runs dialogosd detached for the state directory DIR (journal, specs, socket, pid file, run state
  and cgroup names all derived from DIR, so instances side by side never collide) and returns once its API
  says the services are started, printing the socket path. A stale pid file or socket from a crash is
  removed first. stop sends SIGTERM and waits: services stop in reverse dependency order, the journal is
  closed. No root needed; cgroup limits apply where the host allows (see \`dialogos status\`).

EXAMPLES
  dialogos host start --state /tmp/node1 && dialogos svc apply web.json --state /tmp/node1
  export DIALOGOS_STATE=/tmp/node2; dialogos host start; dialogos status; dialogos host stop
  dialogos host start --state /tmp/ai --llm && dialogos model endpoint --state /tmp/ai

EXIT STATUS
  0  ok (start: ready or already running; stop: stopped or was not running)
  1  failed (dialogosd exited or did not become ready; stop had to kill it)
  2  usage error`;
  host.addHelpText('after', HELP);
  const common = (c: Command): Command => usageExit2(c)
    .option('--state <dir>', 'the instance\'s state directory (env DIALOGOS_STATE)')
    .option('--timeout <ms>', 'how long to wait', ms)
    .option('--json', 'print JSON');
  common(host.command('start').description('start dialogosd for DIR detached; return once its API is ready'))
    .option('--listen <host:port>', 'also serve the API on TCP (bearer token in DIR/api.token)', parseListen)
    .option('--defaults <dir>', 'default specs under the instance\'s own DIR/specs')
    .option('--llm', 'also run the llm service (writes DIR/specs/llm.json unless it exists; see dialogos model)')
    .addHelpText('after', HELP)
    .action((opts: HostOpts) => act(io, 'host start', opts, () => runHostStart(opts, io)));
  common(host.command('stop').description('stop the instance cleanly (services in reverse order, journal closed)'))
    .addHelpText('after', HELP)
    .action((opts: HostOpts) => act(io, 'host stop', opts, () => runHostStop(opts, io)));
}
