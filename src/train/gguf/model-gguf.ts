// A dialogos-mini model as a llama-architecture GGUF (and back): every metadata key llama.cpp needs to load
// it, the byte-level "gpt2" vocabulary, and the tensors under llama.cpp's names. Norm gains stay F32
// (llama.cpp aborts on F16 norms).
import { GgufFormatError } from '../errors.js';
import { layoutOf, view, type ModelConfig } from '../model.js';
import { ggufVocabulary } from '../tokenizer.js';
import { parseGguf, readTensor } from './reader.js';
import { ALIGNMENT, TT, type GgufValue, type TensorIn, type TensorType } from './types.js';
import { encodeGguf } from './writer.js';

export type WeightType = 'f32' | 'f16' | 'q8_0';

export interface GgufExtras {
  name?: string;
  type?: WeightType;
  /** Provenance stored under dialogos.* keys: recipe JSON, corpus digest, steps. */
  provenance?: Record<string, string | number>;
}

const FILE_TYPE: Record<WeightType, number> = { f32: 0, f16: 1, q8_0: 7 };
const TENSOR_TYPE: Record<WeightType, TensorType> = { f32: TT.F32, f16: TT.F16, q8_0: TT.Q8_0 };

/** Serialises a model to GGUF v3 bytes. */
export function modelToGguf(c: ModelConfig, params: Float32Array, extras: GgufExtras = {}): Buffer {
  const type = extras.type ?? 'f32';
  const vocab = ggufVocabulary();
  const u32 = (value: number): GgufValue => ({ type: 'u32', value });
  const kv: [string, GgufValue][] = [
    ['general.architecture', { type: 'str', value: 'llama' }],
    ['general.name', { type: 'str', value: extras.name ?? 'dialogos-mini' }],
    ['general.file_type', u32(FILE_TYPE[type])],
    ['general.alignment', u32(ALIGNMENT)],
    ['llama.context_length', u32(c.context)],
    ['llama.embedding_length', u32(c.dim)],
    ['llama.block_count', u32(c.layers)],
    ['llama.feed_forward_length', u32(c.ffn)],
    ['llama.attention.head_count', u32(c.heads)],
    ['llama.attention.head_count_kv', u32(c.heads)],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: c.normEps }],
    ['llama.rope.dimension_count', u32(c.dim / c.heads)],
    ['llama.rope.freq_base', { type: 'f32', value: c.ropeBase }],
    ['llama.vocab_size', u32(c.vocab)],
    ['tokenizer.ggml.model', { type: 'str', value: 'gpt2' }],
    // A pre-tokenizer whose detokenizer keeps spaces verbatim ("default" turns " ..." into "..."); the split
    // itself cannot matter when every token is one byte.
    ['tokenizer.ggml.pre', { type: 'str', value: 'qwen2' }],
    ['tokenizer.ggml.tokens', { type: 'arr', of: 'str', value: vocab.tokens }],
    ['tokenizer.ggml.token_type', { type: 'arr', of: 'i32', value: vocab.types }],
    ['tokenizer.ggml.merges', { type: 'arr', of: 'str', value: vocab.merges }],
    ['tokenizer.ggml.bos_token_id', u32(vocab.eot)],
    ['tokenizer.ggml.eos_token_id', u32(vocab.eot)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ];
  for (const [k, v] of Object.entries(extras.provenance ?? {})) {
    kv.push([`dialogos.${k}`, typeof v === 'string' ? { type: 'str', value: v } : { type: 'u32', value: v }]);
  }
  const tensors: TensorIn[] = layoutOf(c).all.map((s) => {
    const isNorm = s.rows === 1;
    const t = isNorm || (type === 'q8_0' && s.cols % 32 !== 0) ? TT.F32 : TENSOR_TYPE[type];
    return { name: s.name, dims: isNorm ? [s.cols] : [s.cols, s.rows], type: t, data: view(params, s) };
  });
  return encodeGguf(kv, tensors);
}

/**
 * Reads a dialogos-mini (byte-vocabulary llama) GGUF back into a config and parameters.
 * @throws GgufFormatError when it is not a llama GGUF with the expected tensors
 */
export function ggufToModel(bytes: Buffer, label = 'model'): { config: ModelConfig; params: Float32Array; kv: Map<string, unknown> } {
  const f = parseGguf(bytes, label);
  const num = (k: string, fallback?: number): number => {
    const v = f.kv.get(k) ?? fallback;
    if (typeof v !== 'number') throw new GgufFormatError(`Cannot use GGUF "${label}": metadata "${k}" is missing`);
    return v;
  };
  if (f.kv.get('general.architecture') !== 'llama') throw new GgufFormatError(`Cannot use GGUF "${label}": architecture is "${String(f.kv.get('general.architecture'))}", not llama`);
  const config: ModelConfig = {
    vocab: num('llama.vocab_size', (f.kv.get('tokenizer.ggml.tokens') as unknown[] | undefined)?.length),
    dim: num('llama.embedding_length'), layers: num('llama.block_count'), heads: num('llama.attention.head_count'),
    ffn: num('llama.feed_forward_length'), context: num('llama.context_length'),
    normEps: num('llama.attention.layer_norm_rms_epsilon'), ropeBase: num('llama.rope.freq_base', 10000),
  };
  if (num('llama.attention.head_count_kv', config.heads) !== config.heads) throw new GgufFormatError(`Cannot use GGUF "${label}": grouped-query attention is not supported here`);
  const layout = layoutOf(config);
  const params = new Float32Array(layout.size);
  for (const s of layout.all) {
    const data = readTensor(f, s.name);
    if (data.length !== s.rows * s.cols) throw new GgufFormatError(`Cannot use GGUF "${label}": tensor "${s.name}" has ${data.length} values, expected ${s.rows * s.cols}`);
    params.set(data, s.offset);
  }
  return { config, params, kv: f.kv };
}
