// The boot stage's whole use of the store in one call: load the state (never failing on a corrupt
// one), select with verification, and durably record the try before the caller jumps.
import type { TrustConfig } from './keys.js';
import { selectGeneration, type BootDecision } from './policy.js';
import type { Store } from './store.js';
import type { StateCorruptError } from './errors.js';
import { createVerifier, type VerifiedGeneration } from './verify.js';

export interface BootChoice {
  decision: BootDecision;
  /** The verified generation to hand over to (its manifest and tree directory). */
  generation: VerifiedGeneration;
  /** Set when state.json was unusable and the .bak or a rebuild was used (show it on the console). */
  stateProblem: StateCorruptError | null;
}

/**
 * Selects, verifies and records the generation to boot. The try is on disk (fsynced) when this
 * resolves, so a crash after it counts against the generation.
 * @throws NoBootableGenerationError when nothing can boot; StoreLockedError; I/O errors from
 *   recording the try
 * @example const { generation } = await chooseGeneration(store, trust, { menuPick: null, forcedId: cmdline['dialogos.gen'] });
 */
export async function chooseGeneration(store: Store, trust: TrustConfig, inputs: { menuPick?: string | null; forcedId?: string | null }): Promise<BootChoice> {
  const { state, problem } = await store.readState();
  const verifier = createVerifier(store.fs, store.root, trust);
  const decision = await selectGeneration(state, { ...inputs, verify: verifier.verify });
  await store.recordTry(decision);
  return { decision, generation: verifier.verified.get(decision.id)!, stateProblem: problem };
}
