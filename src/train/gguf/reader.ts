// GGUF v3 reader: metadata and tensor infos, and F32/F16/Q8_0 tensors back to Float32Array.
import { GgufFormatError } from '../errors.js';
import { fromHalf } from './half.js';
import { ALIGNMENT, GT, TT, tensorBytes, type TensorType } from './types.js';

export interface GgufTensorInfo {
  name: string;
  dims: number[];
  type: number;
  /** Absolute byte offset in the file. */
  offset: number;
}

export interface GgufFile {
  version: number;
  kv: Map<string, unknown>;
  tensors: GgufTensorInfo[];
  bytes: Buffer;
}

/**
 * Parses a GGUF buffer.
 * @throws GgufFormatError on a bad magic, version, truncation or an unknown value type
 */
export function parseGguf(bytes: Buffer, label = 'buffer'): GgufFile {
  let p = 0;
  const need = (n: number): void => {
    if (p + n > bytes.length) throw new GgufFormatError(`Cannot read GGUF "${label}": truncated at byte ${p} (needs ${n} more of ${bytes.length})`);
  };
  const u32 = (): number => { need(4); const v = bytes.readUInt32LE(p); p += 4; return v; };
  const u64 = (): number => {
    need(8); const v = bytes.readBigUInt64LE(p); p += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufFormatError(`Cannot read GGUF "${label}": count ${v} at byte ${p - 8} is absurd`);
    return Number(v);
  };
  const str = (): string => { const n = u64(); need(n); const s = bytes.toString('utf8', p, p + n); p += n; return s; };
  const value = (t: number): unknown => {
    switch (t) {
      case GT.u8: need(1); return bytes.readUInt8(p++);
      case GT.i8: need(1); return bytes.readInt8(p++);
      case GT.u16: need(2); p += 2; return bytes.readUInt16LE(p - 2);
      case GT.i16: need(2); p += 2; return bytes.readInt16LE(p - 2);
      case GT.u32: return u32();
      case GT.i32: need(4); p += 4; return bytes.readInt32LE(p - 4);
      case GT.f32: need(4); p += 4; return bytes.readFloatLE(p - 4);
      case GT.bool: need(1); return bytes.readUInt8(p++) !== 0;
      case GT.str: return str();
      case GT.u64: return u64();
      case GT.i64: need(8); p += 8; return Number(bytes.readBigInt64LE(p - 8));
      case GT.f64: need(8); p += 8; return bytes.readDoubleLE(p - 8);
      case GT.arr: {
        const et = u32();
        const n = u64();
        if (n > bytes.length) throw new GgufFormatError(`Cannot read GGUF "${label}": array of ${n} elements in a ${bytes.length}-byte file`);
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out.push(value(et));
        return out;
      }
      default: throw new GgufFormatError(`Cannot read GGUF "${label}": unknown value type ${t} at byte ${p - 4}`);
    }
  };
  need(8);
  if (bytes.toString('latin1', 0, 4) !== 'GGUF') throw new GgufFormatError(`Cannot read "${label}": not a GGUF file (bad magic)`);
  p = 4;
  const version = u32();
  if (version !== 3 && version !== 2) throw new GgufFormatError(`Cannot read GGUF "${label}": version ${version} (this reader knows 2 and 3)`);
  const nTensors = u64();
  const nKv = u64();
  const kv = new Map<string, unknown>();
  for (let i = 0; i < nKv; i++) { const k = str(); kv.set(k, value(u32())); }
  const infos: GgufTensorInfo[] = [];
  for (let i = 0; i < nTensors; i++) {
    const name = str();
    const nd = u32();
    if (nd > 4) throw new GgufFormatError(`Cannot read GGUF "${label}": tensor "${name}" has ${nd} dimensions`);
    const dims = Array.from({ length: nd }, u64);
    infos.push({ name, dims, type: u32(), offset: u64() });
  }
  const align = Number(kv.get('general.alignment') ?? ALIGNMENT);
  const dataStart = Math.ceil(p / align) * align;
  for (const t of infos) {
    t.offset += dataStart;
    const n = t.dims.reduce((a, b) => a * b, 1);
    if (![TT.F32, TT.F16, TT.Q8_0].includes(t.type as TensorType)) continue;
    if (t.offset + tensorBytes(t.type as TensorType, n) > bytes.length) {
      throw new GgufFormatError(`Cannot read GGUF "${label}": tensor "${t.name}" runs past the end of the file`);
    }
  }
  return { version, kv, tensors: infos, bytes };
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
