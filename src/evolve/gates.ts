// The static gates of the evaluator cascade, run before anything of the candidate executes: the path gate,
// then the code gate on what passed it. A candidate with any violation that is not approvable stops here;
// approvable ones (protected paths) go on only with the owner's approval recorded.
import type * as TS from 'typescript';
import { createHash } from 'node:crypto';
import type { Candidate, FileChange, Violation } from './candidate.js';
import { checkCode } from './code-gate.js';
import { checkPaths, type ScopeLimits } from './paths-gate.js';

export interface GateVerdict {
  pass: boolean;
  violations: Violation[];
  /** Approvable violations lifted by the owner's approval. */
  approved: Violation[];
}

/** The content address of a change set: the same files with the same bytes give the same id. */
export function candidateId(changes: readonly FileChange[]): string {
  const h = createHash('sha256');
  for (const c of [...changes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    h.update(`${c.path}\0${c.after === null ? '-' : `+${Buffer.byteLength(c.after)}\0${c.after}`}\0`);
  }
  return `c-${h.digest('hex').slice(0, 16)}`;
}

export function makeCandidate(changes: FileChange[]): Candidate {
  return { id: candidateId(changes), changes };
}

/** Runs the static gates; `ownerApproved` lifts approvable violations (and only those). */
export function runStaticGates(ts: typeof TS, candidate: Candidate, o: ScopeLimits & { ownerApproved?: boolean } = {}): GateVerdict {
  const all = [...checkPaths(candidate.changes, o), ...checkCode(ts, candidate.changes)];
  const approved = o.ownerApproved ? all.filter((v) => v.approvable) : [];
  const violations = all.filter((v) => !approved.includes(v));
  return { pass: violations.length === 0, violations, approved };
}
