// The serial console of a VM as text: every line timestamped relative to QEMU's start, mirrored to a log
// file, and searchable by waiters that resolve the moment a marker appears (no fixed sleeps anywhere).
import { appendFileSync, writeFileSync } from 'node:fs';
import { VmExitedError, VmTimeoutError } from './errors.js';

/** One console line and the time its first byte arrived, in ms since QEMU was started. */
export interface ConsoleLine {
  tMs: number;
  text: string;
}

/** What `waitFor` found. */
export interface ConsoleMatch {
  /** The matched text (for a RegExp, `match[0]`). */
  match: string;
  /** RegExp capture groups (empty for a string marker). */
  groups: string[];
  /** Offset of the match in the whole console text. */
  index: number;
  /** The console text from the search start up to the end of the match. */
  text: string;
  /** ms since QEMU start when the line holding the end of the match began. */
  tMs: number;
}

export interface WaitOptions {
  /** Give up after this long (default 180 s: TCG boots on a shared 2-core machine). */
  timeoutMs?: number;
  /** Offset in the console text to search from. Default: the end of the previous match, so sequential
   * waits for the same marker (e.g. across a reboot) find successive occurrences. */
  from?: number;
}

interface Waiter {
  check(): boolean;
  fail(err: Error): void;
}

const TAIL_CHARS = 3000;
// Escape sequences that shells and Node's REPL emit (cursor queries, colours) would break markers.
const ANSI = /\x1b\[[0-9;?=]*[A-Za-z]|\x1b[()][A-Z0-9]|\r/g;

export class ConsoleLog {
  private raw = '';
  private text = '';
  private readonly lineList: ConsoleLine[] = [];
  private atLineStart = true;
  private cursor = 0;
  private readonly waiters = new Set<Waiter>();
  private ended: string | undefined;
  /** An escape sequence split across two reads is held back until its end arrives. */
  private pending = '';

  constructor(private readonly startMs: number, private readonly mirrorPath?: string) {
    if (mirrorPath) writeFileSync(mirrorPath, '');
  }

  /** Appends a chunk from the serial port and wakes waiters. */
  append(chunk: string): void {
    const now = performance.now() - this.startMs;
    this.raw += chunk;
    let joined = this.pending + chunk;
    const partial = /\x1b(\[[0-9;?=]*|[()])?$/.exec(joined);
    this.pending = partial ? partial[0] : '';
    if (partial) joined = joined.slice(0, partial.index);
    const clean = joined.replace(ANSI, '');
    for (const part of clean.split(/(?<=\n)/)) {
      if (part === '') continue;
      if (this.atLineStart || this.lineList.length === 0) this.lineList.push({ tMs: now, text: '' });
      const last = this.lineList[this.lineList.length - 1]!;
      last.text += part.replace(/\n$/, '');
      this.atLineStart = part.endsWith('\n');
    }
    this.text += clean;
    if (this.mirrorPath) appendFileSync(this.mirrorPath, chunk);
    for (const w of [...this.waiters]) if (w.check()) this.waiters.delete(w);
  }

  /** Marks the console as finished (QEMU exited): pending and later waits fail at once. */
  end(reason: string): void {
    this.ended = reason;
    for (const w of [...this.waiters]) w.fail(new Error(reason));
    this.waiters.clear();
  }

  /** Everything printed so far, escape sequences and carriage returns removed. */
  all(): string {
    return this.text;
  }

  /** The bytes as QEMU sent them. */
  rawText(): string {
    return this.raw;
  }

  lines(): ConsoleLine[] {
    return this.lineList.map((l) => ({ ...l }));
  }

  tail(chars = TAIL_CHARS): string {
    return this.text.slice(-chars);
  }

  /** ms since start of the line that holds text offset `index`. */
  timeAt(index: number): number {
    let pos = 0;
    for (const line of this.lineList) {
      pos += line.text.length + 1;
      if (index < pos) return line.tMs;
    }
    return this.lineList[this.lineList.length - 1]?.tMs ?? 0;
  }

  /**
   * Resolves when `marker` appears in the console after `from`.
   * @throws VmTimeoutError after `timeoutMs`; VmExitedError when QEMU exits first. Both name the marker and
   *   carry the console tail.
   */
  waitFor(marker: string | RegExp, opts: WaitOptions = {}): Promise<ConsoleMatch> {
    const timeoutMs = opts.timeoutMs ?? 180_000;
    const from = opts.from ?? this.cursor;
    const label = typeof marker === 'string' ? JSON.stringify(marker) : String(marker);
    return new Promise<ConsoleMatch>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        check: () => {
          const found = this.search(marker, from);
          if (!found) return false;
          clearTimeout(timer);
          this.cursor = found.index + found.match.length;
          resolve(found);
          return true;
        },
        fail: (cause) => {
          clearTimeout(timer);
          const tail = this.tail();
          reject(new VmExitedError(`Cannot find ${label} on the console: ${cause.message}\n--- console tail ---\n${tail}`, label, tail, { cause }));
        },
      };
      if (waiter.check()) return;
      if (this.ended !== undefined) return waiter.fail(new Error(this.ended));
      timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const tail = this.tail();
        reject(new VmTimeoutError(`Cannot find ${label} on the console within ${timeoutMs} ms\n--- console tail ---\n${tail}`, label, tail));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private search(marker: string | RegExp, from: number): ConsoleMatch | undefined {
    const hay = this.text.slice(from);
    let index: number;
    let match: string;
    let groups: string[] = [];
    if (typeof marker === 'string') {
      index = hay.indexOf(marker);
      if (index < 0) return undefined;
      match = marker;
    } else {
      const re = new RegExp(marker.source, marker.flags.replace('g', ''));
      const m = re.exec(hay);
      if (!m) return undefined;
      index = m.index;
      match = m[0];
      groups = m.slice(1).map((g) => g ?? '');
    }
    const abs = from + index;
    return { match, groups, index: abs, text: hay.slice(0, index + match.length), tMs: this.timeAt(abs + match.length - 1) };
  }
}
