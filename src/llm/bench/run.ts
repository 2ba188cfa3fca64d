// bench/llm: the llm service through its full HTTP path (a `dialogos llm serve` child, its worker, SSE)
// against node-llama-cpp in-process on the same GGUF in the same run; TTFT; aggregate throughput for 1, 4
// and 16 concurrent streams; RSS of service and worker. The model is random weights written by the
// testkit (~15 M parameters, Q8_0): speed depends on shape and type, not on what the weights say.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { benchPrompt } from './model-bench.js';
import { inProcessSpeeds, type Speed } from './inprocess.js';
import { tinyParamCount, writeTinyModel, type TinyModelOptions } from '../../testkit/llm/tiny-model.js';

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
const arg = (name: string, def: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1]! : def; };
const threads = Number(arg('--threads', process.env.BENCH_THREADS ?? '1'));
const rounds = Number(arg('--rounds', '3'));
const genTokens = Number(arg('--tokens', '256'));
const jsonOut = arg('--json', '');
const SHAPE: TinyModelOptions = { layers: 8, embd: 384, ff: 1024, heads: 6, contextLength: 2048, type: 'q8_0', seed: 7 };
const CTX = 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// utime + stime of a process in seconds (clock ticks of 10 ms).
const cpuOf = async (pid: number) => { const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
const rssOf = async (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

interface StreamResult { t0: number; first: number; end: number; promptTokens: number; completionTokens: number }

async function stream(base: string, body: Record<string, unknown>): Promise<StreamResult> {
  const t0 = performance.now();
  const payload = JSON.stringify({ model: 'bench', temperature: 0, stream: true, stream_options: { include_usage: true }, ...body });
  const res = await fetch(`${base}/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
  if (!res.ok || !res.body) throw new Error(`bench request failed: ${res.status} ${await res.text()}`);
  let first = 0;
  let usage = { prompt_tokens: 0, completion_tokens: 0 };
  let buf = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += Buffer.from(chunk).toString('utf8');
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const ev = buf.slice(0, i).replace(/^data: /, '');
      buf = buf.slice(i + 2);
      if (ev === '[DONE]') continue;
      const v = JSON.parse(ev) as { choices: { text: string }[]; usage?: typeof usage };
      if (v.choices[0]?.text && !first) first = performance.now();
      if (v.usage) usage = v.usage;
    }
  }
  return { t0, first: first || performance.now(), end: performance.now(), promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
}

/** An `llm serve` instance offering the model from `dir`/shipped, warmed with one request. */
async function startService(dir: string, sequences: number) {
  const argv = [
    MAIN, 'llm', 'serve', '--state', join(dir, `state${sequences}`), '--threads', String(threads), '--context-size', String(CTX),
    '--sequences', String(sequences), '--shipped', join(dir, 'shipped'),
  ];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d; const m = /^(http\S+)\n/m.exec(out); if (m) resolve(m[1]!); });
    child.once('exit', (c) => reject(new Error(`llm serve exited with ${c}`)));
  });
  await stream(base, { prompt: 'warm', max_tokens: 4 });
  return { base, child, stop: async () => { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); } };
}

interface Measured {
  inproc: Speed[]; http: Speed[]; conc: Record<string, number>; rss: { service: number; worker: number };
  svcCpu: number; httpTokens: number; size: number;
}

function resultOf({ inproc, http, conc, rss, svcCpu, httpTokens, size }: Measured) {
  const m = (xs: Speed[], k: keyof Speed) => median(xs.map((x) => x[k]));
  const result = {
    model: { parameters: tinyParamCount(SHAPE), type: 'Q8_0', bytes: size, contextSize: CTX, weights: 'random (testkit)' }, threads, rounds,
    inProcess: { promptTokens: m(inproc, 'promptTokens'), promptTps: m(inproc, 'promptTps'), genTps: m(inproc, 'genTps'), ttftMs: m(inproc, 'ttftMs') },
    http: { promptTokens: m(http, 'promptTokens'), promptTps: m(http, 'promptTps'), genTps: m(http, 'genTps'), ttftMs: m(http, 'ttftMs') },
    ratio: { prompt: m(http, 'promptTps') / m(inproc, 'promptTps'), generation: m(http, 'genTps') / m(inproc, 'genTps') },
    perRound: { inProcess: inproc, http },
    aggregateTps: conc, rssBytes: rss,
    // CPU the service process (HTTP, JSON, SSE, IPC) spent per generated token: the overhead the HTTP path
    // adds on top of the worker's llama.cpp work, independent of how busy the machine is.
    serviceCpuUsPerToken: (svcCpu / Math.max(1, httpTokens)) * 1e6,
  };
  return result;
}

function printResult(result: ReturnType<typeof resultOf>, size: number): void {
  const f = (x: number) => x.toFixed(0);
  const model = `random-weights llama, ${(result.model.parameters / 1e6).toFixed(1)} M parameters, Q8_0, ${(size / 1048576).toFixed(1)} MiB`;
  process.stdout.write(`model: ${model}; ${threads} thread(s), context ${CTX}, median of ${rounds}\n`);
  process.stdout.write(`                 prompt tok/s   gen tok/s   TTFT ms\n`);
  process.stdout.write(`in-process       ${f(result.inProcess.promptTps).padStart(12)}   ${f(result.inProcess.genTps).padStart(9)}   ${result.inProcess.ttftMs.toFixed(1).padStart(7)}\n`);
  process.stdout.write(`HTTP (service)   ${f(result.http.promptTps).padStart(12)}   ${f(result.http.genTps).padStart(9)}   ${result.http.ttftMs.toFixed(1).padStart(7)}\n`);
  process.stdout.write(`ratio HTTP/in-process: prompt ${result.ratio.prompt.toFixed(3)}, generation ${result.ratio.generation.toFixed(3)}\n`);
  process.stdout.write(`service CPU per generated token: ${result.serviceCpuUsPerToken.toFixed(0)} µs (the in-process generation takes ${(1e6 / result.inProcess.genTps).toFixed(0)} µs per token)\n`);
  process.stdout.write(`aggregate generation tok/s: 1 stream ${f(result.aggregateTps[1]!)}, 4 streams ${f(result.aggregateTps[4]!)}, 16 streams ${f(result.aggregateTps[16]!)}\n`);
  process.stdout.write(`RSS (1-sequence instance, after the runs): service ${(result.rssBytes.service / 1048576).toFixed(0)} MiB, worker ${(result.rssBytes.worker / 1048576).toFixed(0)} MiB\n`);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dialogos-llmbench-'));
  // The model is offered as a shipped (read-only) model of both service instances.
  const file = join(dir, 'shipped', 'bench.gguf');
  await mkdir(dirname(file), { recursive: true });
  await writeTinyModel(file, SHAPE);
  const size = (await readFile(file)).length;
  const prompt = benchPrompt(480);
  const shortPrompt = 'function add(a, b) {';
  // Same settings as the in-process baseline (one sequence); a second instance with 16 sequences serves
  // the concurrency runs (more sequences = a bigger KV cache, which costs single-stream speed).
  const serve = (sequences: number) => startService(dir, sequences);
  let svc = await serve(1);
  try {
    let base = svc.base;
    const inproc: Speed[] = [];
    const http: Speed[] = [];
    let svcCpu = 0;
    let httpTokens = 0;
    for (let r = 0; r < rounds; r++) {
      // Alternate so that both sides see the same noise from the shared machine.
      const [ip] = await inProcessSpeeds(file, { threads, contextSize: CTX, prompt, shortPrompt, genTokens, rounds: 1 });
      inproc.push(ip!);
      const p = await stream(base, { prompt, max_tokens: 1 });
      const s = await stream(base, { prompt: shortPrompt, max_tokens: 1 });
      const c0 = await cpuOf(svc.child.pid!);
      const g = await stream(base, { prompt: shortPrompt, max_tokens: genTokens });
      svcCpu += (await cpuOf(svc.child.pid!)) - c0;
      httpTokens += g.completionTokens;
      const promptTps = p.promptTokens / ((p.end - p.t0) / 1000);
      http.push({ promptTokens: p.promptTokens, promptTps, genTokens: g.completionTokens, genTps: (g.completionTokens - 1) / ((g.end - g.first) / 1000), ttftMs: s.first - s.t0 });
    }
    const models = (await (await fetch(`${base}/models`)).json()) as { data: { dialogos: { pid: number } }[] };
    const rss = { service: await rssOf(svc.child.pid!), worker: await rssOf(models.data[0]!.dialogos.pid) };
    await svc.stop();
    svc = await serve(16);
    base = svc.base;
    const conc: Record<string, number> = {};
    for (const n of [1, 4, 16]) {
      const t0 = performance.now();
      const rs = await Promise.all(Array.from({ length: n }, (_, i) => stream(base, { prompt: `${shortPrompt} // ${i}`, max_tokens: 128, user: `c${i}` })));
      conc[n] = rs.reduce((a, r) => a + r.completionTokens, 0) / ((performance.now() - t0) / 1000);
    }
    const result = resultOf({ inproc, http, conc, rss, svcCpu, httpTokens, size });
    printResult(result, size);
    if (jsonOut) { await mkdir(dirname(jsonOut), { recursive: true }); await writeFile(jsonOut, `${JSON.stringify(result, null, 2)}\n`); }
  } finally {
    await svc.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => { process.stderr.write(`bench/llm: ${err.stack ?? err.message}\n`); process.exitCode = 1; });
