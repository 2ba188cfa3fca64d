// Log-probabilities and sampling settings for the model worker. Log-probabilities are computed after the
// generation by one more teacher-forced pass over prompt + completion with the sampler left neutral
// (temperature 0 = greedy, no top-k/top-p, no penalties), so they are the model's own distribution: the
// same numbers whatever temperature, penalties or grammar chose the tokens. The same pass scores a prompt
// (OpenAI's echo + logprobs + max_tokens 0), the way clients measure how likely a text is.
import { TokenBias, type LLamaContextualRepeatPenalty, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';
import type { GenerateRequest, TokenLogprob } from './worker-protocol.js';

/** A zero probability in float32 has no logarithm that JSON can carry; OpenAI-compatible servers use this floor. */
const FLOOR = -9999;

/** The token the runtime puts before a prompt (LlamaCompletion prepends it), or null. */
export const bosOf = (m: LlamaModel): Token | null => (m.tokens.shouldPrependBosToken ? m.tokens.bos : null);

/** GPT-2's byte-to-character table, inverted: byte-level BPE vocabularies spell each byte as one character. */
const GPT2_BYTES = (() => {
  const keep = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const map = new Map<string, number>();
  let n = 0;
  for (let b = 0; b < 256; b++) map.set(String.fromCodePoint(keep(b) ? b : 256 + n++), b);
  return map;
})();

/**
 * The exact bytes of a byte token (SentencePiece <0xNN>) or of any token of a byte-level BPE vocabulary
 * (GPT-2's, dialogos-mini's), from the vocabulary; null for other pieces, whose text detokenizing gives.
 */
function rawBytes(m: LlamaModel, t: Token): number[] | null {
  const tk = (m.fileInfo.metadata as { tokenizer?: { ggml?: { model?: string; tokens?: readonly string[] } } }).tokenizer?.ggml;
  const p = tk?.tokens?.[t];
  if (typeof p !== 'string' || m.isSpecialToken(t)) return null;
  if (tk!.model === 'llama') {
    const hex = /^<0x([0-9A-Fa-f]{2})>$/.exec(p);
    return hex ? [parseInt(hex[1]!, 16)] : null;
  }
  if (tk!.model !== 'gpt2') return null;
  const out = [...p].map((c) => GPT2_BYTES.get(c));
  return out.every((b) => b !== undefined) ? (out as number[]) : null;
}

const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * A token's text and bytes. A token that holds part of a UTF-8 character has no text of its own: it is
 * written "bytes:\\xNN" (its bytes), as OpenAI does.
 */
function piece(m: LlamaModel, t: Token, before: readonly Token[]): { token: string; bytes: number[] } {
  const raw = rawBytes(m, t);
  if (!raw) {
    const token = m.detokenize([t], false, before);
    return { token, bytes: [...Buffer.from(token, 'utf8')] };
  }
  try { return { token: strict.decode(Uint8Array.from(raw)), bytes: raw }; } catch {
    return { token: `bytes:${raw.map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}`, bytes: raw };
  }
}

/**
 * Log-probabilities of tokens[from..] given the tokens before each, with `top` alternatives per position.
 * Clears the sequence first (it is re-evaluated from the start). Position 0 has nothing before it: null.
 */
export async function scoreTokens(seq: LlamaContextSequence, m: LlamaModel, tokens: Token[], from: number, top: number): Promise<TokenLogprob[]> {
  if (from >= tokens.length) return [];
  await seq.clearHistory();
  // The distribution of token i comes out of the evaluation of token i - 1.
  const want = (i: number) => i + 1 >= Math.max(1, from) && i + 1 < tokens.length;
  const out = await seq.controlledEvaluate(tokens.map((t, i) => (want(i) ? [t, { generateNext: { probabilities: true } }] : t)));
  const res: TokenLogprob[] = [];
  for (let i = from; i < tokens.length; i++) {
    const before = tokens.slice(Math.max(0, i - 8), i);
    const p = i === 0 ? undefined : out[i - 1]?.next.probabilities;
    const lp = (x: number | undefined) => (x && x > 0 ? Math.max(FLOOR, Math.log(x)) : FLOOR);
    const alts: TokenLogprob['top'] = [];
    if (p) for (const [t, prob] of p) { if (alts.length >= top) break; alts.push({ ...piece(m, t, before), logprob: lp(prob) }); }
    res.push({ ...piece(m, tokens[i]!, before), logprob: i === 0 ? null : lp(p?.get(tokens[i]!)), top: alts });
  }
  return res;
}

/** Tokens in the model's vocabulary (from its GGUF metadata). */
export function vocabSize(m: LlamaModel): number {
  const t = (m.fileInfo.metadata as { tokenizer?: { ggml?: { tokens?: readonly unknown[] } } }).tokenizer?.ggml?.tokens;
  return t?.length ?? 0;
}

/** Thrown for a logit_bias key that is not a token of this model. */
export class LogitBiasError extends Error {
  override name = 'LogitBiasError';
}

/**
 * node-llama-cpp's sampling options for OpenAI's penalties and logit_bias. No penalty asked = none applied
 * (node-llama-cpp would otherwise apply its default repeat penalty of 1.1 that the client never asked for).
 * @throws LogitBiasError naming a key that is not a token id of the model
 */
export function samplingOf(m: LlamaModel, req: GenerateRequest, maxTokens: number): { repeatPenalty: false | LLamaContextualRepeatPenalty; tokenBias?: TokenBias } {
  const p = req.penalties;
  const repeatPenalty = p && (p.frequency !== 0 || p.presence !== 0)
    // Every generated token counts, newlines too, and no multiplicative repeat penalty: OpenAI's definition.
    ? { lastTokens: Math.max(1, maxTokens), penalty: 1, frequencyPenalty: p.frequency, presencePenalty: p.presence, penalizeNewLine: true }
    : false as const;
  const entries = Object.entries(req.logitBias ?? {});
  if (entries.length === 0) return { repeatPenalty };
  const bias = new TokenBias(m.tokenizer);
  const vocab = vocabSize(m);
  for (const [k, v] of entries) {
    const id = Number(k);
    if (!/^\d{1,9}$/.test(k) || id >= vocab) throw new LogitBiasError(`Invalid "logit_bias" key "${k}": not a token id of this model (0..${vocab - 1})`);
    bias.set(id as Token, { logit: v });
  }
  return { repeatPenalty, tokenBias: bias };
}
