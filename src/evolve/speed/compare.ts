// One paired comparison: randomised ABBA blocks of fresh runs of a benchmark over two trees, the per-block
// ratio A/B of CPU time, and its geometric mean with a seeded bootstrap interval. Every run must print what the
// first run of A printed (the workload's digest of its results): a side that computes something else is refused.
import { randomAbbaSchedule, summarizeRatios, type RatioSummary } from '../../std/index.js';
import type { FileChange } from '../candidate.js';
import { WorkloadFailedError } from './errors.js';
import { measureOnce, type MeasureContext } from './measure.js';
import type { Benchmark } from './registry.js';

export interface CompareOptions {
  blocks: number;
  resamples: number;
  seed: number;
  log?: (line: string) => void;
}

export interface Comparison {
  benchmark: string;
  /** 'A/A' for a calibration run, 'A/B' for parent against candidate. */
  kind: 'A/A' | 'A/B';
  /** Per-block ratios: CPU time of A over B (above 1: B is faster). */
  ratios: number[];
  summary: RatioSummary;
  seed: number;
  /** CPU and wall time of all runs. */
  cpuMs: number;
  wallMs: number;
}

interface Side { label: string; changes: FileChange[] }

/**
 * Compares side A (ratios' numerator) with side B.
 * @throws WorkloadFailedError when a run fails or prints other results than A's first run; BadMeasurementError
 */
export async function compareAbba(ctx: MeasureContext, b: Benchmark, a: Side, bSide: Side, o: CompareOptions): Promise<Comparison> {
  const sums = Array.from({ length: o.blocks }, () => ({ a: 0, b: 0 }));
  let reference: { stdout: string; label: string } | null = null;
  let cpuMs = 0;
  let wallMs = 0;
  for (const { block, who } of randomAbbaSchedule('a' as const, 'b' as const, o.blocks, o.seed)) {
    const side = who === 'a' ? a : bSide;
    const m = await measureOnce(ctx, b, side.changes, side.label);
    reference ??= { stdout: m.stdout, label: side.label };
    if (m.stdout !== reference.stdout) {
      throw new WorkloadFailedError(`Cannot compare benchmark "${b.name}": the ${side.label} printed other results than the ${reference.label} (${JSON.stringify(m.stdout.slice(0, 120))})`);
    }
    sums[block]![who] += m.cpuMs;
    cpuMs += m.cpuMs;
    wallMs += m.wallMs;
  }
  const ratios = sums.map((s) => s.a / s.b);
  const summary = summarizeRatios(ratios, o.resamples, o.seed);
  const kind = a.changes === bSide.changes ? 'A/A' : 'A/B';
  o.log?.(`${b.name} ${kind}: ${formatSummary(summary)} over ${o.blocks} blocks (${(cpuMs / 1000).toFixed(1)} CPU-s)`);
  return { benchmark: b.name, kind, ratios, summary, seed: o.seed, cpuMs, wallMs };
}

/** "×1.412 [1.371, 1.455]" */
export const formatSummary = (s: RatioSummary): string =>
  `×${s.ratio.toFixed(3)} [${s.ci[0].toFixed(3)}, ${s.ci[1].toFixed(3)}]`;
