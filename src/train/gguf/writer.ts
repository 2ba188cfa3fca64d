// GGUF v3 writer: header, typed metadata, tensor infos, then tensor data aligned to general.alignment.
import { toHalf } from './half.js';
import { ALIGNMENT, GT, TT, tensorBytes, type GgufValue, type TensorIn } from './types.js';

class Out {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void { this.chunks.push(b); this.length += b.length; }
  u32(v: number): void { const b = Buffer.alloc(4); b.writeUInt32LE(v); this.push(b); }
  i32(v: number): void { const b = Buffer.alloc(4); b.writeInt32LE(v); this.push(b); }
  u64(v: number): void { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); this.push(b); }
  f32(v: number): void { const b = Buffer.alloc(4); b.writeFloatLE(v); this.push(b); }
  str(s: string): void { const b = Buffer.from(s, 'utf8'); this.u64(b.length); this.push(b); }
  pad(to: number): void { const n = (to - (this.length % to)) % to; if (n) this.push(Buffer.alloc(n)); }
  concat(): Buffer { return Buffer.concat(this.chunks, this.length); }
}

function writeValue(o: Out, v: GgufValue): void {
  switch (v.type) {
    case 'u32': o.u32(GT.u32); o.u32(v.value); break;
    case 'i32': o.u32(GT.i32); o.i32(v.value); break;
    case 'f32': o.u32(GT.f32); o.f32(v.value); break;
    case 'u64': o.u32(GT.u64); o.u64(v.value); break;
    case 'bool': o.u32(GT.bool); o.push(Buffer.from([v.value ? 1 : 0])); break;
    case 'str': o.u32(GT.str); o.str(v.value); break;
    case 'arr':
      o.u32(GT.arr); o.u32(GT[v.of]); o.u64(v.value.length);
      for (const e of v.value) {
        if (v.of === 'str') o.str(e as string);
        else if (v.of === 'i32') o.i32(e as number);
        else if (v.of === 'u32') o.u32(e as number);
        else o.f32(e as number);
      }
  }
}

/** Encodes one tensor's data in its type (Q8_0: blocks of 32 with an f16 scale). */
export function encodeTensor(t: TensorIn): Buffer {
  const n = t.data.length;
  if (t.type === TT.F32) return Buffer.from(new Float32Array(t.data).buffer);
  if (t.type === TT.F16) {
    const b = Buffer.alloc(2 * n);
    for (let i = 0; i < n; i++) b.writeUInt16LE(toHalf(t.data[i]!), 2 * i);
    return b;
  }
  if (n % 32 !== 0) throw new RangeError(`Cannot store tensor "${t.name}" as Q8_0: ${n} elements is not a multiple of 32`);
  const b = Buffer.alloc(tensorBytes(TT.Q8_0, n));
  for (let blk = 0; blk < n / 32; blk++) {
    let amax = 0;
    for (let i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(t.data[blk * 32 + i]!));
    const d = amax / 127;
    const id = d ? 1 / d : 0;
    b.writeUInt16LE(toHalf(d), blk * 34);
    for (let i = 0; i < 32; i++) b.writeInt8(Math.round(t.data[blk * 32 + i]! * id), blk * 34 + 2 + i);
  }
  return b;
}

/** Serialises a GGUF v3 file. */
export function encodeGguf(kv: [string, GgufValue][], tensors: TensorIn[]): Buffer {
  const o = new Out();
  o.push(Buffer.from('GGUF', 'latin1'));
  o.u32(3);
  o.u64(tensors.length);
  o.u64(kv.length);
  for (const [k, v] of kv) { o.str(k); writeValue(o, v); }
  const data = tensors.map(encodeTensor);
  let offset = 0;
  tensors.forEach((t, i) => {
    o.str(t.name);
    o.u32(t.dims.length);
    for (const d of t.dims) o.u64(d);
    o.u32(t.type);
    o.u64(offset);
    offset += data[i]!.length;
    offset += (ALIGNMENT - (offset % ALIGNMENT)) % ALIGNMENT;
  });
  o.pad(ALIGNMENT);
  for (const d of data) { o.push(d); o.pad(ALIGNMENT); }
  return o.concat();
}
