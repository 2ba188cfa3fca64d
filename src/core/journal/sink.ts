// Turns a service's stdout or stderr byte stream into journal entries, one per line, so that the
// journaled entries of a stream give back its exact bytes (`entryBytes`, `streamBytes`):
// - a line longer than `maxLineBytes` is split into pieces (fields `part` = 1, 2, ... and
//   `continues` = "true" on every piece but the last), never cut or dropped;
// - bytes that are not UTF-8 are kept whole in `raw_base64` (`invalid_utf8` = "true"; the message is a
//   readable rendering with U+FFFD), so binary output can neither be lost nor break a reader;
// - a leading `<N>` (sd-daemon syslog priority, 0-7) sets the level as systemd does (`priority` = N),
//   a trailing CR is dropped from the message (`cr` = "true"), and a last line without a newline at
//   the end of the stream is marked `no_newline` = "true".
import type { EntryInput, Level } from './types.js';

export interface LineSinkOptions {
  /** Recorded as the field `stream`. Default 'stdout'. */
  stream?: 'stdout' | 'stderr';
  /** Level of lines without a priority prefix. Default 'info'. */
  level?: Level;
  /** Longest piece of a line in one entry. Default 16 KiB (its base64 fits a journal field). */
  maxLineBytes?: number;
  /** Added to every entry (e.g. `pid`). */
  fields?: Record<string, string>;
  /** Honour `<N>` prefixes. Default true. */
  priorityPrefix?: boolean;
}

export interface LineSinkStats {
  /** Entries written (a split line counts once per piece). */
  lines: number;
  /** Lines longer than `maxLineBytes`, written in several pieces. */
  splitLines: number;
  invalidUtf8Lines: number;
  /** Bytes taken in, newlines included. */
  bytes: number;
}

export interface LineSink {
  /** Takes the next bytes of the stream, split anywhere (even inside a UTF-8 character). */
  write(chunk: Uint8Array | string): void;
  /** The stream ended: an unterminated last line is written too (`no_newline`). */
  end(): void;
  readonly stats: Readonly<LineSinkStats>;
}

const SYSLOG: Level[] = ['crit', 'crit', 'crit', 'error', 'warn', 'notice', 'info', 'debug'];
// ignoreBOM keeps a leading U+FEFF in the message, so that re-encoding it gives the same bytes.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** Where to cut `b` at most `max` bytes in without splitting a UTF-8 sequence. */
function utf8Boundary(b: Uint8Array, max: number): number {
  let i = max;
  // Back over continuation bytes (10xxxxxx), at most three, to the start of the character.
  while (i > 0 && max - i < 3 && (b[i]! & 0xc0) === 0x80) i--;
  return (b[i]! & 0xc0) === 0x80 || i === 0 ? max : i;
}

/** The exact bytes of the stream that a sink entry stands for (newline included where one followed). */
export function entryBytes(e: { message: string; fields?: Record<string, string> }): Buffer {
  const f = e.fields ?? {};
  const body = f.raw_base64 !== undefined ? Buffer.from(f.raw_base64, 'base64') : Buffer.from(e.message, 'utf8');
  return Buffer.concat([
    Buffer.from(f.priority !== undefined ? `<${f.priority}>` : ''),
    body,
    Buffer.from(f.cr === 'true' ? '\r' : ''),
    Buffer.from(f.continues === 'true' || f.no_newline === 'true' ? '' : '\n'),
  ]);
}

/** The bytes of one stream, from its entries in journal order (e.g. all `stream=stdout` entries of a unit). */
export function streamBytes(entries: Iterable<{ message: string; fields?: Record<string, string> }>): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) parts.push(entryBytes(e));
  return Buffer.concat(parts);
}

/** A sink that hands each complete line (or piece of an over-long one) to `write` as an entry of `unit`. */
export function createLineSink(write: (e: EntryInput) => void, unit: string, o: LineSinkOptions = {}): LineSink {
  const max = Math.max(4, o.maxLineBytes ?? 16 * 1024);
  const base = { ...o.fields, stream: o.stream ?? 'stdout' };
  const stats: LineSinkStats = { lines: 0, splitLines: 0, invalidUtf8Lines: 0, bytes: 0 };
  let parts: Buffer[] = [];
  let size = 0;
  let part = 0; // pieces of the current line written so far

  /** One entry: `piece` of the current line; `last` = the line ends here, `newline` = with a '\n'. */
  const emit = (piece: Buffer, last: boolean, newline: boolean): void => {
    let body = piece;
    const fields: Record<string, string> = { ...base };
    let level = o.level ?? 'info';
    if (part === 0 && (o.priorityPrefix ?? true) && body.length >= 3 && body[0] === 0x3c && body[2] === 0x3e && body[1]! >= 0x30 && body[1]! <= 0x37) {
      level = SYSLOG[body[1]! - 0x30]!;
      fields.priority = String.fromCharCode(body[1]!);
      body = body.subarray(3);
    }
    if (last && body.length > 0 && body[body.length - 1] === 0x0d) {
      body = body.subarray(0, body.length - 1);
      fields.cr = 'true';
    }
    let message: string;
    try {
      message = strict.decode(body);
    } catch {
      message = lenient.decode(body);
      fields.invalid_utf8 = 'true';
      fields.raw_base64 = body.toString('base64');
      stats.invalidUtf8Lines++;
    }
    if (part > 0 || !last) {
      fields.part = String(part + 1);
      if (part === 0) stats.splitLines++;
    }
    if (!last) fields.continues = 'true';
    else if (!newline) fields.no_newline = 'true';
    part = last ? 0 : part + 1;
    stats.lines++;
    write({ unit, level, message, fields });
  };

  const take = (bytes: Buffer): void => {
    stats.bytes += bytes.length;
    let pos = 0;
    while (pos < bytes.length) {
      const nl = bytes.indexOf(0x0a, pos);
      const end = nl < 0 ? bytes.length : nl;
      parts.push(bytes.subarray(pos, end));
      size += end - pos;
      // Over the cap: write full pieces now, keep the rest (a CR or a character may continue it).
      while (size > max) {
        const line = Buffer.concat(parts, size);
        const cutAt = utf8Boundary(line, max);
        emit(line.subarray(0, cutAt), false, false);
        parts = [line.subarray(cutAt)];
        size = line.length - cutAt;
      }
      if (nl < 0) break;
      emit(Buffer.concat(parts, size), true, true);
      parts = [];
      size = 0;
      pos = nl + 1;
    }
  };

  return {
    // Copy string input to bytes; copy byte chunks we keep, since a stream may reuse its buffer.
    write: (chunk) => take(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk)),
    end() {
      if (size > 0 || part > 0) emit(Buffer.concat(parts, size), true, false);
      parts = [];
      size = 0;
      part = 0;
    },
    stats,
  };
}
