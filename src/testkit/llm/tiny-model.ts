// Builds small llama-architecture GGUFs with random weights and a byte-level SentencePiece vocabulary, so the
// runtime can be tested and benchmarked without pretrained weights (none exist offline here).
import { writeFile } from 'node:fs/promises';
import { encodeGguf, TT, type GgufValue, type TensorIn } from '../../train/index.js';

/** Weight type of a tiny model's matrices. */
export type TensorType = 'f32' | 'f16' | 'q8_0';
const TENSOR_TYPE = { f32: TT.F32, f16: TT.F16, q8_0: TT.Q8_0 } as const;

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
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

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
    'general.architecture': { type: 'str', value: 'llama' },
    'general.name': { type: 'str', value: o.name ?? 'tiny-random' },
    'general.alignment': { type: 'u32', value: 32 },
    'llama.context_length': { type: 'u32', value: contextLength },
    'llama.embedding_length': { type: 'u32', value: embd },
    'llama.block_count': { type: 'u32', value: layers },
    'llama.feed_forward_length': { type: 'u32', value: ff },
    'llama.attention.head_count': { type: 'u32', value: heads },
    'llama.attention.head_count_kv': { type: 'u32', value: kvHeads },
    'llama.attention.layer_norm_rms_epsilon': { type: 'f32', value: 1e-5 },
    'llama.rope.dimension_count': { type: 'u32', value: embd / heads },
    'llama.vocab_size': { type: 'u32', value: nv },
    'tokenizer.ggml.model': { type: 'str', value: 'llama' },
    'tokenizer.ggml.tokens': { type: 'arr', of: 'str', value: vocab.tokens },
    'tokenizer.ggml.scores': { type: 'arr', of: 'f32', value: vocab.scores },
    'tokenizer.ggml.token_type': { type: 'arr', of: 'i32', value: vocab.types },
    'tokenizer.ggml.bos_token_id': { type: 'u32', value: 1 },
    'tokenizer.ggml.eos_token_id': { type: 'u32', value: 2 },
    'tokenizer.ggml.unknown_token_id': { type: 'u32', value: 0 },
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: true },
  };
  if (o.chatTemplate) meta['tokenizer.chat_template'] = { type: 'str', value: o.chatTemplate };
  for (const k of o.omit ?? []) delete meta[k];
  const r = rng(seed);
  const mat = (name: string, cols: number, rows: number, scale = 0.08): TensorIn => {
    const data = new Float32Array(cols * rows);
    for (let i = 0; i < data.length; i++) data[i] = (r() * 2 - 1) * scale;
    return { name, dims: [cols, rows], type: TENSOR_TYPE[type], data };
  };
  const norm = (name: string): TensorIn => ({ name, dims: [embd], type: TT.F32, data: new Float32Array(embd).fill(1) });
  const output = mat('output.weight', embd, nv, 0.5);
  // <unk>, <s> and </s> get zero logits, so greedy decoding (temperature 0) never ends a generation early:
  // tests that need a long generation rely on it.
  output.data.fill(0, 0, 3 * embd);
  const tensors: TensorIn[] = [mat('token_embd.weight', embd, nv, 0.5), norm('output_norm.weight'), output];
  for (let l = 0; l < layers; l++) {
    const p = `blk.${l}.`;
    tensors.push(norm(`${p}attn_norm.weight`), mat(`${p}attn_q.weight`, embd, embd), mat(`${p}attn_k.weight`, embd, kv),
      mat(`${p}attn_v.weight`, embd, kv), mat(`${p}attn_output.weight`, embd, embd), norm(`${p}ffn_norm.weight`),
      mat(`${p}ffn_gate.weight`, embd, ff), mat(`${p}ffn_down.weight`, ff, embd), mat(`${p}ffn_up.weight`, embd, ff));
  }
  await writeFile(path, encodeGguf(Object.entries(meta), tensors));
}
