// The words of bench/core's API comparison: per-server medians, ratios with their interval, and a flag
// where the interval holds 1.
import type { AbbaResult, ServerFigures } from './abba.js';
import type { RatioSummary } from '../../std/index.js';

export const f1 = (n: number): string => n.toFixed(n < 10 ? 2 : 1);

const row = (label: string, s: ServerFigures): string =>
  `  ${label.padEnd(11)} p50 ${f1(s.p50)} ms  p99 ${f1(s.p99)} ms  ${Math.round(s.rps)} req/s  errors ${s.errors}`;
const ratio = (r: RatioSummary): string => `${f1(r.ratio)}x [${f1(r.ci[0])}, ${f1(r.ci[1])}]`;

/** The lines printed for one comparison of `a` against `b`. */
export function abbaLines(r: AbbaResult, a: string, b: string): string[] {
  const n = r.a.measurements;
  const blocks = n / 2;
  const lines = [
    row(a, r.a),
    row(b, r.b),
    `  ratio       p50 ${ratio(r.ratios.p50)}  p99 ${ratio(r.ratios.p99)}  throughput ${ratio(r.ratios.rps)}`,
    `  (medians of ${n} measurements each; ratio = geometric mean of ${blocks} per-block ratios ${a}/${b}, [95 % bootstrap interval];`,
    `   throughput per block from min ${f1(r.ratios.rps.min)}x to max ${f1(r.ratios.rps.max)}x)`,
  ];
  const same = (['p50', 'p99', 'rps'] as const).filter((m) => r.ratios[m].includesOne);
  const words = same.map((m) => (m === 'rps' ? 'throughput' : m)).join(', ');
  if (same.length > 0) lines.push(`  ! no difference measured in ${words}: the interval holds 1`);
  return lines;
}
