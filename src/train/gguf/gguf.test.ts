// The GGUF writer and reader agree with each other, keep alignment, and the reader rejects damaged files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initParams, type ModelConfig } from '../model.js';
import { ggufToModel, modelToGguf } from './model-gguf.js';
import { parseGguf } from './reader.js';
import { encodeGguf } from './writer.js';
import { ALIGNMENT, TT } from './types.js';

const config: ModelConfig = { vocab: 257, dim: 32, layers: 2, heads: 4, ffn: 64, context: 16, normEps: 1e-5, ropeBase: 10000 };

test('a model round-trips through GGUF F32 exactly, with llama metadata and aligned tensors', () => {
  const params = initParams(config, 5);
  const bytes = modelToGguf(config, params, { provenance: { corpus_digest: 'abc', steps: 7 } });
  const back = ggufToModel(bytes);
  assert.deepEqual(back.config, { ...config, normEps: Math.fround(1e-5) });
  assert.deepEqual(back.params, params);
  const f = parseGguf(bytes);
  assert.equal(f.kv.get('general.architecture'), 'llama');
  assert.equal(f.kv.get('llama.rope.dimension_count'), 8);
  assert.equal(f.kv.get('dialogos.steps'), 7);
  assert.equal((f.kv.get('tokenizer.ggml.tokens') as string[]).length, 257);
  for (const t of f.tensors) assert.equal(t.offset % ALIGNMENT, 0, t.name);
  assert.deepEqual(f.tensors.map((t) => t.name).slice(0, 3), ['token_embd.weight', 'blk.0.attn_norm.weight', 'blk.0.attn_q.weight']);
});

test('F16 and Q8_0 stay close to F32 and keep norms in F32', () => {
  const params = initParams(config, 6);
  for (const [type, tol] of [['f16', 1e-4], ['q8_0', 2e-3]] as const) {
    const bytes = modelToGguf(config, params, { type });
    const f = parseGguf(bytes);
    assert.equal(f.tensors.find((t) => t.name === 'blk.0.attn_norm.weight')?.type, TT.F32);
    const back = ggufToModel(bytes).params;
    let worst = 0;
    for (let i = 0; i < params.length; i++) worst = Math.max(worst, Math.abs(back[i]! - params[i]!));
    assert.ok(worst < tol, `${type}: worst error ${worst}`);
  }
});

test('metadata values of every written type read back (property)', () => {
  fc.assert(fc.property(
    fc.string(), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.boolean(), fc.array(fc.string(), { maxLength: 5 }),
    (s, u, i, b, arr) => {
      const f = parseGguf(encodeGguf([
        ['a.s', { type: 'str', value: s }], ['a.u', { type: 'u32', value: u }], ['a.i', { type: 'i32', value: i }],
        ['a.b', { type: 'bool', value: b }], ['a.arr', { type: 'arr', of: 'str', value: arr }],
      ], []));
      assert.equal(f.kv.get('a.s'), s); assert.equal(f.kv.get('a.u'), u); assert.equal(f.kv.get('a.i'), i);
      assert.equal(f.kv.get('a.b'), b); assert.deepEqual(f.kv.get('a.arr'), arr);
    },
  ), { numRuns: 200 });
});

test('truncated or garbage files are rejected with GgufFormatError, never a crash', () => {
  const bytes = modelToGguf(config, initParams(config, 1));
  for (const cut of [0, 3, 10, 100, 5000, bytes.length - 1]) {
    assert.throws(() => ggufToModel(bytes.subarray(0, cut)), (e: Error) => e.name === 'GgufFormatError', `cut at ${cut}`);
  }
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => {
    try { parseGguf(Buffer.concat([Buffer.from('GGUF\x03\0\0\0'), Buffer.from(junk)])); } catch (e) {
      assert.equal((e as Error).name, 'GgufFormatError');
    }
  }), { numRuns: 300 });
});
