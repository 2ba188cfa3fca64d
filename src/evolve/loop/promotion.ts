// Item 8's promotion as one face for the CLI (`evolve.promotion` in src/evolve/index.ts): preparing the
// tree of an accepted candidate, and the ledger of what became of each promotion's generation.
export { CandidateRolledBackError, preparePromotion, provenancePath } from './promote.js';
export { promotionLines, promotions, recordPromotion } from '../archive/promotions.js';
export type { PromotionOutcome, PromotionRecord } from '../archive/promotions.js';
export { learnPromotionOutcomes, promotionOutcomes, rolledBack } from './outcome.js';
export type { GenerationStatuses } from './outcome.js';
