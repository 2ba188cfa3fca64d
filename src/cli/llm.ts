// NAME
//   dialogos llm serve - run the embedded LLM service in the foreground
//
// SYNOPSIS
//   dialogos llm serve [--state DIR] [--port N] [--listen HOST:PORT]... [--require-token] [--memory-budget BYTES]
//                      [--context-size N] [--sequences N] [--threads N] [--max-queue N]
//                      [--timeout MS] [--idle-unload MS] [--gpu cpu|auto|vulkan|cuda] [--worker PATH]
//                      [--shipped DIR]
//
// EXIT STATUS
//   0 stopped by SIGTERM/SIGINT, 1 cannot start (already running, cannot listen), 2 usage
import { InvalidArgumentError, type Command } from 'commander';
import { LLM_DEFAULTS, llmPaths, startLlmService } from '../llm/index.js';
import { act, EXIT, processIo, usageExit2, type CliIo } from './api-common.js';

const HELP = `
DESCRIPTION
  Serves every model of the store (see \`dialogos model\`) and every remote model configured in
  <state>/llm/remotes.json through an OpenAI-compatible API: GET /v1/models, POST /v1/chat/completions
  (SSE with "stream":true), /v1/completions, /v1/embeddings; response_format json_object/json_schema and
  tools are enforced by grammar. Each loaded model runs in its own worker process: a model that crashes
  llama.cpp fails its own requests with "model crashed" and is marked failed; the service stays up.
  Models load on first use and are unloaded least-recently-used when the next one would exceed
  --memory-budget, or after --idle-unload ms without requests. Each model has --sequences parallel
  slots and a queue of at most --max-queue waiting requests, served round-robin across clients (the
  "user" field, else the bearer token, else the connection); a full queue answers 429 with Retry-After.
  A request is cancelled when its client disconnects and fails with 504 after --timeout ms.

  Listens on <run>/llm.sock and 127.0.0.1:--port (0 = any free port), both without authentication, and
  on each --listen address, where any client that is not on loopback needs
  "Authorization: Bearer <token>" (the token is generated into <state>/llm/api.token, mode 0600);
  with --require-token loopback peers of --listen addresses need it too (a local reverse proxy).
  Writes <run>/llm.json = {"baseUrl","socket","pid"}; \`dialogos model endpoint\` prints the baseUrl.
  <run> is /run/dialogos on a machine and DIR/run for --state DIR; state is /data/dialogos or DIR.

REMOTES (<state>/llm/remotes.json)
  [{"name":"big","baseUrl":"http://10.0.0.2:8080/v1","model":"qwen-32b","apiKeyFile":"/data/keys/big"}]
  Each appears in /v1/models as "big"; requests (streams too) are forwarded with that model id and key.

ENVIRONMENT
  DIALOGOS_STATE          host instance directory when --state is not given
  DIALOGOS_LLM_WORKER     the worker entry point (default: dist/llm/worker-main.js beside the service)
  DIALOGOS_SHIPPED_MODELS models shipped read-only (default /dialogos/models, or the repository's models/)

EXIT STATUS
  0  stopped by SIGTERM or SIGINT
  1  could not start (already running for this state, cannot listen)
  2  usage error`;

const int = (name: string) => (v: string): number => {
  if (!/^\d{1,9}$/.test(v)) throw new InvalidArgumentError(`${name}: expected a whole number, got "${v}"`);
  return Number(v);
};

/** Bytes with an optional K/M/G/T suffix (powers of 1024). */
export function parseBytes(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B?|B)?$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`expected bytes such as 2147483648 or 2G, got "${v}"`);
  const mult = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[(m[2] ?? '').charAt(0).toUpperCase()] ?? 1;
  return Math.floor(Number(m[1]) * mult);
}

interface ServeOpts {
  state?: string; port?: number; listen: string[]; memoryBudget?: number; contextSize?: number; sequences?: number; threads?: number;
  requireToken?: boolean; maxQueue?: number; timeout?: number; idleUnload?: number; gpu?: 'cpu' | 'auto' | 'vulkan' | 'cuda'; worker?: string; shipped?: string;
}

export function registerLlm(program: Command, io: CliIo = processIo): void {
  const llm = usageExit2(program.command('llm').description('the embedded LLM service'));
  const serve = usageExit2(llm.command('serve').description('run the OpenAI-compatible LLM service in the foreground'))
    .option('--state <dir>', 'a host instance directory (env DIALOGOS_STATE; default: this machine)')
    .option('--port <n>', 'loopback TCP port (default 0: any free port)', int('--port'))
    .option('--listen <host:port>', 'also listen here; clients off loopback need the bearer token (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--require-token', 'require the token on --listen addresses from loopback peers too (behind a local reverse proxy)')
    .option('--memory-budget <bytes>', 'memory all loaded models may use (default: half of RAM)', parseBytes)
    .option('--context-size <n>', `tokens per sequence (default ${LLM_DEFAULTS.contextSize}, capped by the model)`, int('--context-size'))
    .option('--sequences <n>', `parallel requests per model (default ${LLM_DEFAULTS.sequences})`, int('--sequences'))
    .option('--threads <n>', 'CPU threads per model (default: all cores)', int('--threads'))
    .option('--max-queue <n>', `waiting requests per model before 429 (default ${LLM_DEFAULTS.maxQueue})`, int('--max-queue'))
    .option('--timeout <ms>', `per-request limit (default ${LLM_DEFAULTS.requestTimeoutMs})`, int('--timeout'))
    .option('--idle-unload <ms>', `unload a model idle this long, 0 = never (default ${LLM_DEFAULTS.idleUnloadMs})`, int('--idle-unload'))
    .option('--gpu <kind>', 'cpu; auto = a real GPU when one is present (never software Vulkan); vulkan or cuda (default: auto when a GPU build of llama.cpp is installed, else cpu)', (v: string) => {
      if (!['cpu', 'auto', 'vulkan', 'cuda'].includes(v)) throw new InvalidArgumentError(`expected cpu, auto, vulkan or cuda, got "${v}"`);
      return v;
    })
    .option('--worker <path>', 'the worker entry point (env DIALOGOS_LLM_WORKER)')
    .option('--shipped <dir>', 'directory of read-only shipped models (env DIALOGOS_SHIPPED_MODELS)');
  serve.addHelpText('after', HELP);
  serve.action((o: ServeOpts) => act(io, 'llm serve', {}, async () => {
    const paths = llmPaths(o.state, io.env, o.shipped);
    const svc = await startLlmService({
      paths, listen: o.listen, requireToken: o.requireToken === true, ...(o.gpu ? { gpu: o.gpu === 'cpu' ? false : o.gpu } : {}),
      ...(o.port !== undefined ? { port: o.port } : {}), ...(o.memoryBudget !== undefined ? { memoryBudgetBytes: o.memoryBudget } : {}),
      ...(o.contextSize ? { contextSize: o.contextSize } : {}), ...(o.sequences ? { sequences: o.sequences } : {}),
      ...(o.threads ? { threads: o.threads } : {}), ...(o.maxQueue !== undefined ? { maxQueue: o.maxQueue } : {}),
      ...(o.timeout ? { requestTimeoutMs: o.timeout } : {}), ...(o.idleUnload !== undefined ? { idleUnloadMs: o.idleUnload } : {}),
      ...(o.worker ? { workerPath: o.worker } : {}),
      log: (level, msg) => io.err(`llm: ${level}: ${msg}\n`),
    });
    io.out(`${svc.baseUrl}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => { process.off('SIGTERM', stop); process.off('SIGINT', stop); resolve(); };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    await svc.close();
    io.err('llm: stopped\n');
    return EXIT.ok;
  }));
}
