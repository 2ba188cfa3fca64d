// bench/dialog: retrieval mode on this project's source, with the code index and with the grep fallback.
//   accuracy   the plain DEV set (src/dialog/eval/plain-dev.json, or --set FILE): top-1, top-3, vague
//              questions kept unsure, confident wrongs; and the questions.json code questions (fixed forms and the 5 free-form) of questions.json
//   latency    p50/p99 of one plain question (warm: the catalog built once, as in a console session) against
//              the old matcher answering the fixed forms, in the same run; the one-off catalog build time
// usage: node dist/dialog/bench/retrieval.js [--index FILE] [--set FILE] [--reps N] [--json FILE]
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildIndex, createCodeIndex, loadIndex, saveIndex, type CodeIndex } from '../../mind/index.js';
import { memoryOs } from '../../testkit/dialog/memory-os.js';
import { grepCodeTools } from '../code-grep.js';
import { mindCodeTools } from '../code-mind.js';
import { createDialog } from '../dialog.js';
import { loadPlainQuestions, runPlainSet, type RangesOf } from '../eval/dev-check.js';
import { loadQuestions, runEval } from '../eval/run.js';
import { plainIndexOf } from '../plain-answer.js';
import type { CodeTools } from '../types.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]!; };
const root = fileURLToPath(new URL('../../../', import.meta.url));
const reps = Number(opt('--reps', '5'));
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
const ms = (x: number) => Math.round(x * 10) / 10;

async function openMind(): Promise<CodeIndex> {
  const file = opt('--index', '');
  const saved = file ? loadIndex(file) : undefined;
  if (saved) return createCodeIndex({ ...saved, root });
  const built = await buildIndex(root);
  if (file) saveIndex(built, file);
  return built;
}

async function timeAll(code: CodeTools, qs: string[]): Promise<number[]> {
  const os = memoryOs();
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    for (const q of qs) {
      const t = performance.now();
      await createDialog({ code, os, model: null }).handle(q);
      out.push(performance.now() - t);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const mind = await openMind();
  const ranges: RangesOf = async (s) => mind.definitions(s, { limit: 20 }).filter((d) => d.name === s).map((d) => ({ path: d.path, line: d.line, endLine: d.endLine }));
  const plain = await loadPlainQuestions(root, opt('--set', 'src/dialog/eval/plain-dev.json'));
  const fixed = (await loadQuestions(root)).filter((q) => ['defines', 'callers', 'module', 'tests', 'clarify', 'mentions', 'unknown'].includes(q.check.kind));
  const report: Record<string, unknown> = {};
  for (const [label, code] of [['index', mindCodeTools(mind)], ['grep', grepCodeTools(root)]] as const) {
    const t0 = performance.now();
    await plainIndexOf(code);
    const buildMs = performance.now() - t0;
    const r = await runPlainSet({ questions: plain, make: () => createDialog({ code, os: memoryOs(), model: null }), ranges });
    const old = await runEval({ root, os: null, questions: fixed, make: () => createDialog({ code, os: memoryOs(), model: null }) });
    const tPlain = await timeAll(code, plain.map((q) => q.q));
    const tOld = await timeAll(code, fixed.map((q) => q.q));
    const p = { p50: ms(pct(tPlain, 50)), p99: ms(pct(tPlain, 99)) };
    const o = { p50: ms(pct(tOld, 50)), p99: ms(pct(tOld, 99)) };
    console.log(`${label}: plain set top-1 ${r.top1}/${r.total}, top-3 ${r.top3}/${r.total}; vague kept unsure ${r.vagueOk}/${r.vague}; sure ${r.sure}, confident wrong ${r.confidentWrong}`);
    console.log(`${label}: questions.json code questions (fixed forms and the 5 free-form) ${old.passed}/${old.asked}`);
    console.log(`${label}: catalog+index build ${ms(buildMs)} ms (once per session)`);
    console.log(`${label}: plain question  p50 ${p.p50} ms  p99 ${p.p99} ms  (n=${tPlain.length})`);
    console.log(`${label}: old matcher     p50 ${o.p50} ms  p99 ${o.p99} ms  (n=${tOld.length}, fixed forms)`);
    console.log(`${label}: ratio plain/old p50 ${ms(p.p50 / Math.max(0.01, o.p50))}x  p99 ${ms(p.p99 / Math.max(0.01, o.p99))}x`);
    for (const x of r.results.filter((y) => !y.ok || y.confidentWrong)) console.log(`  miss${x.confidentWrong ? ' (sure)' : ''}: ${x.q} -> ${x.cited.join(', ') || 'none'}`);
    for (const x of old.results.filter((y) => y.ok === false)) console.log(`  fixed miss: ${x.q}: ${x.why}`);
    report[label] = { plain: { ...r, results: undefined }, fixed: { passed: old.passed, asked: old.asked }, buildMs: ms(buildMs), latency: { plain: p, old: o } };
  }
  const json = opt('--json', '');
  if (json) writeFileSync(json, `${JSON.stringify(report, null, 1)}\n`);
}

await main();
