// The API's read access to the generation store, over the GenerationStore slice the composition root
// binds (src/gen's Store fits as it is).
import { GenerationMissingError } from '../gen/index.js';
import type { GenerationsReader } from './api/index.js';
import { currentState, type GenerationStore } from './ports.js';

// src/gen owns the failure kind; core's face re-exports it from here as it always has.
export { GenerationMissingError };

export function storeReader(store: GenerationStore): GenerationsReader {
  return {
    async state() {
      return (await currentState(store)) as unknown as Record<string, unknown>;
    },
    async show(id) {
      const s = await currentState(store);
      const entry = s.generations[id];
      if (!entry) throw new GenerationMissingError(`Cannot show generation "${id}": not in the store`);
      let manifest: unknown = null;
      if (store.readManifest) manifest = await store.readManifest(id);
      return { entry: entry as unknown as Record<string, unknown>, manifest };
    },
  };
}
