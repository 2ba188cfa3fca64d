// Embeddings for the code index's hybrid search, from the llm service (OpenAI-compatible /v1/embeddings).
// Only a model that can mean something by them is used: one named by $DIALOGOS_EMBED_MODEL, else the first
// model that offers embeddings and is not dialogos-mini (a 134 k-parameter byte model: its vectors would
// only blur the BM25 ranking). No such model: no embedder, BM25 alone.
import type { Embedder } from '../mind/index.js';

/** The default code model, whose embeddings are not worth mixing into the ranking. */
const CODE_MODEL = 'dialogos-mini';

interface ModelEntry { id: string; capabilities?: { embeddings?: boolean } }

/** Says why an embeddings call failed: the model, the HTTP status, the service's message. */
export class EmbeddingsError extends Error {
  override name = 'EmbeddingsError';
}

/** The embedding model to use at `baseUrl`, or null when none is worth using. */
export async function pickEmbeddingModel(baseUrl: string, env: NodeJS.ProcessEnv, apiKey?: string): Promise<string | null> {
  if (env.DIALOGOS_EMBED_MODEL) return env.DIALOGOS_EMBED_MODEL;
  try {
    const r = await fetch(`${baseUrl}/models`, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, signal: AbortSignal.timeout(5_000) });
    if (!r.ok) return null;
    const body = (await r.json()) as { data?: ModelEntry[] };
    return body.data?.find((m) => m.capabilities?.embeddings && m.id !== CODE_MODEL)?.id ?? null;
  } catch {
    return null; // no service: BM25 alone, said by the caller's mode line
  }
}

/** An Embedder over `POST {baseUrl}/embeddings` with `model`. */
export function httpEmbedder(baseUrl: string, model: string, apiKey?: string): Embedder {
  return {
    async embed(texts) {
      const r = await fetch(`${baseUrl}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify({ model, input: texts }),
        signal: AbortSignal.timeout(120_000),
      });
      const body = (await r.json().catch(() => ({}))) as { data?: { index: number; embedding: number[] }[]; error?: { message?: string } };
      if (!r.ok || !Array.isArray(body.data)) throw new EmbeddingsError(`Cannot embed ${texts.length} texts with model "${model}": HTTP ${r.status} ${body.error?.message ?? 'no data'}`);
      const out = new Array<number[]>(texts.length);
      for (const d of body.data) out[d.index] = d.embedding;
      if (out.some((v) => !Array.isArray(v))) throw new EmbeddingsError(`Cannot embed ${texts.length} texts with model "${model}": the answer lacks some of them`);
      return out;
    },
  };
}
