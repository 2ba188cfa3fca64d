// Where the llm service keeps its state: the machine's fixed paths, or all under one host state directory
// (the same --state DIR as dialogosd's host mode), so that instances side by side never collide.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LlmPaths {
  /** Added models (GGUF files) and their index. */
  modelsDir: string;
  indexFile: string;
  /** Read-only models shipped in the generation. */
  shippedDir: string;
  /** remotes.json, the TCP token. */
  configDir: string;
  remotesFile: string;
  tokenFile: string;
  runDir: string;
  socket: string;
  /** {"baseUrl","socket","pid"} of the running instance. */
  endpointFile: string;
}

/** The repository's models/ directory (host mode's shipped models), found from this module. */
export const repoModelsDir = (): string => fileURLToPath(new URL('../../models/', import.meta.url));

/** `--state DIR` (else $DIALOGOS_STATE) selects a host instance; neither = this machine. */
export function llmPaths(state: string | undefined, env: NodeJS.ProcessEnv = process.env, shipped?: string): LlmPaths {
  const s = state ?? (env.DIALOGOS_STATE || undefined);
  const base = s ? resolve(s) : null;
  const modelsDir = base ? join(base, 'models') : '/data/dialogos/models';
  const configDir = base ? join(base, 'llm') : '/data/dialogos/llm';
  const runDir = base ? join(base, 'run') : '/run/dialogos';
  return {
    modelsDir, indexFile: join(modelsDir, 'index.json'),
    shippedDir: shipped ?? env.DIALOGOS_SHIPPED_MODELS ?? (base ? repoModelsDir() : '/dialogos/models'),
    configDir, remotesFile: join(configDir, 'remotes.json'), tokenFile: join(configDir, 'api.token'),
    runDir, socket: join(runDir, 'llm.sock'), endpointFile: join(runDir, 'llm.json'),
  };
}
