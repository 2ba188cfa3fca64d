// The boot stage's view of the generation store (src/gen). Kept local and narrow so that src/boot builds and
// tests alone; the composition root binds it to src/gen (see gen-binding.ts). Every method may be sync or async.
import type { BootReason, Manifest, StoreState } from '../gen/types.js';

export type MaybePromise<T> = T | Promise<T>;

export interface VerifiedGeneration {
  id: string;
  manifest: Manifest;
  /** Absolute path of the verified tree on /data. */
  treeDir: string;
}

export interface Mark {
  id: string;
  reason: string;
}

/** What the selection policy chose, and what it passed over on the way. */
export interface BootDecision {
  id: string;
  reason: BootReason;
  /** Which try of a staged generation this is (1-based); 0 for a good generation. */
  attempt: number;
  fallbacks: Mark[];
  markBad: Mark[];
}

export interface SelectOptions {
  menuPick: string | null;
  forcedId: string | null;
  /** Throws (with a message fit for the console) when a generation must be refused. */
  verify: (id: string) => MaybePromise<VerifiedGeneration>;
}

export interface BootStore {
  readState(): MaybePromise<StoreState>;
  /** Chooses a verified generation; throws when nothing is bootable. */
  select(state: StoreState, options: SelectOptions): MaybePromise<BootDecision>;
  /** Signature, trusted key, id and file digests; throws when any does not hold. */
  verify(id: string): MaybePromise<VerifiedGeneration>;
  /**
   * Durable (write, fsync, rename, fsync dir) before it returns: the jump follows. Applies `decision.markBad`
   * too. A decision with reason `kexec` is the second half of a boot whose try was recorded before the kexec:
   * it records the marks only and spends no try (as src/gen's applyTry does).
   */
  recordTry(decision: BootDecision): MaybePromise<void>;
  /** For refusals the stage finds itself after selection (recordTry applies the policy's own marks). */
  markBad(id: string, reason: string): MaybePromise<void>;
}

/** Opens the store whose data partition is mounted at `dataRoot` (`/data`). */
export type OpenBootStore = (dataRoot: string) => MaybePromise<BootStore>;
