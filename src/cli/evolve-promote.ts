// `dialogos evolve promote <candidate>`: an accepted candidate becomes a new signed generation, staged with
// tries. The tree (the source with the candidate's files and its provenance) comes from the loop's
// preparePromotion; the build is the one `dialogos gen build` runs, so the boot chain tries it, checks its
// health and blesses it or falls back on its own.
import { join, resolve } from 'node:path';
import type { Archive } from '../evolve/index.js';
import { preparePromotion, provenancePath } from '../evolve/index.js';
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
 * Promotes candidate `id` of `archive` into `target`'s store.
 * @throws CandidateNotAcceptedError, OwnerApprovalRequiredError, PromotionConflictError (from the loop);
 *   the generation build's errors (untrusted key, bundling)
 */
export async function promote(archive: Archive, id: string, target: StoreTarget, o: PromoteOptions): Promise<PromoteResult> {
  const source = resolve(o.source ?? runningSourceRoot());
  const prepared = preparePromotion(archive, id, { source, ownerApproved: o.ownerApproved ?? false, argv: o.argv });
  try {
    // For a disk image the default key is the checkout's build key, which the tree copy leaves out.
    const key = o.key ?? (target.image ? join(source, '.dialogos', 'keys', 'build.key') : undefined);
    const built = await buildGeneration(target, { source: prepared.tree, stage: o.tries, argv: o.argv, ...(key ? { key } : {}), ...(o.log ? { log: o.log } : {}) });
    return { ...built, source, candidate: prepared.candidate.id, provenance: provenancePath(prepared.candidate.id), protected: prepared.protected };
  } finally {
    prepared.dispose();
  }
}
