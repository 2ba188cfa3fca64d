// One-shot `dialogos ask` latency on plain questions, with the retrieval catalog saved beside the code index
// (src/dialog/plain-cache.ts) against the same without it (the catalog rebuilt in each process, as before),
// and against `dialogos help` (the CLI's own start) as the reference, all interleaved in the same run.
//   process    wall time of a whole `node dist/cli/main.js ask --retrieval` process per question
//   in-process the answer alone, as a new process or a new console session pays it after the CLI has loaded:
//              fresh code tools (codeToolsFor) and dialog, then dialog.handle(question)
// Questions come from the plain DEV set (src/dialog/eval/plain-dev.json), never the held-out set.
// usage: node bench/dialog/ask-latency.mjs [--reps N] [--questions N] [--json FILE]   (after tsc; see bench/dialog/README)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]; };
const reps = Number(opt('--reps', '3'));
const nq = Number(opt('--questions', '8'));
const { codeToolsFor } = await import(join(root, 'dist/cli/chat-code.js'));
const { createDialog } = await import(join(root, 'dist/dialog/index.js'));

const state = mkdtempSync(join(tmpdir(), 'dialogos-ask-bench-'));
const mindDir = join(state, 'mind');
const dev = JSON.parse(readFileSync(join(root, 'src/dialog/eval/plain-dev.json'), 'utf8')).questions;
const questions = dev.filter((q) => q.check.kind === 'inside').slice(0, nq).map((q) => q.q);
const cli = join(root, 'dist/cli/main.js');
const env = { ...process.env, DIALOGOS_STATE: state };
const dropCache = () => { for (const f of readdirSync(mindDir)) if (f.startsWith('plain-')) rmSync(join(mindDir, f)); };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const ms = (x) => Math.round(x * 10) / 10;
const timeProcess = (argv) => { const t = performance.now(); execFileSync(process.execPath, [cli, ...argv], { env, stdio: 'ignore' }); return performance.now() - t; };
const silent = { onDelta: undefined, onProgress: () => {} };

async function answerInProcess(q) {
  const t = performance.now();
  const code = codeToolsFor(root, state, env, () => {});
  const a = await createDialog({ code, os: null, model: null }).handle(q, silent);
  const took = performance.now() - t;
  if (!a.citations.length) throw new Error(`The bench question "${q}" got no citation: ${a.answer.slice(0, 200)}`);
  return took;
}

// The code index and the saved catalog, built once and not counted.
const t0 = performance.now();
timeProcess(['ask', '--retrieval', questions[0]]);
const buildMs = performance.now() - t0;

const runs = { help: [], askCached: [], askRebuilt: [], inCached: [], inRebuilt: [] };
for (let r = 0; r < reps; r++) {
  for (const q of questions) {
    // ABC order alternates per question so slow periods of a shared host fall on every variant.
    const order = (r + questions.indexOf(q)) % 2 ? ['help', 'cached', 'rebuilt'] : ['rebuilt', 'cached', 'help'];
    for (const v of order) {
      if (v === 'help') runs.help.push(timeProcess(['help']));
      if (v === 'cached') { runs.askCached.push(timeProcess(['ask', '--retrieval', q])); runs.inCached.push(await answerInProcess(q)); }
      if (v === 'rebuilt') {
        dropCache();
        runs.askRebuilt.push(timeProcess(['ask', '--retrieval', q]));
        dropCache();
        runs.inRebuilt.push(await answerInProcess(q)); // rebuilds and saves it again for the next cached run
      }
    }
  }
}
rmSync(state, { recursive: true, force: true });

const stat = (xs) => ({ n: xs.length, p50: ms(pct(xs, 50)), p99: ms(pct(xs, 99)) });
const report = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, stat(v)]));
const ratio = (a, b) => `p50 ${ms(report[a].p50 / report[b].p50)}x  p99 ${ms(report[a].p99 / report[b].p99)}x`;
const line = (label, k) => console.log(`${label.padEnd(46)} p50 ${String(report[k].p50).padStart(7)} ms  p99 ${String(report[k].p99).padStart(7)} ms  (n=${report[k].n})`);
console.log(`first ask (code index + saved catalog built, not counted): ${ms(buildMs)} ms; ${questions.length} dev questions x ${reps}`);
line('reference: dialogos help (CLI start)', 'help');
line('process: ask, catalog saved beside the index', 'askCached');
line('process: ask, catalog rebuilt (no cache)', 'askRebuilt');
line('in-process answer, catalog saved', 'inCached');
line('in-process answer, catalog rebuilt', 'inRebuilt');
console.log(`ratios: ask saved / help ${ratio('askCached', 'help')}; ask rebuilt / help ${ratio('askRebuilt', 'help')}`);
console.log(`ratios: saved / rebuilt, process ${ratio('askCached', 'askRebuilt')}; in-process ${ratio('inCached', 'inRebuilt')}`);
const json = opt('--json', '');
if (json) writeFileSync(json, `${JSON.stringify({ buildMs: ms(buildMs), questions, reps, ...report }, null, 1)}\n`);
