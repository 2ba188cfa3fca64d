// The repair arms and their equal evaluation budget: every arm orders candidate fixes of one defect its own
// way, and each gets the same K evaluations. The arms share one pool (mutation + template proposals at the
// defect's lines), except the chat arm, whose proposals are its own.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as TS from 'typescript';
import type { Defect } from '../../defects/index.js';
import { SeededRandom } from '../../defects/rng.js';
import { mutationProposer, naturalness, templateProposer, memoSpans, type SpanScorer } from '../../propose/index.js';
import type { Proposal, Proposer } from '../../types.js';

/** One arm: a name and how it orders (or makes) the candidate texts of a defect's file. */
export interface Arm {
  name: string;
  order(pool: Proposal[], d: Defect, seed: number): Promise<Proposal[]> | Proposal[];
}

/** The text a proposal gives the defect's file (null when it changes anything else or nothing). */
export function textOf(p: Proposal, d: Defect): string | null {
  if (p.changes.length !== 1) return null;
  const c = p.changes[0]!;
  return c.path === d.file && c.after !== null && c.after !== d.change.after ? c.after : null;
}

/** The first `k` distinct texts in `ordered` that change the defect's file: an arm's evaluations. */
export function takeBudget(ordered: readonly Proposal[], d: Defect, k: number): Array<{ text: string; operator: string }> {
  const out: Array<{ text: string; operator: string }> = [];
  const seen = new Set<string>();
  for (const p of ordered) {
    const t = textOf(p, d);
    if (t === null || seen.has(t)) continue;
    seen.add(t);
    out.push({ text: t, operator: p.provenance.operator });
    if (out.length >= k) break;
  }
  return out;
}

/** A proposer's proposals for the defect, over a view that holds only the buggy file. */
export async function proposalsFor(proposer: Proposer, d: Defect, limit: number, seed: number): Promise<Proposal[]> {
  const root = mkdtempSync(join(tmpdir(), 'evolve-defect-view-'));
  try {
    mkdirSync(dirname(join(root, d.file)), { recursive: true });
    writeFileSync(join(root, d.file), d.change.after!);
    const lines = [...new Set(d.mutations.map((m) => m.line))];
    const suspects = lines.map((line) => ({ path: d.file, line, score: 1 }));
    const target = { kind: 'tests' as const, failToPass: [], origin: `defect:${d.id}` };
    const out: Proposal[] = [];
    for await (const p of proposer.propose({ root, target, suspects, limit, seed })) out.push(p);
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The shared pool: every mutation and template proposal at the defect's lines. */
export async function sharedPool(ts: typeof TS, d: Defect, seed: number): Promise<Proposal[]> {
  return [...await proposalsFor(mutationProposer(ts), d, 10_000, seed), ...await proposalsFor(templateProposer(ts), d, 10_000, seed)];
}

export const randomArm: Arm = { name: 'random', order: (pool, _d, seed) => new SeededRandom(seed).shuffle(pool) };

/** Kali-style: deleting statements only, in the proposers' order. */
export const kaliArm: Arm = { name: 'kali-delete', order: (pool) => pool.filter((p) => p.provenance.operator === 'delete-statement') };

/** The pool best first by naturalness under `spans` (ties keep the pool's order). */
export function rankedArm(name: string, spans: SpanScorer): Arm {
  return {
    name,
    order(pool) {
      const s = memoSpans(spans);
      return pool.map((p, i) => ({ p, i, score: naturalness(s, p) })).sort((a, b) => b.score - a.score || a.i - b.i).map((x) => x.p);
    },
  };
}

/** An arm that asks its own proposer (a chat model) for `limit` proposals. */
export function proposerArm(name: string, proposer: Proposer, limit: number): Arm {
  return { name, order: (_pool, d, seed) => proposalsFor(proposer, d, limit, seed) };
}
