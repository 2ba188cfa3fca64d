// Turns a service's stdout or stderr byte stream into journal entries, one per line. A line is cut at
// `maxLineBytes` (flagged `truncated`, the rest of it counted and dropped); bytes that are not UTF-8
// are replaced with U+FFFD, flagged `invalid_utf8`, and kept whole in `raw_base64`, so binary output
// is neither lost silently nor able to break a reader. A leading `<N>` (sd-daemon syslog priority,
// 0-7) sets the level, as systemd does for services.
import type { EntryInput, Level } from './types.js';

export interface LineSinkOptions {
  /** Recorded as the field `stream`. Default 'stdout'. */
  stream?: 'stdout' | 'stderr';
  /** Level of lines without a priority prefix. Default 'info'. */
  level?: Level;
  /** Default 16 KiB. */
  maxLineBytes?: number;
  /** Added to every entry (e.g. `pid`). */
  fields?: Record<string, string>;
  /** Honour `<N>` prefixes. Default true. */
  priorityPrefix?: boolean;
}

export interface LineSinkStats {
  lines: number;
  truncatedLines: number;
  invalidUtf8Lines: number;
  /** Bytes past `maxLineBytes` that were dropped. */
  droppedBytes: number;
}

export interface LineSink {
  /** Takes the next bytes of the stream, split anywhere (even inside a UTF-8 character). */
  write(chunk: Uint8Array | string): void;
  /** The stream ended: an unterminated last line is written too. */
  end(): void;
  readonly stats: Readonly<LineSinkStats>;
}

const SYSLOG: Level[] = ['crit', 'crit', 'crit', 'error', 'warn', 'notice', 'info', 'debug'];
const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Where to cut `b` at most `max` bytes in without splitting a UTF-8 sequence. */
function utf8Boundary(b: Uint8Array, max: number): number {
  let i = max;
  // Back over continuation bytes (10xxxxxx), at most three, to the start of the character.
  while (i > 0 && max - i < 3 && (b[i]! & 0xc0) === 0x80) i--;
  return (b[i]! & 0xc0) === 0x80 ? max : i;
}

/** A sink that hands each complete line to `write` as an entry of `unit`. */
export function createLineSink(write: (e: EntryInput) => void, unit: string, o: LineSinkOptions = {}): LineSink {
  const max = o.maxLineBytes ?? 16 * 1024;
  const base = { ...o.fields, stream: o.stream ?? 'stdout' };
  const stats: LineSinkStats = { lines: 0, truncatedLines: 0, invalidUtf8Lines: 0, droppedBytes: 0 };
  let parts: Buffer[] = [];
  let size = 0;
  let discarding = false;

  const emit = (line: Buffer, truncated: boolean): void => {
    let body = line;
    if (body.length > 0 && body[body.length - 1] === 0x0d) body = body.subarray(0, body.length - 1);
    let level = o.level ?? 'info';
    if ((o.priorityPrefix ?? true) && body.length >= 3 && body[0] === 0x3c && body[2] === 0x3e && body[1]! >= 0x30 && body[1]! <= 0x37) {
      level = SYSLOG[body[1]! - 0x30]!;
      body = body.subarray(3);
    }
    const fields: Record<string, string> = { ...base };
    let message: string;
    try {
      message = strict.decode(body);
    } catch {
      message = lenient.decode(body);
      fields.invalid_utf8 = 'true';
      fields.raw_base64 = body.toString('base64');
      stats.invalidUtf8Lines++;
    }
    if (truncated) {
      fields.truncated = 'true';
      stats.truncatedLines++;
    }
    stats.lines++;
    write({ unit, level, message, fields });
  };

  const take = (bytes: Buffer): void => {
    let pos = 0;
    while (pos < bytes.length) {
      const nl = bytes.indexOf(0x0a, pos);
      const end = nl < 0 ? bytes.length : nl;
      if (discarding) {
        stats.droppedBytes += end - pos;
      } else {
        parts.push(bytes.subarray(pos, end));
        size += end - pos;
        if (size > max) {
          const line = Buffer.concat(parts, size);
          const cutAt = utf8Boundary(line, max);
          emit(line.subarray(0, cutAt), true);
          stats.droppedBytes += size - cutAt;
          parts = [];
          size = 0;
          discarding = nl >= 0 ? false : true;
          if (nl < 0) break;
          pos = nl + 1;
          continue;
        }
      }
      if (nl < 0) break;
      if (!discarding) emit(Buffer.concat(parts, size), false);
      parts = [];
      size = 0;
      discarding = false;
      pos = nl + 1;
    }
  };

  return {
    // Copy string input to bytes; copy byte chunks we keep, since a stream may reuse its buffer.
    write: (chunk) => take(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk)),
    end() {
      if (size > 0 && !discarding) emit(Buffer.concat(parts, size), false);
      parts = [];
      size = 0;
      discarding = false;
    },
    stats,
  };
}
