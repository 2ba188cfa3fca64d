// Spectrum-based fault localisation: Ochiai suspiciousness of each line over test runs (Abreu et al.):
// ef / sqrt((ef + nf) (ef + ep)), where ef/ep count failing/passing runs that executed the line and nf the
// failing runs that did not.

export interface Spectrum {
  failed: boolean;
  /** Lines the run executed, as "path:line" keys. */
  lines: Set<string>;
}

export function ochiai(ef: number, ep: number, nf: number): number {
  const d = Math.sqrt((ef + nf) * (ef + ep));
  return d === 0 ? 0 : ef / d;
}

/** Ochiai of every line some failing run executed (the others score 0 and are left out). */
export function ochiaiScores(runs: Spectrum[]): Map<string, number> {
  const ef = new Map<string, number>(), ep = new Map<string, number>();
  let failing = 0;
  for (const r of runs) {
    if (r.failed) failing++;
    for (const k of r.lines) (r.failed ? ef : ep).set(k, ((r.failed ? ef : ep).get(k) ?? 0) + 1);
  }
  const out = new Map<string, number>();
  for (const [k, f] of ef) out.set(k, ochiai(f, ep.get(k) ?? 0, failing - f));
  return out;
}
