// bench/dialog: both question sets (the first, which names symbols, and the held-out plain one) in retrieval
// mode against a real host dialogosd, with the code index and with the grep fallback: top-1, top-3,
// accuracy, the rate of confident wrong answers, and p50/p99 latency per question.
// usage: node dist/dialog/eval/bench/run.js [--source DIR] [--set questions|plain] [--tools index|grep]
//          [--json FILE] [--failures] [--keep-questions] [--as-search]
// The retrieval answers from a copy of the tree without the plain set (src/dialog/eval/plain-questions.json): it
// holds the answers, and a held-out set must stay out of what the retrieval reads (--keep-questions: do not hide).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildIndex } from '../../../mind/index.js';
import { startInstance, type Instance } from '../../../testkit/core/hostkit.js';
import { grepCodeTools } from '../../code-grep.js';
import { mindCodeTools } from '../../code-mind.js';
import { createDialog } from '../../dialog.js';
import { apiOsTools } from '../../os-api.js';
import type { CodeTools, OsTools } from '../../types.js';
import { QUESTION_SETS, loadQuestions, runEval, type EvalReport, type QuestionSet } from '../run.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]!; };
const repo = resolve(fileURLToPath(new URL('../../../../', import.meta.url)));
const source = resolve(opt('--source', repo));
const sets = (opt('--set', '') ? [opt('--set', '')] : Object.keys(QUESTION_SETS)) as QuestionSet[];
const toolNames = opt('--tools', '') ? [opt('--tools', '')] : ['index', 'grep'];
const jsonOut = opt('--json', '');
/** A copy of `root` without build outputs and without the held-out set, for the code tools. */
function heldOutTree(root: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dialog-bench-'));
  const skip = /^(node_modules|dist|build|\.git|\.dialogos)(\/|$)|^src\/dialog\/eval\/plain-questions\.json$/;
  cpSync(root, dir, { recursive: true, filter: (p) => !skip.test(relative(root, p)) });
  return dir;
}
const pc = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** One row of the table. */
function row(set: string, tools: string, r: EvalReport): string {
  const n = (k: number): string => `${Math.round(k * r.asked)}/${r.asked}`;
  return [set.padEnd(10), tools.padEnd(6), `${n(r.top1)} ${pc(r.top1)}`.padEnd(14), `${n(r.top3)} ${pc(r.top3)}`.padEnd(14),
    `${r.passed}/${r.asked} ${pc(r.accuracy)}`.padEnd(14), `${r.confidentWrong}/${r.asked} ${pc(r.confidentWrongRate)}`.padEnd(16),
    `${r.latencyMs.p50.toFixed(1)}`.padStart(7), `${r.latencyMs.p99.toFixed(1)}`.padStart(8)].join(' ');
}

/** The plain set's two halves: questions about code (top-1, top-3) and vague or out-of-scope ones (answered honestly). */
function halves(r: EvalReport): string {
  const asked = r.results.filter((x) => x.ok !== null);
  const code = asked.filter((x) => x.kind === 'inside');
  const vague = asked.filter((x) => x.kind === 'honest');
  const f = (k: number, n: number): string => `${k}/${n} ${pc(n ? k / n : 0)}`;
  return `code questions: top-1 ${f(code.filter((x) => x.top1).length, code.length)}, top-3 ${f(code.filter((x) => x.top3).length, code.length)}, `
    + `confidently wrong ${f(code.filter((x) => x.confidentWrong).length, code.length)}; `
    + `vague or out of scope: honest ${f(vague.filter((x) => x.ok).length, vague.length)}, confidently wrong ${f(vague.filter((x) => x.confidentWrong).length, vague.length)}`;
}

/** Top-3 per subsystem of a set whose questions carry one. */
function bySubsystem(r: EvalReport): string {
  const groups = new Map<string, { n: number; top3: number; wrong: number }>();
  for (const x of r.results) {
    if (!x.subsystem || x.ok === null) continue;
    const g = groups.get(x.subsystem) ?? { n: 0, top3: 0, wrong: 0 };
    g.n++; g.top3 += x.top3 ? 1 : 0; g.wrong += x.confidentWrong ? 1 : 0;
    groups.set(x.subsystem, g);
  }
  return [...groups].map(([s, g]) => `${s} ${g.top3}/${g.n}${g.wrong ? ` (${g.wrong} confidently wrong)` : ''}`).join(', ');
}

const HEADER = [
  'set'.padEnd(10), 'tools'.padEnd(6), 'top-1'.padEnd(14), 'top-3'.padEnd(14), 'accuracy'.padEnd(14), 'confident-wrong'.padEnd(16),
  'p50 ms'.padStart(7), 'p99 ms'.padStart(8),
].join(' ');

/** A host dialogosd with the units of specs.json applied and settled. */
async function instance(): Promise<Instance> {
  const inst = await startInstance();
  const r = await inst.apply(JSON.parse(readFileSync(resolve(source, 'src/dialog/eval/specs.json'), 'utf8')) as unknown[]);
  if (r.code !== 0) {
    await inst.dispose();
    throw new Error(`Cannot apply src/dialog/eval/specs.json: ${r.stderr}`);
  }
  await inst.waitUnit('evalbroken', (s) => s.state === 'failed');
  await inst.waitUnit('evalweb', (s) => s.state === 'running');
  return inst;
}

/** Every set with one kind of code tools over `tree`; the reports by `set/tools`. */
async function runTools(tools: string, tree: string, os: OsTools, out: Record<string, EvalReport>): Promise<void> {
  const t0 = performance.now();
  const code: CodeTools = tools === 'index' ? mindCodeTools(await buildIndex(tree)) : grepCodeTools(tree);
  const ready = performance.now() - t0;
  for (const set of sets) {
    const questions = await loadQuestions(source, set);
    // --as-search: what today's `search WORDS` form finds for the plain words (a reference, not the dialog's own answer).
    const asked = set === 'plain' && args.includes('--as-search') ? questions.map((q) => ({ ...q, q: `search ${q.q}` })) : questions;
    const rep = await runEval({ root: source, os, questions: asked, make: () => createDialog({ code, os, model: null }) });
    out[`${set}/${tools}`] = rep;
    console.log(row(set, tools, rep));
    if (set === 'plain') console.log(`  ${halves(rep)}\n  top-3 by subsystem: ${bySubsystem(rep)}`);
    if (args.includes('--failures')) for (const x of rep.results.filter((y) => y.ok === false)) console.log(`  FAIL ${x.q}  (${x.why})`);
  }
  console.log(`  (${tools === 'index' ? 'code index built' : 'grep tools made'} in ${ready.toFixed(0)} ms, not counted in latency)`);
}

async function main(): Promise<void> {
  const inst = await instance();
  const out: Record<string, EvalReport> = {};
  const tree = args.includes('--keep-questions') ? source : heldOutTree(source);
  try {
    const os = apiOsTools({ client: { socketPath: inst.socket, timeoutMs: 60_000 }, cli: [], test: null });
    const reads = tree === source ? 'it as is' : `${tree}, a copy without the plain set`;
    console.log(`source ${source} (the code tools read ${reads}), retrieval mode, host dialogosd ${inst.state}`);
    console.log(`${new Date().toISOString()}, node ${process.version}\n${HEADER}`);
    for (const tools of toolNames) await runTools(tools, tree, os, out);
  } finally {
    await inst.dispose();
    if (tree !== source) rmSync(tree, { recursive: true, force: true });
  }
  if (jsonOut) {
    mkdirSync(dirname(resolve(jsonOut)), { recursive: true });
    writeFileSync(jsonOut, `${JSON.stringify(out, null, 1)}\n`);
  }
}

await main();
