// Where the llm service keeps its state: the machine's fixed paths, or all under one host state directory
// (the same --state DIR as dialogosd's host mode), so that instances side by side never collide.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
  /** Where `dialogos model train` writes: DIR/train for a host instance, else /data/dialogos/train. */
  trainDir: string;
  /**
   * The places dialogos-mini is looked for, first found wins: a trained model, the shipped one, and on a
   * build host (shipped models not overridden) the checkout's models/ and image build output.
   */
  defaultModelFiles: string[];
}

/** The name the default model is served and found under. */
export const DEFAULT_MODEL = 'dialogos-mini';

/** The repository's models/ directory (host mode's shipped models), found from this module. */
export const repoModelsDir = (): string => fileURLToPath(new URL('../../models/', import.meta.url));

/** The checkout this module runs from, or null inside a generation's bundle (no src/cli/main.ts there). */
function checkoutRoot(): string | null {
  const root = dirname(repoModelsDir().replace(/\/$/, ''));
  return existsSync(join(root, 'src', 'cli', 'main.ts')) && existsSync(join(root, 'package.json')) ? root : null;
}

function defaultModelFiles(trainDir: string, shippedDir: string, overridden: boolean): string[] {
  const file = `${DEFAULT_MODEL}.gguf`;
  const out = [join(trainDir, file), join(shippedDir, file)];
  const root = overridden ? null : checkoutRoot();
  // The image build trains into build/work and copies into the generation tree; a checkout never has
  // /dialogos/models, so that is where its model is.
  if (root) out.push(join(root, 'models', file), join(root, 'build', 'work', file));
  return [...new Set(out.map((f) => resolve(f)))];
}

/** `--state DIR` (else $DIALOGOS_STATE) selects a host instance; neither = this machine. */
export function llmPaths(state: string | undefined, env: NodeJS.ProcessEnv = process.env, shipped?: string): LlmPaths {
  const s = state ?? (env.DIALOGOS_STATE || undefined);
  const base = s ? resolve(s) : null;
  const modelsDir = base ? join(base, 'models') : '/data/dialogos/models';
  const configDir = base ? join(base, 'llm') : '/data/dialogos/llm';
  const runDir = base ? join(base, 'run') : '/run/dialogos';
  const overridden = shipped !== undefined || !!env.DIALOGOS_SHIPPED_MODELS;
  const shippedDir = shipped ?? (env.DIALOGOS_SHIPPED_MODELS || (base ? repoModelsDir() : '/dialogos/models'));
  const trainDir = base ? join(base, 'train') : '/data/dialogos/train';
  return {
    modelsDir, indexFile: join(modelsDir, 'index.json'), shippedDir, trainDir,
    defaultModelFiles: defaultModelFiles(trainDir, shippedDir, overridden),
    configDir, remotesFile: join(configDir, 'remotes.json'), tokenFile: join(configDir, 'api.token'),
    runDir, socket: join(runDir, 'llm.sock'), endpointFile: join(runDir, 'llm.json'),
  };
}
