// NAME
//   dialogos model - the models of the embedded LLM service: list, add, remove, inspect, benchmark, endpoint
//
// SYNOPSIS
//   dialogos model ls [--state DIR] [--json]
//   dialogos model add FILE [--name NAME] [--state DIR] [--json]
//   dialogos model rm NAME [--state DIR] [--json]
//   dialogos model show NAME [--state DIR] [--json]
//   dialogos model bench NAME [--prompt-tokens N] [--tokens N] [--threads N] [--state DIR] [--json]
//   dialogos model endpoint [--state DIR] [--json]
//
// EXIT STATUS
//   0 ok, 1 failed (file not a loadable GGUF, model crashed the loader), 2 usage, 3 unknown model,
//   4 endpoint: the llm service is not running
import { InvalidArgumentError, type Command } from 'commander';
import { benchModel, llmPaths, ModelStore, readEndpoint, workerVerifier, type ModelEntry, type StoredModel } from '../llm/index.js';
import { act, EXIT, json, processIo, usageExit2, type CliIo } from './api-common.js';

interface Opts { state?: string; json?: boolean }

const EXIT_HELP = `EXIT STATUS
  0  ok
  1  failed (not a GGUF, truncated, the model does not load or crashes the loader, read-only model)
  2  usage error
  3  no such model
  4  (endpoint) the llm service is not running`;

const HELP = `
DESCRIPTION
  Models live in the model store: /data/dialogos/models/ on a machine, DIR/models/ for a host instance
  (--state DIR or $DIALOGOS_STATE), each with its SHA-256 digest in index.json. Models shipped with the
  generation (/dialogos/models/*.gguf; the repository's models/ in host mode) are listed too and are
  read-only. add checks the GGUF header, copies the file with its digest, has a separate worker process
  load the copy (a file that makes llama.cpp abort is refused, nothing else is affected), then moves it
  into place atomically. The running service (\`dialogos llm serve\`) sees changes on its next request.
  endpoint prints the base URL of the running service, for any OpenAI client:
    OPENAI_BASE_URL=$(dialogos model endpoint) OPENAI_API_KEY=none my-client

EXAMPLES
  dialogos model add ./tiny.gguf --name tiny
  dialogos model ls --json
  dialogos model show dialogos-mini
  dialogos model bench tiny --tokens 256
  curl "$(dialogos model endpoint)/models"

${EXIT_HELP}`;

const int = (v: string): number => {
  if (!/^\d{1,7}$/.test(v)) throw new InvalidArgumentError(`expected a whole number, got "${v}"`);
  return Number(v);
};

const code = (err: unknown): number => {
  const k = (err as { kind?: string }).kind;
  return k === 'not-found' ? EXIT.notFound : EXIT.failed;
};

async function runtimeEntries(o: Opts, env: NodeJS.ProcessEnv): Promise<Map<string, ModelEntry> | null> {
  const ep = await readEndpoint(llmPaths(o.state, env));
  if (!ep) return null;
  try {
    const r = await fetch(`${ep.baseUrl}/models`, { signal: AbortSignal.timeout(5000) });
    const body = (await r.json()) as { data: ModelEntry[] };
    return new Map(body.data.map((e) => [e.id, e]));
  } catch {
    return null;
  }
}

const human = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)}G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n));

function table(models: StoredModel[], rt: Map<string, ModelEntry> | null): string {
  const rows = [['NAME', 'SOURCE', 'ARCH', 'PARAMS', 'SIZE', 'CHAT', 'STATE']];
  for (const m of models) {
    const e = rt?.get(m.name);
    rows.push([m.name, m.source, m.architecture, human(m.parameters), `${human(m.size)}B`, m.chatTemplate ? 'yes' : 'no', e ? String(e.dialogos.state) : rt ? '-' : 'service not running']);
  }
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows.map((r) => r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd()).join('\n')}\n`;
}

/** `dialogos model …`; returns the group so the composition root can add the training verbs. */
/** `dialogos model show`: one model as stored. */
function showText(m: StoredModel): string {
  return [
    `${m.name} (${m.source})`,
    `  file: ${m.file}`,
    `  sha256: ${m.sha256}`,
    `  size: ${m.size} bytes`,
    `  architecture: ${m.architecture}   parameters: ${m.parameters}   context: ${m.contextLength ?? '?'}`,
    `  chat template: ${m.chatTemplate ? 'yes' : 'no (a completion model: chat requests use a plain template)'}`,
    `  added: ${m.addedAt ?? 'shipped with the generation'}`,
    '',
  ].join('\n');
}

/** `dialogos model show`: the running service's view of the model. */
function runtimeText(rt: ModelEntry): string {
  const d = rt.dialogos;
  return `  state: ${String(d.state)}${d.reason ? ` (${String(d.reason)})` : ''}${d.backend ? `   back end: ${String(d.backend)}` : ''}\n`;
}

function benchText(name: string, r: Awaited<ReturnType<typeof benchModel>>): string {
  const prompt = `prompt ${r.promptTokens} tokens at ${r.promptTokensPerSecond.toFixed(0)} tok/s (first token after ${r.timeToFirstTokenMs.toFixed(0)} ms)`;
  return `${name}: load ${r.loadMs.toFixed(0)} ms; ${prompt}; generation ${r.generatedTokens} tokens at ${r.generationTokensPerSecond.toFixed(0)} tok/s\n`;
}

export function registerModel(program: Command, io: CliIo = processIo): Command {
  const model = usageExit2(program.command('model').description('list, add, remove, inspect and benchmark LLM models; print the API endpoint; train, evaluate and use dialogos-mini'));
  model.addHelpText('after', HELP);
  const verb = (spec: string, d: string): Command => {
    const c = usageExit2(model.command(spec).description(d)).option('--state <dir>', 'a host instance (env DIALOGOS_STATE; default: this machine)').option('--json', 'print JSON');
    c.addHelpText('after', `\n${EXIT_HELP}`);
    return c;
  };
  const storeOf = (o: Opts) => new ModelStore(llmPaths(o.state, io.env));
  const run = (cmd: string, o: Opts, body: () => Promise<number>) => act(io, cmd, o, async () => {
    try { return await body(); } catch (err) {
      const c = code(err);
      if (c === EXIT.failed) throw err;
      if (o.json) io.out(json({ error: { name: (err as Error).name, message: (err as Error).message } }));
      io.err(`dialogos ${cmd}: ${(err as Error).message}\n`);
      return c;
    }
  });
  verb('ls', 'list the models (added and shipped) and, when the service runs, their state').action((o: Opts) => run('model ls', o, async () => {
    const models = await storeOf(o).list();
    const rt = await runtimeEntries(o, io.env);
    const text = () => (models.length ? table(models, rt) : 'no models (add one with `dialogos model add FILE`)\n');
    io.out(o.json ? json({ models: models.map((m) => ({ ...m, runtime: rt?.get(m.name)?.dialogos ?? null })) }) : text());
    return EXIT.ok;
  }));
  verb('add <file>', 'verify a GGUF (loads it in a separate process) and add it to the store')
    .option('--name <name>', 'the model name (default: the file name without .gguf)')
    .action((file: string, o: Opts & { name?: string }) => run('model add', o, async () => {
      const m = await storeOf(o).add(file, { ...(o.name ? { name: o.name } : {}), verify: workerVerifier() });
      io.out(o.json ? json(m) : `added ${m.name} (${m.architecture}, ${human(m.parameters)} parameters, sha256 ${m.sha256})\n`);
      return EXIT.ok;
    }));
  verb('rm <name>', 'remove an added model (shipped models are read-only)').action((name: string, o: Opts) => run('model rm', o, async () => {
    const m = await storeOf(o).remove(name);
    io.out(o.json ? json({ removed: m.name }) : `removed ${m.name}\n`);
    return EXIT.ok;
  }));
  verb('show <name>', 'one model: file, digest, architecture, parameters, context, runtime state').action((name: string, o: Opts) => run('model show', o, async () => {
    const m = await storeOf(o).get(name, true);
    const rt = (await runtimeEntries(o, io.env))?.get(name) ?? null;
    if (o.json) io.out(json({ ...m, capabilities: rt?.capabilities ?? null, runtime: rt?.dialogos ?? null }));
    else {
      io.out(showText(m));
      if (rt) io.out(runtimeText(rt));
    }
    return EXIT.ok;
  }));
  verb('bench <name>', 'prompt and generation tokens/s of a model in a worker process')
    .option('--prompt-tokens <n>', 'prompt length (default 512)', int)
    .option('--tokens <n>', 'tokens to generate (default 128)', int)
    .option('--threads <n>', 'CPU threads (default: all)', int)
    .action((name: string, o: Opts & { promptTokens?: number; tokens?: number; threads?: number }) => run('model bench', o, async () => {
      const m = await storeOf(o).get(name);
      const r = await benchModel(m.file, {
        name, ...(o.promptTokens ? { promptTokens: o.promptTokens } : {}),
        ...(o.tokens ? { genTokens: o.tokens } : {}), ...(o.threads ? { threads: o.threads } : {}),
      });
      io.out(o.json ? json({ model: name, ...r }) : benchText(name, r));
      return EXIT.ok;
    }));
  verb('endpoint', 'print the base URL of the running llm service').action((o: Opts) => run('model endpoint', o, async () => {
    const paths = llmPaths(o.state, io.env);
    const ep = await readEndpoint(paths);
    if (!ep) {
      if (o.json) io.out(json({ error: { name: 'NotRunning', message: `the llm service is not running (no live ${paths.endpointFile})` } }));
      io.err(`dialogos model endpoint: the llm service is not running (no live ${paths.endpointFile}); start it with \`dialogos llm serve\`\n`);
      return EXIT.unreachable;
    }
    io.out(o.json ? json(ep) : `${ep.baseUrl}\n`);
    return EXIT.ok;
  }));
  return model;
}
