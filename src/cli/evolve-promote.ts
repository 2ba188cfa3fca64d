// `dialogos evolve promote <candidate>`: an accepted candidate becomes a new signed generation, staged with
// tries. The tree (the source with the candidate's files and its provenance) comes from the loop's
// preparePromotion; the build is the one `dialogos gen build` runs, so the boot chain tries it, checks its
// health and blesses it or falls back on its own. The archive's promotion ledger records the generation as
// staged; what the boot chain decided about earlier promotions is learned from the store first, so a
// candidate whose generation fell back is refused (CandidateRolledBackError) rather than staged again.
import { join, resolve } from 'node:path';
import type { Archive } from '../evolve/index.js';
import { promotion } from '../evolve/index.js';
import { buildGeneration, runningSourceRoot, type GenBuildResult } from './gen-build.js';
import type { StoreTarget } from './store-target.js';

export interface PromoteOptions {
  source?: string;
  key?: string;
  tries: number;
  ownerApproved?: boolean;
  argv: string[];
  log?: (line: string) => void;
}

export interface PromoteResult extends GenBuildResult {
  candidate: string;
  provenance: string;
  protected: string[];
}

/**
 * Promotes candidate `id` of `archive` (opened for writing: the ledger is appended) into `target`'s store.
 * @throws CandidateNotAcceptedError, CandidateRolledBackError, OwnerApprovalRequiredError, PromotionConflictError
 *   (from the loop); ArchiveReadOnlyError; the generation build's errors (untrusted key, bundling)
 */
export async function promote(archive: Archive, id: string, target: StoreTarget, o: PromoteOptions): Promise<PromoteResult> {
  const source = resolve(o.source ?? runningSourceRoot());
  promotion.learnPromotionOutcomes(archive, (await target.store.readState()).state.generations);
  const prepared = promotion.preparePromotion(archive, id, { source, ownerApproved: o.ownerApproved ?? false, argv: o.argv });
  try {
    // For a disk image the default key is the checkout's build key, which the tree copy leaves out.
    const key = o.key ?? (target.image ? join(source, '.dialogos', 'keys', 'build.key') : undefined);
    const built = await buildGeneration(target, { source: prepared.tree, stage: o.tries, argv: o.argv, ...(key ? { key } : {}), ...(o.log ? { log: o.log } : {}) });
    const at = new Date().toISOString();
    promotion.recordPromotion(archive, { schema: 1, candidate: prepared.candidate.id, generation: built.id, outcome: 'staged', reason: `staged with ${o.tries} tries`, at });
    return { ...built, source, candidate: prepared.candidate.id, provenance: promotion.provenancePath(prepared.candidate.id), protected: prepared.protected };
  } finally {
    prepared.dispose();
  }
}
