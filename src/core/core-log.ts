// dialogosd's own messages and its services' output, into the journal. Issue 2's console lines keep
// going to the console exactly as before (the VM tests read them); everything also lands in the
// journal, and new messages reach the console only when they are warnings or errors.
import type { Journal, Level, LineSink } from './journal/index.js';
import type { Console } from './ports.js';
import type { OutputSink, StatusBoard, Stream, UnitStatus } from './services/index.js';

export interface CoreLog {
  /** A console line of issue 2 (kept verbatim), also journaled. */
  console: Console;
  /** A journal-only message; warn and above also go to the console. */
  log(level: Level, message: string, fields?: Record<string, string>): void;
  /** A sink for one process's stdout or stderr: its exact bytes become journal lines (see journal/sink.ts). */
  output(unit: string, stream: Stream): OutputSink;
  /** Journals every status transition (state or reason change) with its reason. */
  watch(board: StatusBoard): () => void;
}

const UNIT = 'dialogosd';
const levelOf = (text: string): Level => (/\b(warning|cannot|failed)\b/i.test(text) ? 'warn' : 'info');

export function createCoreLog(con: Console, journal: Journal | null): CoreLog {
  const write = (unit: string, level: Level, message: string, fields?: Record<string, string>): void => {
    if (!journal) return;
    try {
      journal.write({ unit, level, message, ...(fields ? { fields } : {}) });
    } catch {
      // A closed journal (shutdown) or an entry it refuses must never stop dialogosd.
    }
  };
  return {
    console: { line(text) { con.line(text); write(UNIT, levelOf(text), text); } },
    log(level, message, fields) {
      write(UNIT, level, message, fields);
      if (level === 'warn' || level === 'error' || level === 'crit') con.line(`dialogos: ${level === 'warn' ? 'warning' : level}: ${message}`);
    },
    output(unit, stream) {
      let sink: LineSink | null = null;
      const guard = (f: () => void): void => {
        try {
          f();
        } catch {
          // As above: output that cannot be journaled is dropped, the service keeps running.
        }
      };
      if (journal) guard(() => { sink = journal.sink(unit, { stream }); });
      return {
        write(chunk) { if (sink) guard(() => sink!.write(chunk)); },
        end() { if (sink) guard(() => sink!.end()); },
      };
    },
    watch(board) {
      const last = new Map<string, string>();
      return board.subscribe((s: UnitStatus) => {
        const k = `${s.kind}/${s.name}`;
        const sig = `${s.state}\0${s.reason}`;
        if (last.get(k) === sig) return;
        last.set(k, sig);
        const level: Level = s.state === 'failed' || s.state === 'crash-loop' ? 'error' : 'notice';
        write(s.name, level, `${s.state}: ${s.reason}`, {
          event: 'status', state: s.state, ...(s.pid !== null ? { pid: String(s.pid) } : {}),
          ...(s.lastExit?.oom ? { oom: 'true' } : {}),
        });
      });
    },
  };
}
