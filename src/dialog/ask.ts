// Answers to "why did X fail", "what changed since yesterday" and "what is slow" in retrieval mode:
// journal lines (seq and time), the generation store and the code diff of its newest generation, and
// the figures the benchmarks recorded (path:line). Each part that cannot be had says why.
import { fmtDiff, fmtJournal, type Formatted } from './format.js';
import type { ToolContext } from './tools.js';
import type { Citation, JournalLine } from './types.js';

const HOUR = 3_600_000;
const WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, 'a few': 3 };

/** The time a phrase ("yesterday", "3 days", "last week", "recently") reaches back to, from `now`. */
export function sinceTime(since: string, now: Date): Date {
  const day = new Date(now);
  day.setUTCHours(0, 0, 0, 0);
  if (since === 'today' || since === 'this morning') return day;
  if (since === 'yesterday' || since === 'last night') return new Date(day.getTime() - 24 * HOUR);
  if (since === 'last week') return new Date(now.getTime() - 7 * 24 * HOUR);
  if (since === 'last month') return new Date(now.getTime() - 30 * 24 * HOUR);
  const m = /^(\d+|an?|one|two|three|a few) (hour|day|week)s?/.exec(since);
  if (m) {
    const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : WORDS[m[1]!]!;
    return new Date(now.getTime() - n * { hour: HOUR, day: 24 * HOUR, week: 7 * 24 * HOUR }[m[2] as 'hour' | 'day' | 'week']);
  }
  return new Date(now.getTime() - 24 * HOUR); // "recently", "lately", "what's new": the last day
}

const failed = (what: string, err: unknown): string => `(${what} could not be read: ${(err as Error).message})`;
const BAD = new Set(['warn', 'error', 'crit']);

/** Journal lines that mention `what`, warnings and worse first; all of them when none is a warning. */
export async function whyJournal(what: string, c: ToolContext): Promise<Formatted> {
  let lines: JournalLine[];
  try {
    lines = await c.os.journal({ grep: what, limit: 200 });
  } catch (err) {
    return { text: failed('the journal', err), citations: [] };
  }
  const bad = lines.filter((e) => BAD.has(e.level));
  if (!lines.length) return { text: `No journal line mentions "${what}", so I cannot say why it failed. Try: search ${what}`, citations: [] };
  const shown = (bad.length ? bad : lines).slice(-15);
  const label = bad.length ? `${bad.length} journal lines mention "${what}" at warn or above; the last ${shown.length}, newest last:`
    : `No warning mentions "${what}"; the last ${shown.length} of ${lines.length} lines that do, newest last:`;
  return { text: `${label}\n${fmtJournal(shown).text}`, citations: [] };
}

interface GenLike { addedAt?: string; status?: string; version?: number }

/** Generations added since the time, the code diff from the one before the newest, and the journal's warnings since. */
export async function changesSince(since: string, c: ToolContext, now = new Date()): Promise<Formatted> {
  const t = sinceTime(since, now);
  const out: string[] = [`Since ${t.toISOString()} (${since}):`];
  let citations: Citation[] = [];
  try {
    const state = (await c.os.generations()) as { generations?: Record<string, GenLike> };
    const all = Object.entries(state.generations ?? {}).sort((a, b) => (a[1].addedAt ?? '').localeCompare(b[1].addedAt ?? ''));
    const recent = all.filter(([, g]) => g.addedAt && Date.parse(g.addedAt) >= t.getTime());
    out.push(recent.length ? `generations added: ${recent.map(([id, g]) => `${id} (${g.status ?? '?'}, added ${g.addedAt})`).join(', ')}` : 'no generation was added');
    const newest = recent.at(-1)?.[0];
    const before = newest ? all[all.findIndex(([id]) => id === newest) - 1]?.[0] : undefined;
    if (newest && before) {
      const d = await c.code.diff(before, newest).then((x) => fmtDiff(before, newest, x), (err: Error) => ({ text: failed(`the code diff ${before}..${newest}`, err), citations: [] }));
      out.push(d.text);
      citations = d.citations;
    }
  } catch (err) {
    out.push(failed('the generation store', err));
  }
  try {
    const warn = (await c.os.journal({ level: 'warn', limit: 200 })).filter((e) => Date.parse(e.time) >= t.getTime());
    out.push(warn.length ? `${warn.length} journal lines at warn or above; the last ${Math.min(10, warn.length)}:\n${fmtJournal(warn.slice(-10)).text}` : 'no journal line at warn or above');
  } catch (err) {
    out.push(failed('the journal', err));
  }
  return { text: out.join('\n'), citations };
}

const TIME = /(\d+(?:\.\d+)?)\s*(ms|s|min)\b/g;

/** The largest times each benchmark README records (path:line), and journal lines about slowness or timeouts. */
export async function whatIsSlow(c: ToolContext): Promise<Formatted> {
  const readmes = (await c.code.paths()).filter((p) => /^bench\/[^/]+\/README\.md$/.test(p));
  const rows: Array<{ path: string; line: number; ms: number; text: string }> = [];
  for (const p of readmes) {
    const r = await c.code.read(p, 1, 2000).catch(() => null);
    r?.lines.forEach((l, i) => {
      const ms = Math.max(0, ...[...l.matchAll(TIME)].map((m) => Number(m[1]) * (m[2] === 'min' ? 60_000 : m[2] === 's' ? 1000 : 1)));
      if (ms > 0) rows.push({ path: p, line: r.fromLine + i, ms, text: l.trim().slice(0, 160) });
    });
  }
  const top = readmes.flatMap((p) => rows.filter((r) => r.path === p).sort((a, b) => b.ms - a.ms).slice(0, 3)).sort((a, b) => b.ms - a.ms);
  const bench = top.length ? `The benchmarks' largest recorded times (each README's top 3, largest first):\n${top.map((r) => `  ${r.path}:${r.line}  ${r.text}`).join('\n')}`
    : 'No benchmark README with recorded times is in the source.';
  let journal: string;
  try {
    const lines = [...await c.os.journal({ grep: 'slow', limit: 20 }), ...await c.os.journal({ grep: 'timed out', limit: 20 })].sort((a, b) => a.seq - b.seq);
    journal = lines.length ? `Journal lines about slowness or timeouts:\n${fmtJournal(lines.slice(-10)).text}` : 'No journal line mentions "slow" or "timed out".';
  } catch (err) {
    journal = failed('the journal', err);
  }
  return { text: `${bench}\n${journal}`, citations: top.map((r) => ({ path: r.path, line: r.line })) };
}
