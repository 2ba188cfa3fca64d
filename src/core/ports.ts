// The narrow interfaces dialogosd uses to reach the store, the OS and the operator. Each has a real
// implementation (real.ts, store binding by the composition root) and in-memory ones in the tests.
import type { StoreState } from '../gen/types.js';

// The clock and the spawner belong to the service layer, which runs processes; dialogosd uses the same.
export type { Clock, SpawnResult, Spawner } from './services/index.js';

/** What `readState` may return: the state itself, or src/gen's `LoadedState` (`{ state, problem, source }`). */
export type StateReading = StoreState | { state: StoreState };

/**
 * The slice of the generation store (src/gen `Store`, which fits as it is) that dialogosd needs; the
 * composition root binds it. Methods may be sync or async. `refundTry` is expected to clear `state.trial`
 * (a second call is then a no-op); dialogosd also refunds at most once per process and only while
 * `state.trial.id` is the booted id.
 */
export interface GenerationStore {
  bless(id: string): unknown;
  markBad(id: string, reason: string): unknown;
  refundTry(id: string): unknown;
  readState(): StateReading | Promise<StateReading>;
  /** A generation's manifest (src/gen's Store has it); the API's `generations/{id}` shows it when bound. */
  readManifest?(id: string): unknown;
}

/** The StoreState of either reading shape. */
export async function currentState(store: GenerationStore): Promise<StoreState> {
  const r = await store.readState();
  return 'generations' in r ? r : r.state;
}

export interface SigningKey {
  keyId: string;
  privateKeyPem: string;
  /** Base64 of the raw 32-byte Ed25519 public key, as in trust.json. */
  publicKey: string;
}

/** What the composition root provides from src/gen. */
export interface GenBindings {
  /** `root` is the data directory of the store (`/data/dialogos`), as src/gen's `new Store(fs, root)`. */
  openStore(root: string): GenerationStore | Promise<GenerationStore>;
  generateSigningKey(): SigningKey | Promise<SigningKey>;
}

export type PowerAction = 'reboot' | 'poweroff';

/** Asks PID 1 to reboot or power off (PID 1 stops its children, syncs, and does it). */
export interface PowerRequester {
  request(action: PowerAction): Promise<void>;
}

export interface Console {
  line(text: string): void;
}

/** A long-running child such as the operator shell. */
export interface ChildHandle {
  stop(): Promise<void>;
}

export interface ShellLauncher {
  start(): ChildHandle;
}
