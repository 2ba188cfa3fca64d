// OpenAI's two shapes of log-probabilities, from the worker's per-token list: the legacy one of
// /v1/completions (parallel arrays, text offsets, top alternatives as an object that always holds the
// chosen token) and the one of /v1/chat/completions (a list of tokens with bytes and top alternatives).
import type { TokenLogprob } from '../worker-protocol.js';

export interface CompletionLogprobs {
  tokens: string[];
  token_logprobs: (number | null)[];
  top_logprobs: (Record<string, number> | null)[];
  text_offset: number[];
}

/**
 * The legacy shape; offsets count UTF-16 code units of the text from `offset` (0, or the prompt's length
 * after echo). Tokens that each hold part of one character share the offset where that character starts.
 */
export function completionLogprobs(toks: TokenLogprob[], offset = 0): CompletionLogprobs {
  const out: CompletionLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
  const utf8 = new TextDecoder();
  let at = offset;
  for (const t of toks) {
    out.tokens.push(t.token);
    out.token_logprobs.push(t.logprob);
    out.text_offset.push(at);
    at += utf8.decode(Uint8Array.from(t.bytes), { stream: true }).length;
    if (t.logprob === null) { out.top_logprobs.push(null); continue; }
    // "The API will always return the logprob of the sampled token, so there may be up to logprobs+1 elements."
    const top: Record<string, number> = {};
    for (const a of t.top) if (!(a.token in top)) top[a.token] = a.logprob;
    if (!(t.token in top)) top[t.token] = t.logprob;
    out.top_logprobs.push(top);
  }
  return out;
}

/** Both arrays joined, for echo: the prompt's tokens, then the completion's from the end of the prompt text. */
export function joinCompletionLogprobs(prompt: CompletionLogprobs | null, completion: CompletionLogprobs): CompletionLogprobs {
  if (!prompt) return completion;
  return {
    tokens: [...prompt.tokens, ...completion.tokens], token_logprobs: [...prompt.token_logprobs, ...completion.token_logprobs],
    top_logprobs: [...prompt.top_logprobs, ...completion.top_logprobs], text_offset: [...prompt.text_offset, ...completion.text_offset],
  };
}

export interface ChatTokenLogprob { token: string; logprob: number; bytes: number[]; top_logprobs: { token: string; logprob: number; bytes: number[] }[] }

/** The chat shape (`choices[].logprobs`); a null logprob cannot occur after a chat template. */
export function chatLogprobs(toks: TokenLogprob[] | null): { content: ChatTokenLogprob[] | null; refusal: null } {
  if (!toks) return { content: null, refusal: null };
  return {
    content: toks.map((t) => ({ token: t.token, logprob: t.logprob ?? 0, bytes: t.bytes, top_logprobs: t.top.map((a) => ({ token: a.token, logprob: a.logprob, bytes: a.bytes })) })),
    refusal: null,
  };
}
