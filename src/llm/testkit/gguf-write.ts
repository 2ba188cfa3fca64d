// A minimal GGUF v3 writer for tests and benchmarks: metadata of the kinds llama.cpp reads and F32, F16
// or Q8_0 tensors. The train helper ships the real writer; this one exists so src/llm tests need nothing else.
import { open } from 'node:fs/promises';

export type GgufValue =
  | { t: 'u32'; v: number } | { t: 'i32'; v: number } | { t: 'f32'; v: number } | { t: 'bool'; v: boolean }
  | { t: 'str'; v: string } | { t: 'u64'; v: bigint }
  | { t: 'arr-str'; v: string[] } | { t: 'arr-f32'; v: number[] } | { t: 'arr-i32'; v: number[] };

export type TensorType = 'f32' | 'f16' | 'q8_0';
export interface GgufTensor { name: string; dims: number[]; type: TensorType; data: Float32Array }

const GT = { u32: 4, i32: 5, f32: 6, bool: 7, str: 8, arr: 9, u64: 10 } as const;
const GGML = { f32: 0, f16: 1, q8_0: 8 } as const;
const ALIGN = 32;

class Buf {
  parts: Buffer[] = [];
  len = 0;
  push(b: Buffer): void { this.parts.push(b); this.len += b.length; }
  u32(n: number): void { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); this.push(b); }
  i32(n: number): void { const b = Buffer.alloc(4); b.writeInt32LE(n); this.push(b); }
  u64(n: bigint | number): void { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); this.push(b); }
  f32(n: number): void { const b = Buffer.alloc(4); b.writeFloatLE(n); this.push(b); }
  str(s: string): void { const b = Buffer.from(s, 'utf8'); this.u64(b.length); this.push(b); }
}

function writeValue(b: Buf, val: GgufValue): void {
  switch (val.t) {
    case 'u32': b.u32(GT.u32); b.u32(val.v); break;
    case 'i32': b.u32(GT.i32); b.i32(val.v); break;
    case 'f32': b.u32(GT.f32); b.f32(val.v); break;
    case 'bool': b.u32(GT.bool); b.push(Buffer.from([val.v ? 1 : 0])); break;
    case 'str': b.u32(GT.str); b.str(val.v); break;
    case 'u64': b.u32(GT.u64); b.u64(val.v); break;
    case 'arr-str': b.u32(GT.arr); b.u32(GT.str); b.u64(val.v.length); for (const s of val.v) b.str(s); break;
    case 'arr-f32': b.u32(GT.arr); b.u32(GT.f32); b.u64(val.v.length); for (const x of val.v) b.f32(x); break;
    case 'arr-i32': b.u32(GT.arr); b.u32(GT.i32); b.u64(val.v.length); for (const x of val.v) b.i32(x); break;
  }
}

function f16(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  const mant = u & 0x7fffff;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | (mant >>> 13);
}

/** Encodes a tensor's values in its GGML type (Q8_0: blocks of 32 = f16 scale + 32 int8). */
export function encodeTensor(t: GgufTensor): Buffer {
  if (t.type === 'f32') return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (t.type === 'f16') {
    const out = Buffer.alloc(t.data.length * 2);
    for (let i = 0; i < t.data.length; i++) out.writeUInt16LE(f16(t.data[i]!), i * 2);
    return out;
  }
  if (t.data.length % 32 !== 0) throw new Error(`Cannot encode tensor "${t.name}" as Q8_0: ${t.data.length} values is not a multiple of 32`);
  const blocks = t.data.length / 32;
  const out = Buffer.alloc(blocks * 34);
  for (let bI = 0; bI < blocks; bI++) {
    let amax = 0;
    for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(t.data[bI * 32 + j]!));
    const d = amax / 127;
    out.writeUInt16LE(f16(d), bI * 34);
    for (let j = 0; j < 32; j++) out.writeInt8(d === 0 ? 0 : Math.max(-127, Math.min(127, Math.round(t.data[bI * 32 + j]! / d))), bI * 34 + 2 + j);
  }
  return out;
}

const pad = (n: number): number => (ALIGN - (n % ALIGN)) % ALIGN;

/** Writes a GGUF v3 file: metadata in the given order, tensors aligned to 32 bytes. */
export async function writeGguf(path: string, meta: Record<string, GgufValue>, tensors: GgufTensor[]): Promise<void> {
  const head = new Buf();
  head.push(Buffer.from('GGUF', 'latin1'));
  head.u32(3);
  head.u64(tensors.length);
  head.u64(Object.keys(meta).length);
  for (const [k, v] of Object.entries(meta)) { head.str(k); writeValue(head, v); }
  const encoded = tensors.map(encodeTensor);
  let offset = 0;
  tensors.forEach((t, i) => {
    head.str(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(GGML[t.type]);
    head.u64(offset);
    offset += encoded[i]!.length + pad(encoded[i]!.length);
  });
  head.push(Buffer.alloc(pad(head.len)));
  const fh = await open(path, 'w');
  try {
    await fh.write(Buffer.concat(head.parts));
    for (const e of encoded) { await fh.write(e); await fh.write(Buffer.alloc(pad(e.length))); }
  } finally {
    await fh.close();
  }
}
