// Binds the boot stage's BootStore to src/gen. src/gen lands separately: until the composition root
// replaces this with an adapter over src/gen's index (readState, selectGeneration, verifyGeneration,
// recordTry, markBad), the stage reports that it has no store and PID 1 falls back to its shell.
import { BootStoreUnboundError } from './errors.js';
import type { OpenBootStore } from './store.js';

export const openGenStore: OpenBootStore = (dataRoot) => {
  throw new BootStoreUnboundError(`Cannot open the generation store at "${dataRoot}": src/boot is not bound to src/gen`);
};
