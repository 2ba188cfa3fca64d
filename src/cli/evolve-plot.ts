// `dialogos evolve plot`: one SVG with a run's fitness over evaluations (every candidate a dot, accepted
// ones filled, the best so far a line) and its lineage tree (each accepted candidate under its parent).
// Written by hand: no plotting library is installed, and the picture is small.
import type { CandidateRecord, RunRecord } from '../evolve/index.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function fitnessPanel(run: RunRecord, w: number, h: number): string[] {
  const pts = run.history.filter((p) => Number.isFinite(p.fitness));
  const max = Math.max(1, ...pts.map((p) => p.fitness)), min = Math.min(0, ...pts.map((p) => p.fitness));
  const x = (i: number) => 50 + (i / Math.max(1, pts.length - 1)) * (w - 70);
  const y = (f: number) => 30 + (1 - (f - min) / (max - min || 1)) * (h - 60);
  let best = -Infinity;
  const line = pts.map((p, i) => { if (p.accepted) best = Math.max(best, p.fitness); return `${x(i).toFixed(1)},${y(best === -Infinity ? min : best).toFixed(1)}`; });
  return [
    `<text x="10" y="18" font-size="13">fitness over ${pts.length} evaluations (filled: accepted; line: best accepted)</text>`,
    `<line x1="50" y1="${h - 30}" x2="${w - 20}" y2="${h - 30}" stroke="#888"/><line x1="50" y1="30" x2="50" y2="${h - 30}" stroke="#888"/>`,
    `<text x="8" y="34" font-size="10">${max}</text><text x="8" y="${h - 30}" font-size="10">${min}</text>`,
    ...(pts.length ? [`<polyline fill="none" stroke="#1a7f37" stroke-width="1.5" points="${line.join(' ')}"/>`] : []),
    ...pts.map((p, i) => {
      const paint = `fill="${p.accepted ? '#1a7f37' : 'none'}" stroke="${p.accepted ? '#1a7f37' : '#999'}"`;
      return `<circle cx="${x(i).toFixed(1)}" cy="${y(p.fitness).toFixed(1)}" r="3" ${paint}><title>${esc(p.id)}: ${p.fitness}</title></circle>`;
    }),
  ];
}

function lineagePanel(recs: CandidateRecord[], base: string, top: number): { svg: string[]; height: number } {
  const accepted = recs.filter((r) => r.decision === 'accepted');
  const kids = (id: string) => accepted.filter((r) => r.parent === id);
  const tried = (id: string) => recs.filter((r) => r.parent === id).length;
  const rows: { id: string; depth: number; parentRow: number }[] = [];
  const walk = (id: string, depth: number, parentRow: number) => {
    const row = rows.length;
    rows.push({ id, depth, parentRow });
    for (const k of kids(id)) walk(k.id, depth + 1, row);
  };
  walk(base, 0, -1);
  const y = (r: number) => top + 30 + r * 22;
  const svg = [`<text x="10" y="${top + 14}" font-size="13">lineage (accepted candidates under their parent; children accepted/tried)</text>`];
  rows.forEach((r, i) => {
    const x = 20 + Math.min(r.depth, 24) * 24; // a deep lineage stays inside the picture
    if (r.parentRow >= 0) svg.push(`<path d="M${x - 20},${y(r.parentRow) + 4} V${y(i)} H${x - 4}" fill="none" stroke="#888"/>`);
    const fit = accepted.find((a) => a.id === r.id)?.fitness;
    const label = `${esc(r.id)}${fit === undefined ? '' : ` fitness ${fit}`} (${kids(r.id).length}/${tried(r.id)})`;
    svg.push(`<circle cx="${x}" cy="${y(i)}" r="4" fill="#1a7f37"/>`, `<text x="${x + 8}" y="${y(i) + 4}" font-size="11">${label}</text>`);
  });
  return { svg, height: 60 + rows.length * 22 };
}

/** The SVG document for `run` and its candidate records. */
export function plotSvg(run: RunRecord, recs: CandidateRecord[]): string {
  const w = 760, h = 260;
  const lineage = lineagePanel(recs, run.base, h + 10);
  const total = h + 10 + lineage.height;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${total}" viewBox="0 0 ${w} ${total}" font-family="sans-serif">`,
    `<title>${esc(`evolve run ${run.id}: ${run.spec}`)}</title>`,
    `<rect width="${w}" height="${total}" fill="white"/>`,
    ...fitnessPanel(run, w, h), ...lineage.svg, '</svg>', '',
  ].join('\n');
}
