// The one GGUF header parser, whole-buffer and prefix-on-disk: they agree, the disk read grows its prefix
// past 1 MiB when a header needs it, reads no tensor data, and corrupt counts end as GgufFormatError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkGguf, readGgufHeader } from './header-file.js';
import { parseGgufHeader } from './header.js';
import { parseGguf } from './reader.js';
import { TT } from './types.js';
import { encodeGguf } from './writer.js';

const dir = mkdtempSync(join(tmpdir(), 'gguf-header-'));
const small = encodeGguf([['general.architecture', { type: 'str', value: 'llama' }], ['a.n', { type: 'u32', value: 7 }]],
  [{ name: 't', dims: [64], type: TT.F32, data: new Float32Array(64).fill(0.5) }]);
const isFormatError = (e: Error) => e.name === 'GgufFormatError';

test('reads a header larger than the first 1 MiB read, the same as the whole-buffer parse', async () => {
  const vocab = Array.from({ length: 40_000 }, (_, i) => `token-${i}-${'x'.repeat(40)}`);
  const bytes = encodeGguf([['general.architecture', { type: 'str', value: 'llama' }], ['tokenizer.ggml.tokens', { type: 'arr', of: 'str', value: vocab }]],
    [{ name: 'w', dims: [32, 2], type: TT.F32, data: new Float32Array(64) }]);
  assert.ok(bytes.length > 2 << 20);
  writeFileSync(join(dir, 'big.gguf'), bytes);
  const h = await readGgufHeader(join(dir, 'big.gguf'));
  const whole = parseGgufHeader(bytes);
  assert.deepEqual(h, { ...whole });
  assert.equal((h.kv.get('tokenizer.ggml.tokens') as string[])[39_999], vocab[39_999]);
  assert.equal(h.requiredSize, bytes.length);
});

test('the disk read and the buffer parse agree on every cut of a file (property)', async () => {
  await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: small.length }), async (n) => {
    const p = join(dir, 'cut.gguf');
    writeFileSync(p, small.subarray(0, n));
    const fromDisk = await readGgufHeader(p).then((h) => h, (e: Error) => e);
    let fromBuffer: unknown;
    try { fromBuffer = parseGgufHeader(small.subarray(0, n), p); } catch (e) { fromBuffer = e; }
    if (fromDisk instanceof Error) {
      assert.ok(isFormatError(fromDisk), String(fromDisk.stack));
      assert.equal(fromDisk.message, (fromBuffer as Error).message);
    } else assert.deepEqual(fromDisk, fromBuffer);
  }), { numRuns: 120 });
});

test('a file cut in its tensor data has a readable header; the checks name the truncation', async () => {
  const p = join(dir, 'short.gguf');
  writeFileSync(p, small.subarray(0, small.length - 10));
  const h = await readGgufHeader(p);
  assert.equal(h.kv.get('a.n'), 7);
  assert.equal(h.requiredSize, small.length);
  await assert.rejects(checkGguf(p), { name: 'GgufFormatError', message: `the file is truncated: its tensors need ${small.length} bytes, the file has ${small.length - 10}` });
  assert.throws(() => parseGguf(small.subarray(0, small.length - 10), 'short'), { name: 'GgufFormatError', message: 'Cannot read GGUF "short": tensor "t" runs past the end of the file' });
});

test('corrupt structure is a GgufFormatError, never a stack overflow or a bad alignment', () => {
  // One metadata key whose value is an array of arrays of arrays ... 2,000 deep.
  const head = Buffer.alloc(24);
  head.write('GGUF', 0, 'latin1'); head.writeUInt32LE(3, 4); head.writeBigUInt64LE(0n, 8); head.writeBigUInt64LE(1n, 16);
  const key = Buffer.alloc(9); key.writeBigUInt64LE(1n); key.write('k', 8);
  const arrType = Buffer.alloc(4); arrType.writeUInt32LE(9);
  // Each level: element type "array", one element (which is the next level).
  const level = Buffer.alloc(12); level.writeUInt32LE(9, 0); level.writeBigUInt64LE(1n, 4);
  const deep = Buffer.concat([head, key, arrType, ...Array.from({ length: 2000 }, () => level)]);
  assert.throws(() => parseGgufHeader(deep, 'deep'), { name: 'GgufFormatError', message: /arrays nested deeper than 4/ });
  const zeroAlign = encodeGguf([['general.alignment', { type: 'u32', value: 0 }]], []);
  assert.throws(() => parseGgufHeader(zeroAlign, 'z'), { name: 'GgufFormatError', message: 'Cannot read GGUF "z": general.alignment 0 is not a positive integer' });
  const textAlign = encodeGguf([['general.alignment', { type: 'str', value: '32' }]], []);
  assert.throws(() => parseGgufHeader(textAlign, 't'), isFormatError);
});

test('a file without an architecture fails the check by name', async () => {
  const p = join(dir, 'noarch.gguf');
  writeFileSync(p, encodeGguf([['a.n', { type: 'u32', value: 1 }]], []));
  await assert.rejects(checkGguf(p), { name: 'GgufFormatError', message: 'the metadata has no "general.architecture"' });
});
