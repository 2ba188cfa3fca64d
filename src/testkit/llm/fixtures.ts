// Test fixtures: a temporary host state with small random-weights models in its store, and a running
// service on it. Everything is removed by `cleanup()`.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { llmPaths, type LlmPaths } from '../../llm/paths.js';
import { startLlmService, type RunningService, type ServeOptions } from '../../llm/service.js';
import { ModelStore } from '../../llm/store.js';
import { workerVerifier } from '../../llm/verify.js';
import { CHATML_TEMPLATE, writeTinyModel, type TinyModelOptions } from './tiny-model.js';

export interface Fixture {
  dir: string;
  paths: LlmPaths;
  store: ModelStore;
  svc: RunningService;
  cleanup(): Promise<void>;
}

/** Writes a tiny model file and returns its path. */
export async function tinyFile(dir: string, name: string, o: TinyModelOptions = {}): Promise<string> {
  const f = join(dir, `${name}.gguf`);
  await writeTinyModel(f, o);
  return f;
}

/**
 * A state dir with "chat" (ChatML template) and "code" (no template) models, and a service on it.
 * `shipped` files are written into the shipped-models directory unverified (how broken files get in).
 */
export async function withService(o: Partial<ServeOptions> = {}, shipped: Record<string, (path: string) => Promise<void>> = {}): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'dialogos-llm-'));
  const shippedDir = join(dir, 'shipped');
  await mkdir(shippedDir);
  const paths = llmPaths(dir, {}, shippedDir);
  const store = new ModelStore(paths);
  const verify = workerVerifier();
  await store.add(await tinyFile(dir, 'chat', { chatTemplate: CHATML_TEMPLATE, contextLength: 1024 }), { verify });
  await store.add(await tinyFile(dir, 'code', { contextLength: 1024, seed: 2 }), { verify });
  for (const [name, make] of Object.entries(shipped)) await make(join(shippedDir, `${name}.gguf`));
  const svc = await startLlmService({ paths, contextSize: 1024, sequences: 2, threads: 1, idleUnloadMs: 0, ...o });
  return {
    dir, paths, store, svc,
    async cleanup() {
      await svc.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export { writeFile };
