// Runs the store's selection policy with verification in the loop, printing a line per refusal and per
// fallback, and announcing the policy's bad marks. Nothing is recorded here: the caller records the try
// only for the generation this returns, which is always verified.
import type { StoreState } from '../gen/types.js';
import { NothingBootableError, errorText } from './errors.js';
import type { BootPlatform } from './platform.js';
import type { BootDecision, BootStore, VerifiedGeneration } from './store.js';

export interface Choice {
  decision: BootDecision;
  generation: VerifiedGeneration;
  state: StoreState;
}

/** Bounds re-selection when the policy hands back a generation it did not verify and that then fails. */
const MAX_ROUNDS = 4;

/**
 * @throws NothingBootableError with the policy's reason when no generation can be booted.
 */
export async function chooseGeneration(
  p: BootPlatform,
  store: BootStore,
  initial: StoreState,
  picks: { menuPick: string | null; forcedId: string | null },
): Promise<Choice> {
  let state = initial;
  const verified = new Map<string, VerifiedGeneration>();
  const refused = new Set<string>();
  const refuse = (id: string, err: unknown): void => {
    if (!refused.has(id)) p.print(`dialogos: refusing generation ${id}: ${errorText(err)}`);
    refused.add(id);
  };
  const verify = (id: string): VerifiedGeneration | Promise<VerifiedGeneration> => {
    const ok = (g: VerifiedGeneration): VerifiedGeneration => (verified.set(id, g), g);
    try {
      const r = store.verify(id);
      if (r instanceof Promise) return r.then(ok, (err: unknown) => { refuse(id, err); throw err; });
      return ok(r);
    } catch (err) {
      refuse(id, err);
      throw err;
    }
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let decision: BootDecision;
    try {
      decision = await store.select(state, { ...picks, verify });
    } catch (err) {
      const why = errorText(err);
      throw new NothingBootableError(why.startsWith('Cannot ') ? why : `Cannot boot any generation: ${why}`, { cause: err });
    }
    for (const f of decision.fallbacks) p.print(`dialogos: fallback from ${f.id}: ${f.reason}`);
    // recordTry writes these marks together with the try, in one durable state update.
    for (const m of decision.markBad) p.print(`dialogos: marking generation ${m.id} bad: ${m.reason}`);
    let generation = verified.get(decision.id);
    if (!generation && !refused.has(decision.id)) {
      // The policy did not verify its own pick: do it here, since nothing unverified is handed over.
      try {
        generation = await verify(decision.id);
      } catch {
        generation = undefined;
      }
    }
    if (generation) return { decision, generation, state };
    p.print(`dialogos: fallback from ${decision.id}: refused after selection`);
    try {
      // No try is recorded for this decision, so its marks are written here before selecting again.
      for (const m of decision.markBad) await store.markBad(m.id, m.reason);
      await store.markBad(decision.id, 'verification failed at boot');
      state = await store.readState();
    } catch (err) {
      throw new NothingBootableError(`Cannot boot any generation: ${errorText(err)}`, { cause: err });
    }
  }
  throw new NothingBootableError(`Cannot boot any generation: ${MAX_ROUNDS} selections in a row were refused`);
}
