// bench/core: dialogosd in host mode against references measured in the same run.
//   start-to-ready: `dialogos host start` until the API answers with services started, against a bare
//     `node -e` process start (what any Node program pays); the two alternate A B B A
//   API latency: GET /v1/status over the unix socket, N concurrent keep-alive clients for S s per
//     measurement, against a bare node:http server (its own process, same server options) answering the
//     same bytes with the same headers; both up at once, measured in ABBA blocks (api.ts, abba.ts)
//   idle RSS: dialogosd with its API and journal open and no services, against that bare server
//   --control: also the bare server against an identical twin (the method's own noise; its ratio should hold 1)
//   --vm N: also N TCG boots of build/dialogos.img (dialogosd start-to-ready inside the machine, see vm.ts)
// usage: node dist/core/bench/run.js [--runs 6] [--blocks 6] [--clients 32] [--seconds 3] [--warm 4] [--control]
//          [--vm N] [--json FILE]
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cli } from '../../testkit/core/hostkit.js';
import { apiBench } from './api.js';
import { startBare } from './bare.js';
import { f1 } from './report.js';
import { abbaSchedule, median } from '../../std/index.js';
import { vmStartToReady } from './vm.js';

const arg = (name: string, def: number): number => { const i = process.argv.indexOf(name); return i < 0 ? def : Number(process.argv[i + 1]); };
const argS = (name: string): string | undefined => { const i = process.argv.indexOf(name); return i < 0 ? undefined : process.argv[i + 1]; };
const runs = arg('--runs', 6);
const blocks = arg('--blocks', 6);
const clients = arg('--clients', 32);
const seconds = arg('--seconds', 3);
const warmSeconds = arg('--warm', 4);
const control = process.argv.includes('--control');
const rssKiB = async (pid: number): Promise<number> => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

async function hostStartMs(): Promise<number> {
  const state = await mkdtemp(join(tmpdir(), 'dlgb-'));
  const t = performance.now();
  const r = await cli(['host', 'start', '--state', state]);
  const ms = performance.now() - t;
  if (r.code !== 0) throw new Error(`Cannot time "dialogos host start": it failed: ${r.stderr}`);
  await cli(['host', 'stop', '--state', state]);
  await rm(state, { recursive: true, force: true });
  return ms;
}

async function startToReady(): Promise<{ dialogosd: number[]; node: number[] }> {
  const d: number[] = [];
  const n: number[] = [];
  for (const { who } of abbaSchedule('dialogosd', 'node', Math.ceil(runs / 2))) {
    if (who === 'dialogosd') d.push(await hostStartMs());
    else { const t = performance.now(); spawnSync(process.execPath, ['-e', '0']); n.push(performance.now() - t); }
  }
  return { dialogosd: d, node: n };
}

async function idleRss(pid: number, dir: string): Promise<{ dialogosdKiB: number; bareHttpKiB: number; ratio: number }> {
  await writeFile(join(dir, 'idle.json'), '{}');
  const bare = await startBare(join(dir, 'idle.json'), join(dir, 'idle.sock'));
  await sleep(1000);
  const [idle, bareIdle] = [await rssKiB(pid), await rssKiB(bare.pid!)];
  bare.kill();
  const mib = (k: number): string => (k / 1024).toFixed(1);
  console.log(`idle RSS: dialogosd ${mib(idle)} MiB; bare node:http ${mib(bareIdle)} MiB; ratio ${f1(idle / bareIdle)}x`);
  return { dialogosdKiB: idle, bareHttpKiB: bareIdle, ratio: idle / bareIdle };
}

async function vmPart(out: Record<string, unknown>, vmRuns: number): Promise<void> {
  const v = await vmStartToReady(vmRuns);
  const chain = median(v.map((x) => x.bootChainMs));
  const own = median(v.map((x) => x.dialogosdToReadyMs));
  const call = median(v.map((x) => x.statusCallMs));
  out.vm = { runs: v, bootChainMs: chain, dialogosdToReadyMs: own, statusCallMs: call, ratio: own / chain };
  console.log(`VM (TCG, median of ${vmRuns}): boot chain to dialogosd ${f1(chain)} ms; dialogosd start-to-ready`
    + ` ${f1(own)} ms (ratio ${f1(own / chain)}x the chain); \`dialogos status\` from the shell ${f1(call)} ms`);
}

async function main(): Promise<void> {
  const out: Record<string, unknown> = { host: process.version, clients, seconds, blocks, runs, date: new Date().toISOString() };
  const s = await startToReady();
  const [d, n] = [median(s.dialogosd), median(s.node)];
  out.startToReady = { dialogosdMs: d, nodeStartMs: n, ratio: d / n };
  console.log(`start-to-ready (host mode, median of ${s.dialogosd.length}, alternating): dialogos host start ${f1(d)} ms;`
    + ` bare node start ${f1(n)} ms; ratio ${f1(d / n)}x`);

  const state = await mkdtemp(join(tmpdir(), 'dlgb-'));
  const r = await cli(['host', 'start', '--state', state]);
  if (r.code !== 0) throw new Error(`Cannot start the instance to measure: ${r.stderr}`);
  try {
    const pid = Number(await readFile(join(state, 'run', 'dialogosd.pid'), 'utf8'));
    await sleep(2000);
    out.idleRss = await idleRss(pid, state);
    out.apiLatency = await apiBench(join(state, 'run', 'api.sock'), state, { blocks, clients, seconds, warmSeconds, control });
  } finally {
    await cli(['host', 'stop', '--state', state]);
    await rm(state, { recursive: true, force: true });
  }
  const vmRuns = arg('--vm', 0);
  if (vmRuns > 0) await vmPart(out, vmRuns);
  const file = argS('--json');
  if (file) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
