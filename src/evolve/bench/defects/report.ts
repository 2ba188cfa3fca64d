// The benchmark's figures: per arm exact and plausible fixes (overall, held-out side, per tier) and the
// paired McNemar p-values between arms, as a table a person reads and as data for the JSON file.
import type { Defect } from '../../defects/index.js';
import type { ArmResult } from './repair.js';
import { mcnemarExact } from './stats.js';

export interface Repaired { d: Defect; side: 'held-out' | 'dev'; results: ArmResult[] }

export interface ArmSummary { arm: string; defects: number; exact: number; plausible: number; none: number; meanEvals: number }

export interface Pairing { a: string; b: string; on: 'exact' | 'fixed'; onlyA: number; onlyB: number; p: number }

function summary(arm: string, rs: Repaired[]): ArmSummary {
  const mine = rs.map((r) => r.results.find((x) => x.arm === arm)!);
  const n = (o: string) => mine.filter((x) => x.outcome === o).length;
  const meanEvals = mine.length ? mine.reduce((s, x) => s + x.evals, 0) / mine.length : 0;
  return { arm, defects: mine.length, exact: n('exact'), plausible: n('plausible'), none: n('none'), meanEvals: Math.round(meanEvals * 10) / 10 };
}

/** Per-arm summaries of `rs` (every defect repaired by the same arms). */
export function summarise(arms: string[], rs: Repaired[]): ArmSummary[] {
  return arms.map((a) => summary(a, rs));
}

/** McNemar between every pair of arms, on exact fixes and on any fix (exact or plausible). */
export function pairings(arms: string[], rs: Repaired[]): Pairing[] {
  const out: Pairing[] = [];
  const hits = (arm: string, on: Pairing['on']) => rs.map((r) => {
    const o = r.results.find((x) => x.arm === arm)!.outcome;
    return on === 'exact' ? o === 'exact' : o !== 'none';
  });
  for (let i = 0; i < arms.length; i++) {
    for (let j = i + 1; j < arms.length; j++) {
      for (const on of ['exact', 'fixed'] as const) out.push({ a: arms[i]!, b: arms[j]!, on, ...mcnemarExact(hits(arms[i]!, on), hits(arms[j]!, on)) });
    }
  }
  return out;
}

const pct = (k: number, n: number) => (n ? `${((100 * k) / n).toFixed(1)} %` : '-');

/** The printed table. */
export function table(title: string, s: ArmSummary[]): string {
  const rows = s.map((x) => `${x.arm.padEnd(24)} ${String(x.defects).padStart(7)} ${`${x.exact} (${pct(x.exact, x.defects)})`.padStart(14)} `
    + `${`${x.plausible} (${pct(x.plausible, x.defects)})`.padStart(14)} ${String(x.none).padStart(6)} ${x.meanEvals.toFixed(1).padStart(10)}`);
  return [title, `${'arm'.padEnd(24)} ${'defects'.padStart(7)} ${'exact'.padStart(14)} ${'plausible'.padStart(14)} ${'none'.padStart(6)} ${'mean evals'.padStart(10)}`, ...rows].join('\n');
}

export function pairTable(ps: Pairing[]): string {
  return ['McNemar (exact binomial, two-sided): only-A / only-B, p', ...ps.map((p) => `  ${p.a} vs ${p.b} on ${p.on}: ${p.onlyA} / ${p.onlyB}, p = ${p.p.toPrecision(3)}`)].join('\n');
}
