// Loads a GGUF in a throw-away worker to prove llama.cpp accepts it (a crash there stays in that child).
import { ModelStoreError } from './errors.js';
import type { VerifyLoad } from './store.js';
import { ModelWorker } from './worker-client.js';
import type { GpuChoice } from './worker-protocol.js';

/** A VerifyLoad that uses a real worker; rejects with ModelStoreError('invalid') and the loader's reason. */
export function workerVerifier(o: { workerPath?: string; gpu?: GpuChoice } = {}): VerifyLoad {
  return async (path, name) => {
    const w = new ModelWorker({ name, modelPath: path, contextSize: 64, sequences: 1, threads: 1, gpu: o.gpu ?? false, verifyOnly: true, ...(o.workerPath ? { workerPath: o.workerPath } : {}) });
    try {
      await w.start();
    } catch (err) {
      throw new ModelStoreError(`The model does not load: ${(err as Error).message}`, 'invalid', { cause: err });
    } finally {
      await w.stop();
    }
  };
}
