// The on-disk record: one line per entry, `<crc32 as 8 hex digits> <json>\n`. JSON escapes every
// newline and control character, so '\n' delimits records unambiguously; a reader that meets a bad
// line (torn by a power cut, or rotted) skips to the next '\n' and goes on. The CRC covers the JSON
// bytes. Lines stay greppable for an operator with only a shell.
import { crc32 } from './crc32.js';
import { isLevel, type JournalEntry } from './types.js';

const NL = 0x0a;
const SP = 0x20;

interface Wire {
  s: number;
  t: string;
  u: string;
  l: string;
  m: string;
  f: Record<string, string>;
}

/** The bytes of one record, newline included. */
export function encodeRecord(e: JournalEntry): Buffer {
  const wire: Wire = { s: e.seq, t: e.time, u: e.unit, l: e.level, m: e.message, f: e.fields };
  const json = Buffer.from(JSON.stringify(wire), 'utf8');
  const out = Buffer.allocUnsafe(json.length + 10);
  out.write(crc32(json).toString(16).padStart(8, '0'), 0, 'latin1');
  out[8] = SP;
  json.copy(out, 9);
  out[out.length - 1] = NL;
  return out;
}

function hexValue(b: Uint8Array, start: number): number {
  let v = 0;
  for (let i = start; i < start + 8; i++) {
    const c = b[i]!;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

function isStringMap(v: unknown): v is Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.values(v).every((x) => typeof x === 'string');
}

/** Decodes the line `bytes[start, end)` (without its '\n'); undefined when it is not a valid record. */
export function decodeRecord(bytes: Uint8Array, start: number, end: number): JournalEntry | undefined {
  if (end - start < 11 || bytes[start + 8] !== SP) return undefined;
  const want = hexValue(bytes, start);
  if (want < 0 || crc32(bytes, start + 9, end) !== want) return undefined;
  let w: Partial<Wire>;
  try {
    w = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + start + 9, end - start - 9).toString('utf8')) as Partial<Wire>;
  } catch {
    return undefined;
  }
  if (typeof w.s !== 'number' || typeof w.t !== 'string' || typeof w.u !== 'string' || !isLevel(w.l)) return undefined;
  if (typeof w.m !== 'string' || !isStringMap(w.f)) return undefined;
  return { seq: w.s, time: w.t, unit: w.u, level: w.l, message: w.m, fields: w.f };
}

export interface ScanResult {
  /** Valid records with the offset just past each one's '\n'. */
  records: { entry: JournalEntry; end: number }[];
  /** Offset just past the last valid record: everything after it is a torn or rotted tail. */
  validEnd: number;
  /** Complete lines that failed the check (blank lines do not count). */
  badLines: number;
}

/** Scans a whole segment held in memory. */
export function scanBuffer(buf: Uint8Array): ScanResult {
  const records: ScanResult['records'] = [];
  let validEnd = 0;
  let badLines = 0;
  let pos = 0;
  for (;;) {
    const nl = buf.indexOf(NL, pos);
    if (nl < 0) break;
    if (nl > pos) {
      const entry = decodeRecord(buf, pos, nl);
      if (entry) {
        records.push({ entry, end: nl + 1 });
        validEnd = nl + 1;
      } else badLines++;
    }
    pos = nl + 1;
  }
  return { records, validEnd, badLines };
}

/**
 * Decodes records from a byte stream, skipping bad lines and an unterminated tail. A record whose seq
 * is not above the previous one is dropped: a retried append after a failed write can leave a copy.
 */
export async function* recordsFromChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<JournalEntry> {
  let carry: Buffer = Buffer.alloc(0);
  let last = -Infinity;
  for await (const chunk of chunks) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(NL, pos);
      if (nl < 0) break;
      const e = nl > pos ? decodeRecord(buf, pos, nl) : undefined;
      if (e && e.seq > last) {
        last = e.seq;
        yield e;
      }
      pos = nl + 1;
    }
    // Copy, so the carry does not pin a large chunk the reader may reuse.
    carry = Buffer.from(buf.subarray(pos));
  }
}
