// Boot selection: a pure function of the store state, the boot's inputs and a verifier. It never
// writes; the caller records the decision (Store.recordTry) before the jump.
//
// Order: forced (dialogos.gen= after a kexec) > menu pick > oneShot > default > other good
// generations (priority desc, then version desc) > recovery.
//
// The recovery generation is exempt from the anti-rollback floor, and is tried even when marked
// bad, because it is the last resort the owner pinned on purpose: refusing it would leave a machine
// that boots nothing. It still has to pass verification (signature and digests), so the exemption
// lets an owner-blessed old generation run, never an unsigned or altered one.
import { NoBootableGenerationError, PERMANENT_FAILURES } from './errors.js';
import type { BootReason, GenerationRecord, StoreState } from './types.js';

export interface BootInputs {
  /** The generation picked in the boot menu, if any. */
  menuPick?: string | null;
  /** `dialogos.gen=` from the kernel command line: the try was recorded before the kexec. */
  forcedId?: string | null;
  /** Verifies a generation; resolves to null when it may boot, else the reason it may not. */
  verify: (id: string) => Promise<Error | null>;
}

export interface BootDecision {
  id: string;
  reason: BootReason;
  /** Which try of a staged generation this is (1-based); 0 for a good generation. */
  attempt: number;
  /** Candidates passed over before `id`, in order, with the reason. */
  fallbacks: { id: string; reason: string }[];
  /** Generations to mark bad when the decision is recorded. */
  markBad: { id: string; reason: string }[];
}

interface Candidate {
  id: string;
  reason: BootReason;
}

function candidates(state: StoreState, inputs: BootInputs): Candidate[] {
  const byRank = Object.entries(state.generations)
    .filter(([, r]) => r.status === 'good' && !r.recovery) // recovery comes last, on its own
    .sort(([, a], [, b]) => b.priority - a.priority || b.version - a.version)
    .map(([id]): Candidate => ({ id, reason: 'fallback' }));
  const list: Candidate[] = [];
  if (inputs.forcedId) list.push({ id: inputs.forcedId, reason: 'kexec' });
  if (inputs.menuPick) list.push({ id: inputs.menuPick, reason: 'menu' });
  if (state.oneShot) list.push({ id: state.oneShot, reason: 'oneshot' });
  if (state.default) list.push({ id: state.default, reason: 'default' });
  list.push(...byRank);
  const seen = new Set<string>();
  return list.filter((c) => !seen.has(c.id) && seen.add(c.id));
}

function attemptOf(state: StoreState, id: string, r: GenerationRecord): number {
  if (r.status !== 'staged' || r.blessedAt !== null) return 0;
  return state.history.filter((h) => h.id === id && h.attempt > 0).length + 1;
}

/** Why `r` may not boot as a normal candidate, or null. Marks exhausted trials bad. */
function refusal(state: StoreState, c: Candidate, r: GenerationRecord, markBad: BootDecision['markBad']): string | null {
  if (r.status === 'bad') return `marked bad (${r.badReason ?? 'no reason'})`;
  if (r.version < state.floor && !r.recovery) return `version ${r.version} is below the anti-rollback floor ${state.floor}`;
  // After a kexec the try was already spent before the jump: zero tries left is expected there.
  if (r.status === 'staged' && r.blessedAt === null && r.triesLeft <= 0 && c.reason !== 'kexec') {
    markBad.push({ id: c.id, reason: 'tries exhausted' });
    return 'tries exhausted';
  }
  return null;
}

/**
 * Chooses the generation to boot.
 * @throws NoBootableGenerationError (with every candidate passed over) when nothing can boot
 * @example const d = await selectGeneration(state, { verify: async (id) => null });
 */
export async function selectGeneration(state: StoreState, inputs: BootInputs): Promise<BootDecision> {
  const fallbacks: BootDecision['fallbacks'] = [];
  const markBad: BootDecision['markBad'] = [];
  const verifyFailed = new Set<string>();
  const tried = async (c: Candidate, r: GenerationRecord): Promise<BootDecision | null> => {
    const err = await inputs.verify(c.id).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    if (err === null) return { id: c.id, reason: c.reason, attempt: attemptOf(state, c.id, r), fallbacks, markBad };
    fallbacks.push({ id: c.id, reason: err.message });
    verifyFailed.add(c.id);
    if (PERMANENT_FAILURES.has(err.name) && r.status !== 'bad') markBad.push({ id: c.id, reason: `verification failed: ${err.message}` });
    return null;
  };
  for (const c of candidates(state, inputs)) {
    const r = Object.hasOwn(state.generations, c.id) ? state.generations[c.id] : undefined;
    if (!r) {
      fallbacks.push({ id: c.id, reason: 'not in the store' });
      continue;
    }
    const why = refusal(state, c, r, markBad);
    if (why !== null) {
      fallbacks.push({ id: c.id, reason: why });
      continue;
    }
    const d = await tried(c, r);
    if (d) return d;
  }
  // Last resort: the recovery generation, even below the floor or marked bad (see the top), unless
  // it already failed verification above.
  const recovery = Object.entries(state.generations).find(([, r]) => r.recovery);
  if (recovery && !verifyFailed.has(recovery[0])) {
    const d = await tried({ id: recovery[0], reason: 'recovery' }, recovery[1]);
    if (d) return { ...d, attempt: 0, markBad: d.markBad.filter((m) => m.id !== d.id) };
  }
  const list = fallbacks.map((f) => `"${f.id}": ${f.reason}`).join('; ');
  throw new NoBootableGenerationError(`Cannot boot: no generation is bootable (${list || 'the store is empty'})`, fallbacks);
}
