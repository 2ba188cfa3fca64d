// Binds the boot stage's BootStore to src/gen. src/boot does not import src/gen itself (it builds and tests
// alone); the stage's composition root (stage-main.ts) passes src/gen's index, whose shape `GenApi` states.
import type { StoreState } from '../gen/types.js';
import type { BootDecision, OpenBootStore, VerifiedGeneration } from './store.js';

/** The parts of src/gen's public face the boot stage uses. */
export interface GenApi<F, T> {
  createNodeFileSystem(): F;
  Store: new (fs: F, root: string) => {
    readState(): Promise<{ state: StoreState; problem: Error | null }>;
    recordTry(decision: BootDecision): Promise<unknown>;
    markBad(id: string, reason: string): Promise<unknown>;
  };
  loadTrust(fs: F, storeRoot: string): Promise<T>;
  verifyGeneration(fs: F, storeRoot: string, id: string, trust: T): Promise<VerifiedGeneration>;
  /** src/gen's policy asks for verification as `Error | null` instead of a throw. */
  selectGeneration(
    state: StoreState,
    inputs: { menuPick: string | null; forcedId: string | null; verify: (id: string) => Promise<Error | null> },
  ): Promise<BootDecision>;
}

/** The store lives in `<dataRoot>/dialogos` (docs/ARCHITECTURE.md, the data partition). */
export function bindGenStore<F, T>(gen: GenApi<F, T>, print: (line: string) => void = () => {}): OpenBootStore {
  return async (dataRoot) => {
    const fs = gen.createNodeFileSystem();
    const root = `${dataRoot}/dialogos`;
    const store = new gen.Store(fs, root);
    const trust = await gen.loadTrust(fs, root);
    return {
      async readState() {
        const loaded = await store.readState();
        if (loaded.problem) print(`dialogos: store state recovered (${loaded.problem.message})`);
        return loaded.state;
      },
      select: (state, o) =>
        gen.selectGeneration(state, {
          menuPick: o.menuPick,
          forcedId: o.forcedId,
          verify: async (id) => {
            try {
              await o.verify(id);
              return null;
            } catch (err) {
              return err instanceof Error ? err : new Error(String(err));
            }
          },
        }),
      verify: (id) => gen.verifyGeneration(fs, root, id, trust),
      recordTry: async (d) => void (await store.recordTry(d)),
      markBad: async (id, reason) => void (await store.markBad(id, reason)),
    };
  };
}
