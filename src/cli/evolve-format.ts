// How `dialogos evolve status|ls|show|why` print the archive's records for people (--json prints the
// records themselves).
import type { CandidateRecord, RunRecord } from '../evolve/index.js';
import { stageSummary } from '../evolve/index.js';

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const budgetText = (r: RunRecord) => [
  r.budget.evaluations === null ? null : `${r.budget.evaluations} evaluations`,
  r.budget.minutes === null ? null : `${r.budget.minutes} min`,
].filter(Boolean).join(', ');

export function fmtRun(r: RunRecord, holder: number | null = null): string {
  const c = r.counts;
  const state = r.status === 'running' ? (holder ? `running (process ${holder})` : 'interrupted (resume with --resume)') : r.status;
  return [
    `run ${r.id}: ${state}${r.reason ? `: ${r.reason}` : ''}`,
    `  target   ${r.spec} (${r.target.kind === 'tests' ? `${r.target.failToPass.length} fail-to-pass tests` : `benchmark ${r.target.benchmark}`})`,
    `  budget   ${budgetText(r)}; used ${c.evaluated} evaluations, ${(r.elapsedMs / 60_000).toFixed(1)} min`,
    `  counts   ${c.proposed} proposed, ${c.duplicates} duplicates, ${c.malformed} malformed, ${c.evaluated} recorded, ${c.accepted} accepted, ${c.errors} errors`,
    `  stages   ${stageSummary(r) || 'none run'}`,
    `  best     ${r.best ? `${r.best.id} fitness ${r.best.fitness}` : 'none accepted'}`,
    `  started  ${r.startedAt}${r.endedAt ? `, ended ${r.endedAt}` : ''}; proposers ${r.proposers.join(', ')}; seed ${r.seed}`,
  ].join('\n') + '\n';
}

export function fmtList(recs: CandidateRecord[]): string {
  const by = (r: CandidateRecord) => cut(`${r.provenance.proposer}/${r.provenance.operator}`, 24).padEnd(24);
  return recs.map((r) => `${r.id}  ${r.decision.padEnd(8)} ${String(r.fitness).padStart(6)}  ${r.parent.padEnd(18)} ${by(r)} ${cut(r.reason, 60)}`)
    .join('\n') + '\n';
}

export function fmtCandidate(r: CandidateRecord): string {
  const p = r.provenance;
  return [
    `candidate ${r.id}: ${r.decision} (fitness ${r.fitness}): ${r.reason}`,
    `  run      ${r.run}; parent ${r.parent}; evaluated ${r.evaluatedAt} in ${r.wallMs} ms`,
    `  proposer ${p.proposer}/${p.operator}${p.model ? `; model ${p.model.id} (weights ${p.model.weightsDigest})` : ''}${p.seed === undefined ? '' : `; seed ${p.seed}`}`,
    `  what     ${r.description || '(no description)'}`,
    `  files    ${r.changes.map((c) => `${c.before === null ? 'A' : c.after === null ? 'D' : 'M'} ${c.path}`).join(', ') || 'none'}`,
    `  tools    node ${r.tools.node}, typescript ${r.tools.typescript}, commit ${r.tools.commit ?? 'unknown'}, tree ${r.tools.treeDigest?.slice(0, 16) ?? 'unknown'}`,
    ...(p.prompt ? [`  prompt   ${cut(p.prompt.replace(/\s+/g, ' '), 200)}`] : []),
    ...r.logs.map((l) => `  log      ${l}`),
  ].join('\n') + '\n';
}

/** Every stage the candidate went through, with what failed and why; then the decision. */
export function fmtWhy(r: CandidateRecord): string {
  const lines = [`candidate ${r.id}: ${r.decision}`];
  if (r.stages.length === 0) lines.push('  no stage ran');
  for (const s of r.stages) {
    lines.push(`  ${s.pass ? 'pass' : 'FAIL'}  ${s.stage.padEnd(14)} ${s.detail} (${s.wallMs} ms wall, ${s.cpuMs} ms CPU)`);
    for (const v of s.violations ?? []) lines.push(`          ${v.rule}: ${v.path}${v.line ? `:${v.line}` : ''}: ${v.detail}${v.approvable ? ' (the owner may approve)' : ''}`);
    for (const t of s.failed ?? []) lines.push(`          failed: ${t.file} > ${t.name}`);
  }
  lines.push(`  decision: ${r.decision}: ${r.reason}`);
  return lines.join('\n') + '\n';
}
