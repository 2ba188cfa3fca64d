// Answers about code must rest on path:line citations. This finds them in a model's text, checks each
// against the source, and flags sentences that talk about code without one.
import type { Citation, CodeTools } from './types.js';

const CITE = /\b((?:src|docs|bench|native|scripts)\/[\w./@-]+\.\w+|README\.md|package\.json):(\d+)\b/g;

/** Every `path:line` in a text, in order, without duplicates. */
export function findCitations(text: string): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const m of text.matchAll(CITE)) {
    const key = `${m[1]}:${m[2]}`;
    if (!seen.has(key)) { seen.add(key); out.push({ path: m[1]!, line: Number(m[2]) }); }
  }
  return out;
}

/** A sentence that names code: a file path, a `backticked` identifier, a call, or a camelCase name. */
const ABOUT_CODE = /`[^`]+`|\b[\w/.-]+\.(?:ts|js|mjs|c|json)\b|\b[a-z]+[A-Z]\w*\b|\b\w+\(\)/;

export interface CheckedAnswer { text: string; citations: Citation[]; flagged: number; invalid: Citation[] }

/**
 * Keeps the citations that exist (file there, line within it), and marks each sentence about code that
 * has no valid citation with "[no source]", so a reader knows which claims nothing backs.
 */
export async function checkCitations(text: string, code: CodeTools): Promise<CheckedAnswer> {
  const all = findCitations(text);
  const valid: Citation[] = [];
  const invalid: Citation[] = [];
  for (const c of all) {
    const ok = await code.read(c.path, c.line, c.line).then((r) => c.line <= r.totalLines, () => false);
    (ok ? valid : invalid).push(c);
  }
  const bad = new Set(invalid.map((c) => `${c.path}:${c.line}`));
  let flagged = 0;
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z`])|\n/);
  const seps = text.match(/(?<=[.!?])\s+(?=[A-Z`])|\n/g) ?? [];
  const out = sentences.map((s, i) => {
    const cites = findCitations(s).filter((c) => !bad.has(`${c.path}:${c.line}`));
    const needs = ABOUT_CODE.test(s) && !/^\s*(```|\s{4})/.test(s);
    const marked = needs && cites.length === 0 && s.trim().length > 0 ? (flagged++, `${s} [no source]`) : s;
    return marked + (seps[i] ?? '');
  }).join('');
  const note = invalid.length ? `\n(note: dropped citations that do not exist in the source: ${invalid.map((c) => `${c.path}:${c.line}`).join(', ')})` : '';
  return { text: out + note, citations: valid, flagged, invalid };
}
