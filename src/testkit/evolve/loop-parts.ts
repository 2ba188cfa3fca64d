// Small real parts for the loop tests: a proposer that returns given proposals (or anything, garbage
// included), an evaluator that accepts what a predicate likes, and a tree with one defect.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Candidate } from '../../evolve/candidate.js';
import type { Evaluation, Proposal, ProposeContext, Proposer, StageResult, Target } from '../../evolve/types.js';

export const DEFECT = 'export const add = (a: number, b: number): number => a - b;\n';
export const FIXED = 'export const add = (a: number, b: number): number => a + b;\n';

/** A tree with src/m.ts holding the defect. */
export function defectTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'evolve-loop-tree-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'm.ts'), DEFECT);
  return root;
}

export const edit = (before: string | null, after: string | null, operator = 'edit', path = 'src/m.ts'): Proposal => ({
  changes: [{ path, before, after }], description: `${operator} on ${path}`, provenance: { proposer: 'given', operator, seed: 1 }, prior: 0,
});

/** Yields `items` (each may be a proposal, garbage, or a function of the context giving one). */
export function given(name: string, items: unknown[], seen: ProposeContext[] = []): Proposer {
  return {
    name,
    async *propose(ctx) {
      seen.push(ctx);
      for (const it of items) yield typeof it === 'function' ? (it as (c: ProposeContext) => unknown)(ctx) : it;
    },
  } as Proposer;
}

export const TARGET: Extract<Target, { kind: 'tests' }> = { kind: 'tests', failToPass: [{ file: 'src/m.test.ts', name: 'add adds' }], origin: 'test:src/m.test.ts' };

/** Accepts a candidate when `good` says so, with fitness `fitness(c)`; records the two stages it "ran". */
export function judge(good: (c: Candidate) => boolean, fitness: (c: Candidate) => number = () => 1): (c: Candidate, t: Target) => Promise<Evaluation> {
  return async (candidate) => {
    const ok = good(candidate);
    const stages: StageResult[] = [
      { stage: 'static', pass: true, wallMs: 1, cpuMs: 0, detail: 'gates pass' },
      { stage: 'fail-to-pass', pass: ok, wallMs: 5, cpuMs: 4, detail: ok ? '1/1 fixed' : '0/1 fixed' },
    ];
    return { candidate, stages, accepted: ok, reason: ok ? 'fixes 1 of 1' : 'fail-to-pass: 0/1 fixed', fitness: ok ? fitness(candidate) : 0 };
  };
}

export const fixes = (c: Candidate) => c.changes.some((f) => f.after?.includes('a + b'));
