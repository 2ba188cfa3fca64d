// `dialogos model bench NAME`: prompt and generation speed of one model, loaded in a worker exactly as the
// service loads it (so the figures include the IPC the service pays, not the HTTP layer).
import { performance } from 'node:perf_hooks';
import { ModelWorker } from '../worker-client.js';

export interface ModelBenchResult {
  loadMs: number;
  promptTokens: number;
  promptTokensPerSecond: number;
  generatedTokens: number;
  generationTokensPerSecond: number;
  timeToFirstTokenMs: number;
}

/** A prompt of roughly `n` tokens for a byte-level or BPE vocabulary (code-like text). */
export const benchPrompt = (n: number): string => 'function add(a, b) { return a + b; }\n'.repeat(Math.ceil(n / 30)).slice(0, n);

export async function benchModel(file: string, o: { name: string; promptTokens?: number; genTokens?: number; threads?: number; contextSize?: number; workerPath?: string }): Promise<ModelBenchResult> {
  const t0 = performance.now();
  const w = new ModelWorker({
    name: o.name, modelPath: file, contextSize: o.contextSize ?? 2048, sequences: 1, threads: o.threads ?? 0, gpu: false,
    ...(o.workerPath ? { workerPath: o.workerPath } : {}),
  });
  const info = await w.start();
  const loadMs = performance.now() - t0;
  try {
    const want = Math.min(o.promptTokens ?? 512, Math.floor(info.contextSize / 2));
    let text = benchPrompt(want);
    // One probe to learn the prompt's real token count, then trim to fit.
    let promptTokens = 0;
    let t1 = performance.now();
    let ttft = 0;
    const probe = (prompt: string) => w.generate({ prompt: { kind: 'text', text: prompt }, maxTokens: 1, temperature: 0, topP: 1, stop: [] }, {
      onStart: (n) => { promptTokens = n; }, onChunk: () => { ttft ||= performance.now() - t1; },
    });
    await probe(text);
    const ratio = want / Math.max(1, promptTokens);
    if (ratio < 1) text = text.slice(0, Math.floor(text.length * ratio));
    t1 = performance.now();
    ttft = 0;
    await probe(`${text} `);
    const promptS = (performance.now() - t1) / 1000;
    const gen = o.genTokens ?? 128;
    let first = 0;
    const t2 = performance.now();
    const r = await w.generate({ prompt: { kind: 'text', text: 'x' }, maxTokens: gen, temperature: 0, topP: 1, stop: [] }, { onChunk: () => { first ||= performance.now(); } });
    const genS = (performance.now() - (first || t2)) / 1000;
    return {
      loadMs, promptTokens, promptTokensPerSecond: promptTokens / promptS, generatedTokens: r.completionTokens,
      generationTokensPerSecond: Math.max(0, r.completionTokens - 1) / Math.max(genS, 1e-6), timeToFirstTokenMs: ttft,
    };
  } finally {
    await w.stop();
  }
}
