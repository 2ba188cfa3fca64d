// What `dialogos evolve status|show|ls` say about promotions: each promoted candidate's generation and its
// outcome. The outcome comes from this machine's generation store (the boot chain's verdict); when the
// archive's lock is free it is also recorded in the ledger, so the loop learns it even if nobody promotes
// again. A build host without a store reports the ledger as it stands.
import { existsSync } from 'node:fs';
import { storeLayout } from '../gen/index.js';
import { openArchive, promotion, type Archive } from '../evolve/index.js';

type GenerationStatuses = promotion.GenerationStatuses;
type PromotionRecord = promotion.PromotionRecord;
import { openStoreTarget } from './store-target.js';

/** The store's generations, or null where there is no store to read (a build host). */
async function storeGenerations(o: { store?: string; image?: string }, env: NodeJS.ProcessEnv): Promise<GenerationStatuses | null> {
  const root = o.store ?? env.DIALOGOS_STORE ?? '/data/dialogos';
  if (!o.image && !existsSync(storeLayout(root).state)) return null;
  const target = openStoreTarget({ ...(o.store ? { store: o.store } : {}), ...(o.image ? { image: o.image } : {}), env });
  return (await target.store.readState()).state.generations;
}

/**
 * The latest promotion of each candidate, with the store's verdict applied; records what it learns when no
 * other process holds the archive (a running loop learns it at its next promotion instead).
 */
export async function promotionView(a: Archive, o: { store?: string; image?: string }, env: NodeJS.ProcessEnv): Promise<Map<string, PromotionRecord>> {
  const gens = await storeGenerations(o, env);
  if (!gens) return promotion.promotionOutcomes(a, {});
  const view = promotion.promotionOutcomes(a, gens);
  const recorded = promotion.promotions(a);
  if ([...view.values()].some((r) => r.outcome !== recorded.get(r.candidate)?.outcome)) {
    try {
      const w = openArchive(a.dir);
      try { promotion.learnPromotionOutcomes(w, gens); } finally { w.close(); }
    } catch (err) {
      if ((err as Error).name !== 'ArchiveLockedError') throw err;
    }
  }
  return view;
}

export function fmtPromotions(view: Map<string, PromotionRecord>): string {
  if (view.size === 0) return '';
  const lines = [...view.values()].map((r) => `  promoted ${r.candidate} -> generation ${r.generation}: ${r.outcome} (${r.reason})`);
  return `${lines.join('\n')}\n`;
}
