// The one GGUF header parser: metadata and the tensor table, from a whole file in memory or from a prefix
// of one on disk (the llm service checks multi-GiB models without reading their tensors). Limits keep a
// corrupt count from becoming a huge allocation, a long loop or a deep recursion.
import { GgufFormatError } from '../errors.js';
import { ALIGNMENT, GT, ggmlTensorBytes } from './types.js';

export interface GgufTensorInfo {
  name: string;
  dims: number[];
  type: number;
  /** Absolute byte offset in the file. */
  offset: number;
}

export interface GgufHeader {
  version: number;
  kv: Map<string, unknown>;
  tensors: GgufTensorInfo[];
  /** Where tensor data starts. */
  dataOffset: number;
  /** The file size the tensor table implies (furthest tensor end); null if a tensor type is unknown. */
  requiredSize: number | null;
  fileSize: number;
}

const MAX_STRING = 64 * 1024 * 1024;
const MAX_ENTRIES = 1_000_000;
/** ggml's GGML_MAX_DIMS. */
const MAX_DIMS = 4;
/** GGUF arrays do not nest in practice; a deep nesting is a stack overflow waiting to happen. */
const MAX_NESTING = 4;

/** Thrown by the cursor when a prefix ends before the header does: read `need` bytes and parse again. */
export class PrefixEnds {
  constructor(readonly need: number) {}
}

class Cursor {
  p = 0;
  constructor(private readonly b: Buffer, private readonly fileSize: number, private readonly label: string) {}
  fail(what: string): never {
    throw new GgufFormatError(`Cannot read GGUF "${this.label}": ${what}`);
  }
  need(n: number): void {
    if (this.p + n <= this.b.length) return;
    if (this.p + n > this.fileSize) this.fail(`truncated at byte ${this.p} (needs ${n} more of ${this.fileSize})`);
    throw new PrefixEnds(this.p + n);
  }
  u32(): number { this.need(4); this.p += 4; return this.b.readUInt32LE(this.p - 4); }
  u64(): number {
    this.need(8); this.p += 8;
    const v = this.b.readBigUInt64LE(this.p - 8);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`count ${v} at byte ${this.p - 8} is absurd`);
    return Number(v);
  }
  str(): string {
    const n = this.u64();
    if (n > MAX_STRING) this.fail(`a string of ${n} bytes at byte ${this.p - 8} is absurd`);
    this.need(n); this.p += n;
    return this.b.toString('utf8', this.p - n, this.p);
  }
  fixed<T>(n: number, read: (at: number) => T): T { this.need(n); this.p += n; return read(this.p - n); }
  value(t: number, depth = 0): unknown {
    const b = this.b;
    switch (t) {
      case GT.u8: return this.fixed(1, (at) => b.readUInt8(at));
      case GT.i8: return this.fixed(1, (at) => b.readInt8(at));
      case GT.u16: return this.fixed(2, (at) => b.readUInt16LE(at));
      case GT.i16: return this.fixed(2, (at) => b.readInt16LE(at));
      case GT.u32: return this.u32();
      case GT.i32: return this.fixed(4, (at) => b.readInt32LE(at));
      case GT.f32: return this.fixed(4, (at) => b.readFloatLE(at));
      case GT.bool: return this.fixed(1, (at) => b.readUInt8(at) !== 0);
      case GT.str: return this.str();
      case GT.u64: return this.u64();
      case GT.i64: return this.fixed(8, (at) => Number(b.readBigInt64LE(at)));
      case GT.f64: return this.fixed(8, (at) => b.readDoubleLE(at));
      case GT.arr: return this.array(depth);
      default: return this.fail(`unknown value type ${t} at byte ${this.p - 4}`);
    }
  }
  private array(depth: number): unknown[] {
    if (depth >= MAX_NESTING) this.fail(`arrays nested deeper than ${MAX_NESTING} at byte ${this.p}`);
    const et = this.u32();
    const n = this.u64();
    // Every element takes at least one byte, so a count past the file size is a lie.
    if (n > this.fileSize) this.fail(`array of ${n} elements in a ${this.fileSize}-byte file`);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(this.value(et, depth + 1));
    return out;
  }
}

/**
 * Parses the header from `prefix`, the first bytes of a file of `fileSize` bytes.
 * @throws GgufFormatError naming what is wrong; PrefixEnds when the prefix is too short to tell
 */
export function parseGgufPrefix(prefix: Buffer, fileSize: number, label: string): GgufHeader {
  const c = new Cursor(prefix, fileSize, label);
  c.need(4);
  if (prefix.toString('latin1', 0, 4) !== 'GGUF') c.fail('not a GGUF file (bad magic)');
  c.p = 4;
  const version = c.u32();
  if (version !== 3 && version !== 2) c.fail(`version ${version} (this reader knows 2 and 3)`);
  const nTensors = c.u64();
  const nKv = c.u64();
  if (nTensors > MAX_ENTRIES || nKv > MAX_ENTRIES) c.fail(`${nTensors} tensors and ${nKv} metadata keys is absurd`);
  const kv = new Map<string, unknown>();
  for (let i = 0; i < nKv; i++) { const k = c.str(); kv.set(k, c.value(c.u32())); }
  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < nTensors; i++) {
    const name = c.str();
    const nd = c.u32();
    if (nd > MAX_DIMS) c.fail(`tensor "${name}" has ${nd} dimensions`);
    const dims = Array.from({ length: nd }, () => c.u64());
    tensors.push({ name, dims, type: c.u32(), offset: c.u64() });
  }
  const a = kv.get('general.alignment') ?? ALIGNMENT;
  const align = typeof a === 'number' && Number.isInteger(a) && a >= 1 ? a : c.fail(`general.alignment ${String(a)} is not a positive integer`);
  const dataOffset = Math.ceil(c.p / align) * align;
  let requiredSize: number | null = dataOffset;
  for (const t of tensors) {
    t.offset += dataOffset;
    const bytes = ggmlTensorBytes(t.type, t.dims.reduce((a, b) => a * b, 1));
    requiredSize = bytes === null || requiredSize === null ? null : Math.max(requiredSize, t.offset + bytes);
  }
  return { version, kv, tensors, dataOffset, requiredSize, fileSize };
}

/**
 * Parses the header of a whole GGUF file held in memory.
 * @throws GgufFormatError on a bad magic, version, truncation, absurd count or an unknown value type
 */
export function parseGgufHeader(bytes: Buffer, label = 'buffer'): GgufHeader {
  // With the whole file at hand the cursor reports truncation itself; PrefixEnds cannot happen.
  return parseGgufPrefix(bytes, bytes.length, label);
}
