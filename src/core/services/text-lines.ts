// Service output as text lines, for readiness checks that wait for a line matching a pattern. The
// journal gets the exact bytes separately; this is only a lenient view (bad bytes become U+FFFD).
import { TextDecoder } from 'node:util';
import type { Stream } from './ports.js';

const MAX_LINE = 16 * 1024;

export interface TextLines {
  push(stream: Stream, chunk: Uint8Array): void;
  end(stream: Stream): void;
}

/** Calls `line` once per line of either stream; a line longer than 16 Ki characters comes in pieces. */
export function textLines(line: (text: string) => void): TextLines {
  const state = new Map<Stream, { dec: TextDecoder; buf: string }>();
  const of = (s: Stream): { dec: TextDecoder; buf: string } => {
    let st = state.get(s);
    if (!st) state.set(s, (st = { dec: new TextDecoder('utf-8'), buf: '' }));
    return st;
  };
  const drain = (st: { buf: string }): void => {
    let nl: number;
    while ((nl = st.buf.indexOf('\n')) >= 0) {
      line(st.buf.slice(0, nl));
      st.buf = st.buf.slice(nl + 1);
    }
    while (st.buf.length > MAX_LINE) {
      line(st.buf.slice(0, MAX_LINE));
      st.buf = st.buf.slice(MAX_LINE);
    }
  };
  return {
    push(s, chunk) {
      const st = of(s);
      st.buf += st.dec.decode(chunk, { stream: true });
      drain(st);
    },
    end(s) {
      const st = of(s);
      st.buf += st.dec.decode();
      drain(st);
      if (st.buf) line(st.buf);
      state.delete(s);
    },
  };
}
