// Builds small llama-architecture GGUFs with random weights and a byte-level SentencePiece vocabulary, so the
// runtime can be tested and benchmarked without pretrained weights (none exist offline here).
import { writeGguf, type GgufTensor, type GgufValue, type TensorType } from './gguf-write.js';

export interface TinyModelOptions {
  layers?: number;
  embd?: number;
  ff?: number;
  heads?: number;
  kvHeads?: number;
  contextLength?: number;
  /** Weight type of the matrices (norms stay F32). */
  type?: TensorType;
  seed?: number;
  /** A Jinja chat template (its presence makes the model chat-capable). */
  chatTemplate?: string;
  /** Metadata keys to leave out, to produce malformed files on purpose. */
  omit?: string[];
  name?: string;
}

/** A ChatML template, the kind llama.cpp and node-llama-cpp recognise. */
export const CHATML_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** <unk>, <s>, </s>, 256 byte tokens, then "▁" and printable ASCII as normal pieces. */
export function byteVocab(): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [2, 3, 3];
  for (let b = 0; b < 256; b++) { tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`); types.push(6); }
  tokens.push('\u2581'); types.push(1);
  for (let c = 0x21; c < 0x7f; c++) { tokens.push(String.fromCharCode(c)); types.push(1); }
  for (const w of ['\u2581the', '\u2581a', 'in', 'er', 'on', '\u2581=', '()', ';\n']) { tokens.push(w); types.push(1); }
  const scores = tokens.map((_, i) => (types[i] === 1 ? -i / 1000 : 0));
  return { tokens, scores, types };
}

/** Parameter count of a model with these options (matrices + embeddings + norms). */
export function tinyParamCount(o: TinyModelOptions = {}): number {
  const { layers = 2, embd = 64, ff = 128, heads = 4, kvHeads = heads } = o;
  const kv = (embd / heads) * kvHeads;
  const vocab = byteVocab().tokens.length;
  return 2 * vocab * embd + embd + layers * (2 * embd + 2 * embd * embd + 2 * embd * kv + 3 * embd * ff);
}

/** Writes a random-weights llama model to `path`. Deterministic for a given seed. */
export async function writeTinyModel(path: string, o: TinyModelOptions = {}): Promise<void> {
  const { layers = 2, embd = 64, ff = 128, heads = 4, kvHeads = heads, contextLength = 512, type = 'f32', seed = 1 } = o;
  const vocab = byteVocab();
  const nv = vocab.tokens.length;
  const kv = (embd / heads) * kvHeads;
  const meta: Record<string, GgufValue> = {
    'general.architecture': { t: 'str', v: 'llama' },
    'general.name': { t: 'str', v: o.name ?? 'tiny-random' },
    'general.alignment': { t: 'u32', v: 32 },
    'llama.context_length': { t: 'u32', v: contextLength },
    'llama.embedding_length': { t: 'u32', v: embd },
    'llama.block_count': { t: 'u32', v: layers },
    'llama.feed_forward_length': { t: 'u32', v: ff },
    'llama.attention.head_count': { t: 'u32', v: heads },
    'llama.attention.head_count_kv': { t: 'u32', v: kvHeads },
    'llama.attention.layer_norm_rms_epsilon': { t: 'f32', v: 1e-5 },
    'llama.rope.dimension_count': { t: 'u32', v: embd / heads },
    'llama.vocab_size': { t: 'u32', v: nv },
    'tokenizer.ggml.model': { t: 'str', v: 'llama' },
    'tokenizer.ggml.tokens': { t: 'arr-str', v: vocab.tokens },
    'tokenizer.ggml.scores': { t: 'arr-f32', v: vocab.scores },
    'tokenizer.ggml.token_type': { t: 'arr-i32', v: vocab.types },
    'tokenizer.ggml.bos_token_id': { t: 'u32', v: 1 },
    'tokenizer.ggml.eos_token_id': { t: 'u32', v: 2 },
    'tokenizer.ggml.unknown_token_id': { t: 'u32', v: 0 },
    'tokenizer.ggml.add_bos_token': { t: 'bool', v: true },
  };
  if (o.chatTemplate) meta['tokenizer.chat_template'] = { t: 'str', v: o.chatTemplate };
  for (const k of o.omit ?? []) delete meta[k];
  const r = rng(seed);
  const mat = (name: string, cols: number, rows: number, scale = 0.08): GgufTensor => {
    const data = new Float32Array(cols * rows);
    for (let i = 0; i < data.length; i++) data[i] = (r() * 2 - 1) * scale;
    return { name, dims: [cols, rows], type, data };
  };
  const norm = (name: string): GgufTensor => ({ name, dims: [embd], type: 'f32', data: new Float32Array(embd).fill(1) });
  const output = mat('output.weight', embd, nv, 0.5);
  // <unk>, <s> and </s> get zero logits, so greedy decoding (temperature 0) never ends a generation early:
  // tests that need a long generation rely on it.
  output.data.fill(0, 0, 3 * embd);
  const tensors: GgufTensor[] = [mat('token_embd.weight', embd, nv, 0.5), norm('output_norm.weight'), output];
  for (let l = 0; l < layers; l++) {
    const p = `blk.${l}.`;
    tensors.push(norm(`${p}attn_norm.weight`), mat(`${p}attn_q.weight`, embd, embd), mat(`${p}attn_k.weight`, embd, kv),
      mat(`${p}attn_v.weight`, embd, kv), mat(`${p}attn_output.weight`, embd, embd), norm(`${p}ffn_norm.weight`),
      mat(`${p}ffn_gate.weight`, embd, ff), mat(`${p}ffn_down.weight`, ff, embd), mat(`${p}ffn_up.weight`, embd, ff));
  }
  await writeGguf(path, meta, tensors);
}
