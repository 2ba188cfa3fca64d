// The self-improvement loop: choose a parent, ask the proposers (round-robin) for changes to it, drop those
// already in the archive, judge each with the injected evaluator, record each, and stop at the budget, when
// the target is met, or when the proposers have nothing new. Budgets come only from the options (the
// command line) and are frozen and recorded; a killed run is resumed from what the archive says.
import type * as TS from 'typescript';
import type { Archive } from '../archive/archive.js';
import { unifiedDiffAll } from '../archive/diff.js';
import type { Budget, CandidateRecord, RunRecord, ToolVersions } from '../archive/records.js';
import type { Candidate, FileChange } from '../candidate.js';
import { makeCandidate } from '../gates.js';
import type { Evaluation, Proposal, Proposer, Suspect, Target } from '../types.js';
import { checkBudget } from './budget.js';
import { chooseParent } from './parent.js';
import { rolledBack } from './outcome.js';
import { progressLine } from './progress.js';
import { checkProposal, composeChanges, parentReader } from './proposal-check.js';
import { countCandidate, meetsTarget, newRun, rebuildRun } from './run-state.js';
import { materialiseView } from './view.js';

/** A run asked for without what it needs (a target and budget for a new run), or a resume of a finished one. */
export class InvalidRunError extends Error {
  override name = 'InvalidRunError';
}

export type Evaluate = (candidate: Candidate, target: Target) => Promise<Evaluation>;

export interface LoopOptions {
  archive: Archive;
  proposers: readonly Proposer[];
  evaluate: Evaluate;
  /** The base tree candidates change (read-only here). */
  root: string;
  tools: ToolVersions;
  /** A new run: its spec, target and budget. */
  spec?: string;
  target?: Target;
  budget?: Budget;
  /** Or the id of a run to resume (its target, budget and seed are the recorded ones). */
  resume?: string;
  /** The base tree's name in records (a generation id, default 'tree'). */
  base?: string;
  seed?: number;
  /** Fault localisation for the proposers (default: none). */
  localise?: (target: Target) => Promise<Suspect[]>;
  /** Parses changed TypeScript before evaluation when given. */
  ts?: typeof TS;
  /** Proposals asked of each proposer per parent (default 16). */
  batch?: number;
  now?: () => number;
  progress?: (line: string) => void;
  progressEveryMs?: number;
}

interface State {
  o: LoopOptions;
  run: RunRecord;
  target: Target;
  budget: Readonly<Budget>;
  startedAt: number;
  lastProgress: number;
  now: () => number;
  stop: string | null;
}

/**
 * Runs (or resumes) the loop until the budget, the target or the proposers' ideas run out.
 * @throws InvalidRunError / InvalidBudgetError for a run without target or budget; ArchiveNotFoundError for
 *   an unknown resume id; the archive's fs errors. A proposer's or the evaluator's error is recorded, not thrown.
 */
export async function runLoop(o: LoopOptions): Promise<RunRecord> {
  const s = start(o);
  o.archive.putRun(s.run);
  const suspects = o.localise ? await o.localise(s.target).catch((err: Error) => { log(s, `fault localisation failed: ${err.message}`); return []; }) : [];
  for (let round = 0; !stopped(s); round++) {
    const fresh = await oneRound(s, suspects, round);
    if (fresh === 0 && !stopped(s)) s.stop = 'exhausted: the proposers have nothing new for this parent';
  }
  // s.stop is "<status>: <reason>"
  const cut = s.stop!.indexOf(': ');
  s.run.status = s.stop!.slice(0, cut) as RunRecord['status'];
  s.run.reason = s.stop!.slice(cut + 2);
  s.run.endedAt = new Date(s.now()).toISOString();
  touch(s);
  o.progress?.(`${progressLine(s.run)}; ended: ${s.run.reason}`);
  return s.run;
}

function start(o: LoopOptions): State {
  const now = o.now ?? Date.now;
  let run: RunRecord;
  if (o.resume) {
    run = rebuildRun(o.archive, o.resume);
    if (run.status !== 'running') throw new InvalidRunError(`Cannot resume run "${run.id}": it ended (${run.status}: ${run.reason})`);
    run.logs.push(`resumed at ${new Date(now()).toISOString()}`);
  } else {
    if (!o.target || !o.spec) throw new InvalidRunError('Cannot start a run without a target: give --target test:<file>[#name], failing or bench:<name>');
    if (!o.budget) throw new InvalidRunError('Cannot start a run without a budget: give --budget <evaluations>[,<minutes>m]');
    run = newRun({
      spec: o.spec, target: o.target, budget: checkBudget(o.budget), proposers: o.proposers.map((p) => p.name),
      base: o.base ?? 'tree', seed: o.seed ?? 1, tools: o.tools, now: new Date(now()),
    });
  }
  const t = now();
  return { o, run, target: structuredClone(run.target), budget: checkBudget(run.budget), startedAt: t - run.elapsedMs, lastProgress: t, now, stop: null };
}

const log = (s: State, line: string) => s.run.logs.push(`${new Date(s.now()).toISOString()} ${line}`);

/** Sets s.stop when the (frozen, recorded) budget is spent. */
function stopped(s: State): boolean {
  if (s.stop) return true;
  s.run.elapsedMs = s.now() - s.startedAt;
  if (s.budget.evaluations !== null && s.run.counts.evaluated >= s.budget.evaluations) s.stop = `budget: ${s.budget.evaluations} evaluations spent`;
  else if (s.budget.minutes !== null && s.run.elapsedMs >= s.budget.minutes * 60_000) s.stop = `budget: ${s.budget.minutes} minutes spent`;
  return s.stop !== null;
}

/** One parent, every proposer round-robin; returns how many new candidates it recorded. */
async function oneRound(s: State, suspects: Suspect[], round: number): Promise<number> {
  const parent = chooseParent(s.o.archive.candidates(s.run.id), rolledBack(s.o.archive));
  const parentChanges = parent ? s.o.archive.getCandidate(parent).changes : [];
  const view = materialiseView(s.o.root, parentChanges);
  // Each round asks for more: proposers are deterministic for a place, so round n's first proposals are round
  // n-1's (dropped as duplicates) and the new ones come after them; a round with nothing new ends the run.
  const ctx = { root: view.dir, target: structuredClone(s.target), suspects, limit: (s.o.batch ?? 16) * (round + 1), seed: s.run.seed + round };
  const live = s.o.proposers.map((p) => ({ name: p.name, it: p.propose(ctx)[Symbol.asyncIterator](), dups: 0 }));
  let fresh = 0;
  try {
    while (live.length && !stopped(s)) {
      for (const p of [...live]) {
        if (stopped(s)) break;
        // `limit` duplicates in a row end a proposer's turn (one that repeats itself may never end on its own).
        const next = p.dups >= ctx.limit ? { done: true as const, value: undefined } : await pull(s, p);
        if (next.done) { live.splice(live.indexOf(p), 1); continue; }
        const r = await consider(s, next.value, p.name, parent, parentChanges);
        if (r !== 'duplicate') { fresh++; p.dups = 0; } else p.dups++;
        if (r === 'accepted') return fresh; // a better parent may exist now
      }
    }
    return fresh;
  } finally {
    await Promise.all(live.map((p) => p.it.return?.().catch(() => undefined)));
    view.dispose();
  }
}

/** The proposer's next proposal; done when it throws, or when it hangs past the minutes budget. */
async function pull(s: State, p: { name: string; it: AsyncIterator<Proposal> }): Promise<IteratorResult<unknown>> {
  const end = { done: true as const, value: undefined };
  let timer: NodeJS.Timeout | undefined;
  const left = s.budget.minutes === null ? null : s.budget.minutes * 60_000 - (s.now() - s.startedAt);
  const hang = left === null ? null : new Promise<typeof end>((res) => {
    timer = setTimeout(() => { log(s, `proposer "${p.name}" gave nothing before the minutes budget ran out`); res(end); }, Math.max(0, left));
  });
  try {
    const next = p.it.next().catch((err: Error) => { log(s, `proposer "${p.name}" failed: ${err.message}`); return end; });
    return await (hang ? Promise.race([next, hang]) : next);
  } finally {
    clearTimeout(timer);
  }
}

type Outcome = 'duplicate' | 'rejected' | 'accepted';

async function consider(s: State, raw: unknown, proposer: string, parent: string | null, parentChanges: FileChange[]): Promise<Outcome> {
  s.run.counts.proposed++;
  const checked = checkProposal(raw, parentReader(s.o.root, parentChanges), s.o.ts);
  if (!checked.ok) {
    if (s.o.archive.has(checked.id)) return duplicate(s);
    const p = raw as Partial<Proposal> | null;
    const stage = { stage: 'static' as const, pass: false, wallMs: 0, cpuMs: 0, detail: `${checked.rule}: ${checked.detail}` };
    const logs = [`refused before evaluation: ${checked.detail}`, `proposal: ${preview(raw)}`];
    return record(s, { id: checked.id, changes: [] }, parent, proposalMeta(p, proposer), { stages: [stage], decision: 'rejected', reason: stage.detail, fitness: 0, logs });
  }
  const candidate = makeCandidate(composeChanges(parentChanges, checked.proposal.changes));
  if (s.o.archive.has(candidate.id)) return duplicate(s);
  const t0 = s.now();
  let ev: Evaluation;
  try {
    ev = await s.o.evaluate(candidate, structuredClone(s.target));
  } catch (err) {
    const reason = `Cannot evaluate candidate "${candidate.id}": ${(err as Error).message}`;
    return record(s, candidate, parent, proposalMeta(checked.proposal, proposer), { stages: [], decision: 'error', reason, fitness: 0, logs: [reason], wallMs: s.now() - t0 });
  }
  const [accepted, reason, fitness] = judgeEvaluation(candidate, ev);
  const decision = accepted ? 'accepted' : 'rejected';
  return record(s, candidate, parent, proposalMeta(checked.proposal, proposer), { stages: ev.stages, decision, reason, fitness, logs: [], wallMs: s.now() - t0 });
}

/** The evaluator's verdict, distrusted where it cannot be right (another candidate, a NaN or infinite fitness). */
function judgeEvaluation(c: Candidate, ev: Evaluation): [boolean, string, number] {
  if (ev.candidate?.id !== c.id) return [false, `the evaluation names candidate "${ev.candidate?.id}", not "${c.id}"`, 0];
  if (typeof ev.fitness !== 'number' || !Number.isFinite(ev.fitness)) return [false, `the evaluation's fitness is not a finite number (${String(ev.fitness)})`, 0];
  if (ev.accepted && ev.stages.some((st) => !st.pass)) return [false, 'the evaluation accepts a candidate with a failed stage', 0];
  return [ev.accepted === true, ev.reason, ev.fitness];
}

const duplicate = (s: State): Outcome => { s.run.counts.duplicates++; return 'duplicate'; };

const preview = (raw: unknown): string => {
  try {
    return (JSON.stringify(raw) ?? String(raw)).slice(0, 2000);
  } catch {
    return String(raw).slice(0, 2000);
  }
};

function proposalMeta(p: Partial<Proposal> | null, proposer: string): Meta {
  const prov = p && typeof p.provenance === 'object' && p.provenance !== null ? p.provenance : { proposer, operator: 'unknown' };
  return {
    description: typeof p?.description === 'string' ? p.description : '',
    provenance: { ...prov, proposer },
    prior: typeof p?.prior === 'number' && Number.isFinite(p.prior) ? p.prior : 0,
  };
}

type Meta = Pick<CandidateRecord, 'description' | 'provenance' | 'prior'>;
type Verdict = Pick<CandidateRecord, 'stages' | 'decision' | 'reason' | 'fitness' | 'logs'> & { wallMs?: number };

function record(s: State, c: Candidate, parent: string | null, meta: Meta, v: Verdict): Outcome {
  const rec: CandidateRecord = {
    schema: 1, id: c.id, run: s.run.id, parent: parent ?? s.run.base, changes: c.changes, diff: unifiedDiffAll(c.changes), ...meta,
    tools: s.o.tools, ...v, wallMs: v.wallMs ?? 0, evaluatedAt: new Date(s.now()).toISOString(),
  };
  s.o.archive.putCandidate(rec);
  countCandidate(s.run, rec);
  if (meetsTarget(s.target, rec)) s.stop = `met: candidate "${rec.id}" ${s.target.kind === 'tests' ? 'fixes every target test' : 'is an accepted speedup'}`;
  touch(s);
  if (s.now() - s.lastProgress >= (s.o.progressEveryMs ?? 60_000)) {
    s.lastProgress = s.now();
    s.o.progress?.(progressLine(s.run));
  }
  return v.decision === 'accepted' ? 'accepted' : 'rejected';
}

function touch(s: State): void {
  s.run.elapsedMs = s.now() - s.startedAt;
  s.o.archive.putRun(s.run);
}
