// Reads a GGUF file's header (metadata and tensor table) without llama.cpp, to reject truncated or corrupt
// files with a clear message before any worker loads them, and to describe models in the store.
import { open, type FileHandle } from 'node:fs/promises';

export class GgufFormatError extends Error {
  override name = 'GgufFormatError';
}

export interface GgufHeader {
  version: number;
  metadata: Record<string, unknown>;
  tensors: { name: string; dims: number[]; type: number; offset: number }[];
  /** Where tensor data starts. */
  dataOffset: number;
  /** The file size the tensor table implies (data offset + furthest tensor end); null if a type is unknown. */
  requiredSize: number | null;
  fileSize: number;
}

// [bytes per block, values per block] of GGML types this check knows.
const TYPE_SIZE: Record<number, [number, number]> = {
  0: [4, 1], 1: [2, 1], 2: [18, 32], 3: [20, 32], 6: [22, 32], 7: [24, 32], 8: [34, 32], 9: [36, 32],
  10: [84, 256], 11: [110, 256], 12: [144, 256], 13: [176, 256], 14: [210, 256], 15: [292, 256],
  24: [1, 1], 25: [2, 1], 26: [4, 1], 27: [8, 1], 28: [8, 1], 30: [2, 1],
};

class Reader {
  pos = 0;
  constructor(private buf: Buffer, private readonly fh: FileHandle, private readonly size: number) {}
  private async need(n: number): Promise<void> {
    if (this.pos + n <= this.buf.length) return;
    if (this.pos + n > this.size) throw new GgufFormatError(`the header ends past the end of the file (needs byte ${this.pos + n}, file has ${this.size}): truncated or not a GGUF file`);
    if (this.pos + n > 512 * 1024 * 1024) throw new GgufFormatError('the header is larger than 512 MiB: corrupt');
    const want = Math.min(this.size, Math.max(this.buf.length * 2, this.pos + n));
    const b = Buffer.alloc(want);
    await this.fh.read(b, 0, want, 0);
    this.buf = b;
  }
  async u32(): Promise<number> { await this.need(4); const v = this.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  async u64(): Promise<number> {
    await this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufFormatError(`a length of ${v} at byte ${this.pos - 8} is absurd: corrupt`);
    return Number(v);
  }
  async str(): Promise<string> {
    const n = await this.u64();
    if (n > 64 * 1024 * 1024) throw new GgufFormatError(`a string of ${n} bytes at byte ${this.pos - 8} is absurd: corrupt`);
    await this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  async scalar(t: number): Promise<unknown> {
    const sizes: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
    if (t === 8) return this.str();
    const n = sizes[t];
    if (n === undefined) throw new GgufFormatError(`unknown metadata value type ${t} at byte ${this.pos}: corrupt`);
    await this.need(n);
    const b = this.buf, p = this.pos;
    this.pos += n;
    switch (t) {
      case 0: return b.readUInt8(p);
      case 1: return b.readInt8(p);
      case 2: return b.readUInt16LE(p);
      case 3: return b.readInt16LE(p);
      case 4: return b.readUInt32LE(p);
      case 5: return b.readInt32LE(p);
      case 6: return b.readFloatLE(p);
      case 7: return b.readUInt8(p) !== 0;
      case 10: return Number(b.readBigUInt64LE(p));
      case 11: return Number(b.readBigInt64LE(p));
      default: return b.readDoubleLE(p);
    }
  }
  async value(t: number): Promise<unknown> {
    if (t !== 9) return this.scalar(t);
    const et = await this.u32();
    const n = await this.u64();
    if (n > 100_000_000) throw new GgufFormatError(`an array of ${n} items is absurd: corrupt`);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(await this.value(et));
    return out;
  }
}

/** Parses the header of the GGUF at `path`. Throws GgufFormatError naming what is wrong. */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const first = Buffer.alloc(Math.min(size, 1 << 20));
    await fh.read(first, 0, first.length, 0);
    if (size < 24 || first.toString('latin1', 0, 4) !== 'GGUF') throw new GgufFormatError(`not a GGUF file (it does not start with "GGUF"; ${size} bytes)`);
    const r = new Reader(first, fh, size);
    r.pos = 4;
    const version = await r.u32();
    if (version < 2 || version > 3) throw new GgufFormatError(`unsupported GGUF version ${version} (expected 2 or 3)`);
    const nTensors = await r.u64();
    const nKv = await r.u64();
    if (nTensors > 1_000_000 || nKv > 1_000_000) throw new GgufFormatError(`${nTensors} tensors and ${nKv} metadata keys is absurd: corrupt`);
    const metadata: Record<string, unknown> = {};
    for (let i = 0; i < nKv; i++) {
      const k = await r.str();
      metadata[k] = await r.value(await r.u32());
    }
    const tensors: GgufHeader['tensors'] = [];
    for (let i = 0; i < nTensors; i++) {
      const name = await r.str();
      const nd = await r.u32();
      if (nd > 8) throw new GgufFormatError(`tensor "${name}" has ${nd} dimensions: corrupt`);
      const dims: number[] = [];
      for (let d = 0; d < nd; d++) dims.push(await r.u64());
      tensors.push({ name, dims, type: await r.u32(), offset: await r.u64() });
    }
    const align = typeof metadata['general.alignment'] === 'number' ? (metadata['general.alignment'] as number) : 32;
    const dataOffset = Math.ceil(r.pos / align) * align;
    let requiredSize: number | null = dataOffset;
    for (const t of tensors) {
      const ts = TYPE_SIZE[t.type];
      if (!ts || requiredSize === null) { requiredSize = null; continue; }
      const n = t.dims.reduce((a, b) => a * b, 1);
      requiredSize = Math.max(requiredSize, dataOffset + t.offset + Math.ceil(n / ts[1]) * ts[0]);
    }
    return { version, metadata, tensors, dataOffset, requiredSize, fileSize: size };
  } finally {
    await fh.close();
  }
}

/** Parses and checks that every tensor lies inside the file. Throws GgufFormatError. */
export async function checkGguf(path: string): Promise<GgufHeader> {
  const h = await readGgufHeader(path);
  if (h.requiredSize !== null && h.requiredSize > h.fileSize) throw new GgufFormatError(`the file is truncated: its tensors need ${h.requiredSize} bytes, the file has ${h.fileSize}`);
  if (typeof h.metadata['general.architecture'] !== 'string') throw new GgufFormatError('the metadata has no "general.architecture"');
  return h;
}
