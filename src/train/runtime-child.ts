// Child process that asks llama.cpp (through node-llama-cpp) about a GGUF: how it tokenizes texts and what
// it predicts after prompts. Runs in its own process because a malformed GGUF can abort llama.cpp.
// usage: node runtime-child.js < {"model": FILE, "texts": [...], "prompts": [[ids...], ...]}  → JSON on stdout
import { getLlama, type Token } from 'node-llama-cpp';

interface Request { model: string; texts: string[]; prompts: number[][]; threads?: number }

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const req = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Request;
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' as never });
  const model = await llama.loadModel({ modelPath: req.model });
  const tokenized = req.texts.map((t) => Array.from(model.tokenize(t)) as number[]);
  const detokenized = tokenized.map((ids) => model.detokenize(ids as Token[]));
  const next: [number, number][][] = [];
  if (req.prompts.length) {
    // F32 KV cache: the default F16 cache alone moves log-probabilities by ~0.02, hiding real disagreements.
    const ctx = await model.createContext({
      contextSize: Math.max(...req.prompts.map((p) => p.length)) + 1, threads: req.threads ?? 1,
      experimentalKvCacheKeyType: 'F32', experimentalKvCacheValueType: 'F32',
    });
    const seq = ctx.getSequence();
    for (const p of req.prompts) {
      await seq.clearHistory();
      const input = p.map((t, i) => (i === p.length - 1 ? [t, { generateNext: { probabilities: true } }] : t)) as Parameters<typeof seq.controlledEvaluate>[0];
      const out = await seq.controlledEvaluate(input);
      const probs = out[p.length - 1]?.next.probabilities ?? new Map();
      next.push([...probs.entries()].map(([t, pr]) => [t as number, pr]));
    }
    await ctx.dispose();
  }
  await model.dispose();
  process.stdout.write(JSON.stringify({ tokenized, detokenized, next }));
}

main().catch((e: unknown) => {
  process.stderr.write(`runtime-child: ${(e as Error).message}\n`);
  process.exit(1);
});
