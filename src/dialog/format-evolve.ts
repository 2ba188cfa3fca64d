// How the dialog quotes the self-improvement loop's archive: a run with its progress figures, the runs and
// candidates as lists, and why a candidate was decided as it was (the stage that decided it, its figures).
import type { CandidateRecord, RunRecord } from '../evolve/index.js';
import type { EvolveRunView } from './evolve-types.js';
import type { Formatted } from './format.js';

const plain = (text: string): Formatted => ({ text, citations: [] });
const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const minutes = (ms: number): string => (ms / 60_000).toFixed(1);

function budgetUse(r: RunRecord): string {
  const parts: string[] = [];
  if (r.budget.evaluations !== null) parts.push(`${r.counts.evaluated} of ${r.budget.evaluations} evaluations`);
  if (r.budget.minutes !== null) parts.push(`${minutes(r.elapsedMs)} of ${r.budget.minutes} minutes`);
  return parts.join(', ');
}

/** The state a person cares about first: running (and by whom), interrupted, or how it ended. */
function stateOf(v: EvolveRunView): string {
  const r = v.run;
  if (r.status !== 'running') return `${r.status}${r.reason ? `: ${r.reason}` : ''}`;
  return v.holder ? `running (process ${v.holder})` : 'interrupted: no process writes it (resume with dialogos evolve run --resume)';
}

/** One run: its state, target, the budget spent, counts per stage, the best candidate, and the progress line. */
export function fmtEvolveRun(v: EvolveRunView): Formatted {
  const r = v.run, c = r.counts;
  const stages = Object.entries(c.stages).map(([s, n]) => `${s} ${n!.passed}/${n!.run}`).join(', ');
  return plain([
    `Evolve run ${r.id}: ${stateOf(v)}`,
    `  target     ${r.spec}${r.target.kind === 'tests' ? ` (${r.target.failToPass.length} failing tests to fix)` : ` (benchmark ${r.target.benchmark})`}`,
    `  budget     ${budgetUse(r)}`,
    `  candidates ${c.proposed} proposed, ${c.evaluated} evaluated, ${c.accepted} accepted, ${c.duplicates} duplicates, ${c.malformed} malformed, ${c.errors} errors`,
    `  stages     ${stages || 'none run yet'} (passed/run)`,
    `  best       ${r.best ? `${r.best.id} with fitness ${r.best.fitness}` : 'none accepted yet'}`,
    `  progress   ${v.progress}`,
  ].join('\n'));
}

export function fmtEvolveRuns(runs: RunRecord[]): Formatted {
  if (!runs.length) return plain('The evolve archive has no run yet. Start one with: fix the failing test src/x/y.test.ts');
  return plain([`${runs.length} evolve run${runs.length === 1 ? '' : 's'}, oldest first:`,
    ...runs.map((r) => `  ${r.id}  ${r.status.padEnd(9)} ${r.spec}  ${r.counts.evaluated} evaluated, ${r.counts.accepted} accepted${r.best ? `, best ${r.best.id}` : ''}`),
  ].join('\n'));
}

export function fmtEvolveCandidates(recs: CandidateRecord[], limit: number): Formatted {
  if (!recs.length) return plain('No candidate matches in the evolve archive.');
  const shown = recs.slice(-limit);
  const head = recs.length > shown.length ? `${recs.length} candidates; the last ${shown.length}:` : `${recs.length} candidate${recs.length === 1 ? '' : 's'}:`;
  return plain([head, ...shown.map((r) =>
    `  ${r.id}  ${r.decision.padEnd(8)} fitness ${String(r.fitness).padEnd(5)} ${cut(`${r.provenance.proposer}/${r.provenance.operator}`, 28).padEnd(28)} ${cut(r.reason, 70)}`)].join('\n'));
}

/** The stage that decided a rejection: the first that failed. */
const deciding = (r: CandidateRecord) => r.stages.find((s) => !s.pass);

function verdict(r: CandidateRecord): string {
  const bad = deciding(r);
  if (r.decision === 'accepted') return `accepted: it passed all ${r.stages.length} stages it went through (fitness ${r.fitness})`;
  if (r.decision === 'error') return `not judged (error): ${r.reason}`;
  if (!bad) return `rejected before any stage failed: ${r.reason}`;
  const n = r.stages.indexOf(bad) + 1;
  return `rejected by the ${bad.stage} stage (stage ${n} of the ${r.stages.length} it reached): ${bad.detail}`;
}

/** Why a candidate was decided so: the deciding stage first, then every stage with its figures, then the record. */
export function fmtEvolveWhy(r: CandidateRecord): Formatted {
  const lines = [`Candidate ${r.id} was ${verdict(r)}`];
  lines.push(`  what       ${r.description || '(no description)'} by ${r.provenance.proposer}/${r.provenance.operator}; parent ${r.parent}; run ${r.run}`);
  lines.push(`  files      ${r.changes.map((c) => c.path).join(', ') || 'none'}`);
  for (const s of r.stages) {
    lines.push(`  ${s.pass ? 'pass' : 'FAIL'}       ${s.stage}: ${s.detail} (${s.wallMs} ms wall, ${s.cpuMs} ms CPU)`);
    for (const v of s.violations ?? []) lines.push(`             ${v.rule} at ${v.path}${v.line ? `:${v.line}` : ''}: ${v.detail}${v.approvable ? ' (the owner may approve)' : ''}`);
    for (const t of s.failed ?? []) lines.push(`             failed test: ${t.file} > ${t.name}`);
  }
  if (!r.stages.length) lines.push('  no stage ran');
  for (const l of r.logs) lines.push(`  log        ${l}`);
  lines.push(`  decision   ${r.decision} (fitness ${r.fitness}, ${r.wallMs} ms): ${r.reason}`);
  return plain(lines.join('\n'));
}
