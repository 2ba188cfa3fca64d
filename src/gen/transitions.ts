// The store's state changes as pure functions on StoreState: the Store wraps each in lock, load,
// durable write. Keeping them pure lets the policy and crash tests reason about states directly.
import { BelowFloorError, GenerationBadError, GenerationMissingError, InvalidOperationError, NoRollbackTargetError } from './errors.js';
import { HISTORY_LIMIT } from './state.js';
import type { BootReason, BootRecord, GenerationRecord, StoreState } from './types.js';

/** The record of `id`. @throws GenerationMissingError */
export function recordOf(state: StoreState, id: string): GenerationRecord {
  const r = Object.hasOwn(state.generations, id) ? state.generations[id] : undefined;
  if (!r) throw new GenerationMissingError(`Generation "${id}" is not in the store`);
  return r;
}

/** True when the generation may boot as far as its record says (not bad, tries left or blessed). */
export function isBootable(r: GenerationRecord): boolean {
  return r.status === 'good' || (r.status === 'staged' && (r.triesLeft > 0 || r.blessedAt !== null));
}

function checkFloor(state: StoreState, id: string, r: GenerationRecord): void {
  if (r.version < state.floor && !r.recovery) {
    throw new BelowFloorError(`Cannot use generation "${id}": version ${r.version} is below the anti-rollback floor ${state.floor}`);
  }
}

/** Good generations other than `except`, most recently blessed first, then newest. */
export function goodOthers(state: StoreState, except: (string | null)[]): string[] {
  return Object.entries(state.generations)
    .filter(([id, r]) => r.status === 'good' && !except.includes(id) && (r.version >= state.floor || r.recovery))
    .sort(([, a], [, b]) => (b.blessedAt ?? '').localeCompare(a.blessedAt ?? '') || b.version - a.version)
    .map(([id]) => id);
}

export function newRecord(version: number, at: string): GenerationRecord {
  return { version, status: 'staged', triesLeft: 0, priority: 0, pinned: false, recovery: false, addedAt: at, blessedAt: null, badReason: null };
}

/** @throws GenerationMissingError, BelowFloorError, InvalidOperationError */
export function applyStage(state: StoreState, id: string, tries: number): void {
  const r = recordOf(state, id);
  if (!Number.isSafeInteger(tries) || tries < 1) throw new InvalidOperationError(`Cannot stage generation "${id}": tries must be a positive integer, got ${tries}`);
  checkFloor(state, id, r);
  if (r.status !== 'good') {
    r.status = 'staged';
    r.triesLeft = tries;
    r.badReason = null;
  }
  state.default = id;
}

/** @throws GenerationMissingError, GenerationBadError, BelowFloorError, InvalidOperationError */
export function applySwitch(state: StoreState, id: string, once: boolean): void {
  const r = recordOf(state, id);
  if (r.status === 'bad') throw new GenerationBadError(`Cannot switch to generation "${id}": it is marked bad (${r.badReason ?? 'no reason'})`);
  checkFloor(state, id, r);
  if (!isBootable(r)) throw new InvalidOperationError(`Cannot switch to generation "${id}": it has no tries left; stage it first`);
  if (once) state.oneShot = id;
  else state.default = id;
}

/** @throws GenerationMissingError */
export function applyBless(state: StoreState, id: string, rollbackFloor: number, at: string): void {
  const r = recordOf(state, id);
  r.status = 'good';
  r.blessedAt = at;
  r.badReason = null;
  r.triesLeft = 0;
  state.lastGood = id;
  state.floor = Math.max(state.floor, rollbackFloor);
  if (state.trial?.id === id) state.trial = null;
}

/** @throws GenerationMissingError */
export function applyBad(state: StoreState, id: string, reason: string): void {
  const r = recordOf(state, id);
  r.status = 'bad';
  r.badReason = reason;
  r.triesLeft = 0;
  if (state.trial?.id === id) state.trial = null;
  if (state.oneShot === id) state.oneShot = null;
  if (state.lastGood === id) state.lastGood = goodOthers(state, [id])[0] ?? null;
  if (state.default === id) state.default = state.lastGood ?? goodOthers(state, [id])[0] ?? null;
}

/** @throws GenerationMissingError, InvalidOperationError (unpinning the recovery generation) */
export function applyPin(state: StoreState, id: string, pinned: boolean): void {
  const r = recordOf(state, id);
  if (!pinned && r.recovery) throw new InvalidOperationError(`Cannot unpin generation "${id}": it is the recovery generation`);
  r.pinned = pinned;
}

/** Makes `id` the one recovery generation (pinned). @throws GenerationMissingError, InvalidOperationError */
export function applyRecovery(state: StoreState, id: string): void {
  const r = recordOf(state, id);
  if (r.status !== 'good') throw new InvalidOperationError(`Cannot make generation "${id}" the recovery: it is ${r.status}, not blessed good`);
  for (const other of Object.values(state.generations)) other.recovery = false;
  r.recovery = true;
  r.pinned = true;
}

/** Points default at the previous good generation other than the booted one. @throws NoRollbackTargetError */
export function applyRollback(state: StoreState): string {
  const booted = state.booted?.id ?? null;
  const target = goodOthers(state, [booted]).sort((a, b) => Number(b === state.lastGood) - Number(a === state.lastGood))[0];
  if (!target) throw new NoRollbackTargetError(`Cannot roll back: no good generation other than "${booted ?? 'none'}" at or above floor ${state.floor}`);
  state.default = target;
  state.oneShot = null;
  return target;
}

export interface TryDecision {
  id: string;
  reason: BootReason;
  attempt: number;
  fallbacks: { id: string; reason: string }[];
  markBad: { id: string; reason: string }[];
}

/**
 * Records a boot decision before the jump: bad marks, the spent try, the boot record and history.
 * A `kexec` decision is the second half of a boot whose try was recorded before the kexec.
 * @throws GenerationMissingError
 */
export function applyTry(state: StoreState, d: TryDecision, at: string): void {
  for (const m of d.markBad) if (Object.hasOwn(state.generations, m.id)) applyBad(state, m.id, m.reason);
  if (d.reason === 'kexec') return;
  const r = recordOf(state, d.id);
  if (r.status === 'staged' && r.blessedAt === null) {
    r.triesLeft = Math.max(0, r.triesLeft - 1);
    state.trial = { id: d.id, startedAt: at };
  } else {
    state.trial = null;
  }
  const rec: BootRecord = {
    id: d.id, at, reason: d.reason, attempt: d.attempt,
    fallbackFrom: d.fallbacks[0]?.id ?? null, fallbackReason: d.fallbacks[0]?.reason ?? null,
  };
  state.booted = rec;
  state.history = [...state.history, rec].slice(-HISTORY_LIMIT);
  state.oneShot = null;
}

/** Gives back the try of the running trial (a clean reboot inside the health window). */
export function applyRefund(state: StoreState, id: string): boolean {
  const r = recordOf(state, id);
  if (state.trial?.id !== id || r.status !== 'staged') return false;
  r.triesLeft += 1;
  state.trial = null;
  return true;
}
