// Markdown sections: headings (ATX `#` style, outside fenced code) with the lines each spans.
import type { DocSection } from './types.js';

/** The sections of a markdown text; a preamble before the first heading is not a section. */
export function markdownSections(path: string, text: string): DocSection[] {
  const lines = text.split('\n');
  const out: DocSection[] = [];
  const stack: DocSection[] = [];
  let fence: string | undefined;
  lines.forEach((raw, i) => {
    const f = /^\s*(```|~~~)/.exec(raw);
    if (f) { fence = fence === undefined ? f[1] : fence === f[1] ? undefined : fence; return; }
    if (fence !== undefined) return;
    const m = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(raw);
    if (!m) return;
    const level = m[1]!.length;
    while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
    const s: DocSection = { path, line: i + 1, endLine: lines.length, level, heading: m[2]!, trail: stack.map((x) => x.heading) };
    const prev = out[out.length - 1];
    if (prev) prev.endLine = i;
    out.push(s);
    stack.push(s);
  });
  if (text.endsWith('\n') && out.length) out[out.length - 1]!.endLine = Math.max(out[out.length - 1]!.line, lines.length - 1);
  return out;
}
