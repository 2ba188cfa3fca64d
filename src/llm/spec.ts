// The `llm` service spec for dialogosd: the generation's default (defaults/specs/llm.json) on a machine,
// and the same service for a host instance, where paths point into the build tree and --state is explicit
// (dialogosd does not pass DIALOGOS_STATE to its services).
import { resolveWorkerPath } from './worker-client.js';

export interface LlmSpecOptions {
  /** Host instance state directory; absent = the machine. */
  state?: string;
  /** Node binary (host: process.execPath). */
  node?: string;
  /** The dialogos CLI entry (host: dist/cli/main.js). */
  cli?: string;
  worker?: string;
  extraArgs?: string[];
}

/** A service spec object (core's schema) that runs `dialogos llm serve`. */
export function llmServiceSpec(o: LlmSpecOptions = {}): Record<string, unknown> {
  const host = o.state !== undefined;
  const runDir = host ? `${o.state}/run` : '/run/dialogos';
  return {
    kind: 'service', name: 'llm',
    command: o.node ?? (host ? process.execPath : '/usr/bin/node'),
    args: [o.cli ?? '/dialogos/bin/dialogos.mjs', 'llm', 'serve', ...(host ? ['--state', o.state!] : []), ...(o.extraArgs ?? [])],
    env: { DIALOGOS_LLM_WORKER: o.worker ?? (host ? resolveWorkerPath(undefined, {}) : '/dialogos/bin/llm-worker.mjs'), ...(host ? {} : { DIALOGOS_SHIPPED_MODELS: '/dialogos/models' }) },
    readiness: { kind: 'unix', path: `${runDir}/llm.sock`, timeoutMs: 60000 },
    restart: { policy: 'always', backoff: { initialMs: 500, maxMs: 30000, factor: 2 } },
    stopTimeoutMs: 10000,
  };
}
