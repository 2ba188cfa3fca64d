// GGUF v3 reader: a whole file's header (src/train/gguf/header.ts, the one parser) and F32/F16/Q8_0 tensors
// back to Float32Array.
import { GgufFormatError } from '../errors.js';
import { fromHalf } from './half.js';
import { parseGgufHeader, type GgufHeader } from './header.js';
import { TT, ggmlTensorBytes } from './types.js';

/** A whole GGUF in memory: its header and the bytes its tensors are read from. */
export interface GgufFile extends GgufHeader {
  bytes: Buffer;
}

/**
 * Parses a GGUF buffer and checks that every tensor of a known type lies inside it.
 * @throws GgufFormatError on a bad magic, version, truncation or an unknown value type
 */
export function parseGguf(bytes: Buffer, label = 'buffer'): GgufFile {
  const h = parseGgufHeader(bytes, label);
  for (const t of h.tensors) {
    const n = ggmlTensorBytes(t.type, t.dims.reduce((a, b) => a * b, 1));
    if (n !== null && t.offset + n > bytes.length) {
      throw new GgufFormatError(`Cannot read GGUF "${label}": tensor "${t.name}" runs past the end of the file`);
    }
  }
  return { ...h, bytes };
}

/**
 * A tensor's values as F32.
 * @throws GgufFormatError for a missing tensor or an unsupported type
 */
export function readTensor(f: GgufFile, name: string): Float32Array {
  const t = f.tensors.find((x) => x.name === name);
  if (!t) throw new GgufFormatError(`Cannot find tensor "${name}" in the GGUF`);
  const n = t.dims.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const b = f.bytes;
  if (t.type === TT.F32) for (let i = 0; i < n; i++) out[i] = b.readFloatLE(t.offset + 4 * i);
  else if (t.type === TT.F16) for (let i = 0; i < n; i++) out[i] = fromHalf(b.readUInt16LE(t.offset + 2 * i));
  else if (t.type === TT.Q8_0) {
    for (let blk = 0; blk < n / 32; blk++) {
      const d = fromHalf(b.readUInt16LE(t.offset + blk * 34));
      for (let i = 0; i < 32; i++) out[blk * 32 + i] = d * b.readInt8(t.offset + blk * 34 + 2 + i);
    }
  } else throw new GgufFormatError(`Cannot read tensor "${name}": ggml type ${t.type} is not F32, F16 or Q8_0`);
  return out;
}
