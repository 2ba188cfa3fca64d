// GET /v1/events: server-sent events of status changes (`event: status`) and journal lines
// (`event: journal`), filtered by unit, level, text and time, until the client goes, the server closes,
// or (with `until`) that time has passed: then `event: end` and the stream closes.
// A client that cannot keep up (8 MiB unsent) is cut off rather than let dialogosd's memory grow.
import type { z } from 'zod';
import { startSse, writeSse } from '../../std/index.js';
import { parseTime } from '../journal/index.js';
import type { RouteContext } from './routes.js';
import type { eventsQuery } from './schemas.js';

const MAX_UNSENT = 8 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export async function serveEvents(c: RouteContext, q: z.output<typeof eventsQuery>): Promise<void> {
  const { res } = c;
  const streams = new Set((q.streams ?? 'status,journal').split(','));
  const units = q.unit ? new Set(q.unit.split(',').filter(Boolean)) : null;
  // Times as /v1/journal takes them (digits = epoch ms); a bad one is a 400 before the stream starts.
  const time = (t: string | undefined): number | undefined => (t === undefined ? undefined : parseTime(/^\d+$/.test(t) ? Number(t) : t, Date.now()));
  const [since, until] = [time(q.since), time(q.until)];
  const ac = new AbortController();
  const end = (): void => ac.abort();
  // The response's close, not the request's: a request without a body closes once it was read.
  res.on('close', end);
  c.closing.addEventListener('abort', end, { once: true });
  startSse(res, 'no-store');
  const send = (event: string, data: unknown): void => {
    if (ac.signal.aborted || !writeSse(res, JSON.stringify(data), event)) return;
    if (res.writableLength > MAX_UNSENT) {
      writeSse(res, { name: 'SlowConsumer', message: 'the client fell behind; reconnect with afterSeq' }, 'error');
      end();
    }
  };
  send('hello', { streams: [...streams], units: units ? [...units] : null });
  const beat = setInterval(() => { if (!res.destroyed) res.write(': keep-alive\n\n'); }, HEARTBEAT_MS);
  const offStatus = streams.has('status')
    ? c.backend.board.subscribe((s) => { if (!units || units.has(s.name)) send('status', s); })
    : () => undefined;
  try {
    const j = c.backend.journal;
    if (streams.has('journal') && j) {
      const follow = j.follow(
        {
          ...(units ? { unit: [...units] } : {}), ...(q.level ? { minLevel: q.level } : {}), ...(q.grep ? { text: q.grep } : {}),
          ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}),
        },
        { backlog: q.backlog ?? (since !== undefined ? 100_000 : 0), signal: ac.signal },
      );
      try {
        for await (const e of follow) send('journal', e);
      } catch (err) {
        send('error', { name: (err as Error).name, message: (err as Error).message });
      }
    }
    if (until !== undefined && !ac.signal.aborted) {
      // Status changes have no backlog: they too stop at `until`.
      const left = until - Date.now();
      if (left > 0) await new Promise((r) => { const t = setTimeout(r, left); ac.signal.addEventListener('abort', () => { clearTimeout(t); r(undefined); }, { once: true }); });
      send('end', { reason: `until ${new Date(until).toISOString()} has passed` });
      end();
    }
    if (!ac.signal.aborted) await new Promise<void>((r) => ac.signal.addEventListener('abort', () => r(), { once: true }));
  } finally {
    clearInterval(beat);
    offStatus();
    res.off('close', end);
    c.closing.removeEventListener('abort', end);
    if (!res.destroyed) res.end();
  }
}
