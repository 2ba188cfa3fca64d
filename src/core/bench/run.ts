// bench/core: dialogosd in host mode against references measured in the same run.
//   start-to-ready: `dialogos host start` until the API answers with services started, against a bare
//     `node -e` process start (what any Node program pays)
//   API latency: GET /v1/status over the unix socket, N concurrent keep-alive clients for S seconds,
//     against a bare node:http server (its own process) answering the same bytes
//   idle RSS: dialogosd with its API and journal open and no services, against that bare server
//   --vm N: also N TCG boots of build/dialogos.img (dialogosd start-to-ready inside the machine, see vm.ts)
// usage: node dist/core/bench/run.js [--runs 5] [--clients 32] [--seconds 5] [--vm N] [--json FILE]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiCall } from '../api/index.js';
import { cli } from '../../testkit/core/hostkit.js';
import { load, pct } from './load.js';
import { vmStartToReady } from './vm.js';

const arg = (name: string, def: number): number => { const i = process.argv.indexOf(name); return i < 0 ? def : Number(process.argv[i + 1]); };
const argS = (name: string): string | undefined => { const i = process.argv.indexOf(name); return i < 0 ? undefined : process.argv[i + 1]; };
const runs = arg('--runs', 5);
const clients = arg('--clients', 32);
const seconds = arg('--seconds', 5);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rssKiB = async (pid: number): Promise<number> => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const f1 = (n: number): string => n.toFixed(n < 10 ? 2 : 1);

async function startToReady(): Promise<{ dialogosd: number[]; node: number[] }> {
  const d: number[] = [];
  const n: number[] = [];
  for (let k = 0; k < runs; k++) {
    let t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    n.push(performance.now() - t);
    const state = await mkdtemp(join(tmpdir(), 'dlgb-'));
    t = performance.now();
    const r = await cli(['host', 'start', '--state', state]);
    d.push(performance.now() - t);
    if (r.code !== 0) throw new Error(`host start failed: ${r.stderr}`);
    await cli(['host', 'stop', '--state', state]);
    await rm(state, { recursive: true, force: true });
  }
  return { dialogosd: d, node: n };
}

const BARE = `const http=require('node:http');const fs=require('node:fs');const body=fs.readFileSync(process.argv[1]);
http.createServer((q,s)=>{s.writeHead(200,{'content-type':'application/json','content-length':body.length});s.end(body)}).listen(process.argv[2],()=>console.log('up'))`;

async function main(): Promise<void> {
  const out: Record<string, unknown> = { host: process.version, clients, seconds, runs };
  const s = await startToReady();
  out.startToReady = { dialogosdMs: median(s.dialogosd), nodeStartMs: median(s.node), ratio: median(s.dialogosd) / median(s.node) };
  console.log(`start-to-ready (host mode, median of ${runs}): dialogos host start ${f1(median(s.dialogosd))} ms; bare node start ${f1(median(s.node))} ms; ratio ${f1(median(s.dialogosd) / median(s.node))}x`);

  const state = await mkdtemp(join(tmpdir(), 'dlgb-'));
  const r = await cli(['host', 'start', '--state', state]);
  if (r.code !== 0) throw new Error(r.stderr);
  const sock = join(state, 'run', 'api.sock');
  const pid = Number(await readFile(join(state, 'run', 'dialogosd.pid'), 'utf8'));
  await sleep(2000);
  const idle = await rssKiB(pid);
  const payload = JSON.stringify(await apiCall({ socketPath: sock }, 'GET', '/v1/status'));
  await writeFile(join(state, 'payload.json'), payload);
  const bareSock = join(state, 'bare.sock');
  const bare = spawn(process.execPath, ['-e', BARE, join(state, 'payload.json'), bareSock], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((res) => bare.stdout.once('data', () => res()));
  await sleep(1000);
  const bareIdle = await rssKiB(bare.pid!);
  out.idleRss = { dialogosdKiB: idle, bareHttpKiB: bareIdle, ratio: idle / bareIdle };
  console.log(`idle RSS: dialogosd ${(idle / 1024).toFixed(1)} MiB; bare node:http ${(bareIdle / 1024).toFixed(1)} MiB; ratio ${f1(idle / bareIdle)}x`);

  const rows: Record<string, { p50: number; p99: number; rps: number; errors: number }> = {};
  // Warm both, then alternate so that load on the shared host hits both alike.
  await load(sock, '/v1/status', 4, 500);
  await load(bareSock, '/v1/status', 4, 500);
  for (const [name, path] of [['bare', bareSock], ['dialogosd', sock]] as const) {
    const x = await load(path, '/v1/status', clients, seconds * 1000);
    rows[name] = { p50: pct(x.latencies, 50), p99: pct(x.latencies, 99), rps: x.latencies.length / x.seconds, errors: x.errors };
  }
  const a = rows.dialogosd!;
  const b = rows.bare!;
  out.apiLatency = { payloadBytes: payload.length, dialogosd: a, bare: b, ratioP50: a.p50 / b.p50, ratioP99: a.p99 / b.p99, ratioRps: a.rps / b.rps };
  console.log(`GET /v1/status, ${clients} clients x ${seconds} s, ${payload.length}-byte answer:`);
  console.log(`  dialogosd   p50 ${f1(a.p50)} ms  p99 ${f1(a.p99)} ms  ${Math.round(a.rps)} req/s  errors ${a.errors}`);
  console.log(`  bare http   p50 ${f1(b.p50)} ms  p99 ${f1(b.p99)} ms  ${Math.round(b.rps)} req/s  errors ${b.errors}`);
  console.log(`  ratio       p50 ${f1(a.p50 / b.p50)}x  p99 ${f1(a.p99 / b.p99)}x  throughput ${f1(a.rps / b.rps)}x`);
  bare.kill();
  await cli(['host', 'stop', '--state', state]);
  await rm(state, { recursive: true, force: true });
  const vmRuns = arg('--vm', 0);
  if (vmRuns > 0) {
    const v = await vmStartToReady(vmRuns);
    const chain = median(v.map((x) => x.bootChainMs));
    const own = median(v.map((x) => x.dialogosdToReadyMs));
    const call = median(v.map((x) => x.statusCallMs));
    out.vm = { runs: v, bootChainMs: chain, dialogosdToReadyMs: own, statusCallMs: call, ratio: own / chain };
    console.log(`VM (TCG, median of ${vmRuns}): boot chain to dialogosd ${f1(chain)} ms; dialogosd start-to-ready ${f1(own)} ms (ratio ${f1(own / chain)}x the chain); \`dialogos status\` from the shell ${f1(call)} ms`);
  }
  const file = argS('--json');
  if (file) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
