// The first half of promotion (item 8): turn an accepted candidate into a tree a generation is built from.
// Refuses what was not accepted and protected paths without the owner's approval; copies the source tree,
// checks each change still applies to it, writes the candidate's files and its provenance inside the tree
// (docs/evolve/<id>.json, a shipped path, so the generation's manifest signs it). The CLI then runs the
// generation build on that tree (src/cli/evolve-promote.ts).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Archive } from '../archive/archive.js';
import { promotions } from '../archive/promotions.js';
import type { CandidateRecord } from '../archive/records.js';
import { isProtected } from '../paths-gate.js';

/** Promotion of a candidate the evaluator did not accept. */
export class CandidateNotAcceptedError extends Error {
  override name = 'CandidateNotAcceptedError';
}

/** Promotion of a candidate whose generation was already rolled back by the boot chain. */
export class CandidateRolledBackError extends Error {
  override name = 'CandidateRolledBackError';
}

/** Promotion of a change to protected paths without --owner-approved. */
export class OwnerApprovalRequiredError extends Error {
  override name = 'OwnerApprovalRequiredError';
}

/** The source tree moved on: a file the candidate changes is no longer the text it was judged against. */
export class PromotionConflictError extends Error {
  override name = 'PromotionConflictError';
}

/** Where a promoted candidate's provenance lives in the generation tree. */
export const provenancePath = (id: string): string => `docs/evolve/${id}.json`;

/** What the copy of the source leaves out: built output, history, local state; node_modules is linked. */
const LEFT_OUT = new Set(['node_modules', '.git', 'dist', 'build', '.dialogos']);

export interface PreparedTree {
  candidate: CandidateRecord;
  /** The source copy with the candidate applied (give it to the generation build as its source). */
  tree: string;
  /** Protected paths the candidate changes (promoted only with the owner's approval). */
  protected: string[];
  dispose(): void;
}

const sha = (t: string | null) => (t === null ? null : createHash('sha256').update(t).digest('hex'));

/**
 * Checks `id` may be promoted and writes the tree to build from.
 * @throws ArchiveNotFoundError, CandidateNotAcceptedError, CandidateRolledBackError, OwnerApprovalRequiredError,
 *   PromotionConflictError
 */
export function preparePromotion(archive: Archive, id: string, o: { source: string; ownerApproved?: boolean; now?: Date; argv?: string[] }): PreparedTree {
  const rec = archive.getCandidate(archive.resolve(id).id);
  if (rec.decision !== 'accepted') throw new CandidateNotAcceptedError(`Cannot promote candidate "${rec.id}": it was ${rec.decision} (${rec.reason})`);
  const last = promotions(archive).get(rec.id);
  if (last?.outcome === 'rolled-back') throw new CandidateRolledBackError(`Cannot promote candidate "${rec.id}": it was rolled back (${last.reason})`);
  const prot = rec.changes.map((c) => c.path).filter(isProtected);
  if (prot.length && !o.ownerApproved) {
    throw new OwnerApprovalRequiredError(`Cannot promote candidate "${rec.id}": it changes protected paths (${prot.join(', ')}); the owner must approve with --owner-approved`);
  }
  const source = resolve(o.source);
  for (const c of rec.changes) {
    const file = join(source, c.path);
    const now = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (now !== c.before) {
      const why = 'is no longer the text it was judged against; run the loop again on this tree';
      throw new PromotionConflictError(`Cannot promote candidate "${rec.id}": "${c.path}" in "${source}" ${why}`);
    }
  }
  const out = mkdtempSync(join(tmpdir(), 'evolve-promote-'));
  const tree = join(out, 'tree');
  cpSync(source, tree, { recursive: true, filter: (from) => from === source || !LEFT_OUT.has(from.slice(source.length + 1).split('/')[0]!) });
  if (existsSync(join(source, 'node_modules'))) symlinkSync(resolve(source, 'node_modules'), join(tree, 'node_modules'));
  for (const c of rec.changes) {
    const file = join(tree, c.path);
    if (c.after === null) rmSync(file, { force: true });
    else { mkdirSync(dirname(file), { recursive: true }); writeFileSync(file, c.after); }
  }
  const prov = join(tree, provenancePath(rec.id));
  mkdirSync(dirname(prov), { recursive: true });
  writeFileSync(prov, `${JSON.stringify(provenanceOf(rec, prot, o), null, 2)}\n`);
  return { candidate: rec, tree, protected: prot, dispose: () => rmSync(out, { recursive: true, force: true }) };
}

function provenanceOf(rec: CandidateRecord, prot: string[], o: { ownerApproved?: boolean; now?: Date; argv?: string[] }) {
  return {
    schema: 1, candidate: rec.id, run: rec.run, parent: rec.parent, description: rec.description,
    decision: rec.decision, reason: rec.reason, fitness: rec.fitness, provenance: rec.provenance, tools: rec.tools,
    stages: rec.stages.map((s) => ({ stage: s.stage, pass: s.pass, wallMs: s.wallMs, cpuMs: s.cpuMs, detail: s.detail })),
    files: rec.changes.map((c) => ({ path: c.path, before: sha(c.before), after: sha(c.after) })),
    diff: rec.diff, protected: prot, ownerApproved: o.ownerApproved === true && prot.length > 0,
    promotedAt: (o.now ?? new Date()).toISOString(), command: ['dialogos', ...(o.argv ?? [])].join(' '),
  };
}
