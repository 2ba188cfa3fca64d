// Several proposers as one: their proposals interleaved round-robin (so a slow or prolific one cannot starve
// the rest), near-duplicates across all of them dropped, at most `limit` in all.
import type { Proposal, ProposeContext, Proposer } from '../types.js';
import { NearDuplicates, type Ts } from './edit.js';

/** @example combinedProposer(ts, [mutationProposer(ts), templateProposer(ts), copyProposer(ts)]) */
export function combinedProposer(ts: Ts, proposers: Proposer[]): Proposer {
  return {
    name: `combined(${proposers.map((p) => p.name).join(', ')})`,
    async *propose(ctx: ProposeContext): AsyncIterable<Proposal> {
      const dups = new NearDuplicates(ts);
      const its = proposers.map((p) => p.propose(ctx)[Symbol.asyncIterator]());
      const live = new Set(its.keys());
      let n = 0;
      while (live.size && n < ctx.limit) {
        for (const i of [...live]) {
          const r = await its[i]!.next();
          if (r.done) { live.delete(i); continue; }
          const files = r.value.changes.filter((c) => c.after !== null).map((c) => ({ path: c.path, text: c.after! }));
          if (!dups.admit(files)) continue;
          yield r.value;
          if (++n >= ctx.limit) break;
        }
      }
      await Promise.all(its.map((it) => it.return?.()));
    },
  };
}
