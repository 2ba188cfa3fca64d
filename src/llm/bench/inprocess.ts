// The baseline: node-llama-cpp called in this process on the same GGUF, with the same settings the
// service's worker uses (LlamaCompletion, one sequence, the same thread count and context size).
import { performance } from 'node:perf_hooks';
import { getLlama, LlamaCompletion } from 'node-llama-cpp';

export interface Speed { promptTokens: number; promptTps: number; genTokens: number; genTps: number; ttftMs: number }

/** Prompt tok/s (prompt + 1 token), generation tok/s (after the first token) and TTFT of a short prompt. */
export async function inProcessSpeeds(file: string, o: { threads: number; contextSize: number; prompt: string; shortPrompt: string; genTokens: number; rounds: number }): Promise<Speed[]> {
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' as never, progressLogs: false });
  const model = await llama.loadModel({ modelPath: file });
  const ctx = await model.createContext({ contextSize: o.contextSize, sequences: 1, threads: o.threads });
  const out: Speed[] = [];
  try {
    for (let r = 0; r < o.rounds; r++) {
      const run = async (prompt: string, maxTokens: number) => {
        const seq = ctx.getSequence();
        try {
          const t0 = performance.now();
          let first = 0;
          const res = await new LlamaCompletion({ contextSequence: seq }).generateCompletionWithMeta(model.tokenize(prompt), {
            maxTokens, temperature: 0, topP: 1, disableContextShift: true, onTextChunk: () => { first ||= performance.now(); },
          });
          void res;
          return { t0, first: first || performance.now(), end: performance.now(), inTok: seq.tokenMeter.getState().usedInputTokens, outTok: seq.tokenMeter.getState().usedOutputTokens };
        } finally {
          seq.dispose();
        }
      };
      const p = await run(o.prompt, 1);
      const s = await run(o.shortPrompt, 1);
      const g = await run(o.shortPrompt, o.genTokens);
      out.push({
        promptTokens: p.inTok, promptTps: p.inTok / ((p.end - p.t0) / 1000),
        genTokens: g.outTok, genTps: (g.outTok - 1) / ((g.end - g.first) / 1000),
        ttftMs: s.first - s.t0,
      });
    }
  } finally {
    await ctx.dispose();
    await model.dispose();
    await llama.dispose();
  }
  return out;
}
