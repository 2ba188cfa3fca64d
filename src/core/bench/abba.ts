// The API comparison of bench/core: two servers, both up at once, measured with the same client settings
// in ABBA blocks; per-server medians over all measurements and per-block ratios with a bootstrap interval.
import { load, pct } from './load.js';
import { abbaSchedule, median, summarizeRatios, type RatioSummary } from '../../std/index.js';

export interface Target { name: string; socket: string }
export interface AbbaOptions { path: string; blocks: number; clients: number; seconds: number; warmMs: number }
export interface Measurement { block: number; server: string; p50: number; p99: number; rps: number; errors: number }
type Metric = 'p50' | 'p99' | 'rps';
const METRICS: Metric[] = ['p50', 'p99', 'rps'];
export interface ServerFigures { p50: number; p99: number; rps: number; errors: number; measurements: number }
export interface AbbaResult {
  a: ServerFigures;
  b: ServerFigures;
  /** A over B, one ratio per block, summarized. */
  ratios: Record<Metric, RatioSummary>;
  measurements: Measurement[];
}

async function measure(t: Target, block: number, o: AbbaOptions, ms: number): Promise<Measurement> {
  const x = await load(t.socket, o.path, o.clients, ms);
  const [p50, p99] = [pct(x.latencies, 50), pct(x.latencies, 99)];
  return { block, server: t.name, p50, p99, rps: x.latencies.length / x.seconds, errors: x.errors };
}

function figures(ms: Measurement[]): ServerFigures {
  return {
    p50: median(ms.map((m) => m.p50)),
    p99: median(ms.map((m) => m.p99)),
    rps: median(ms.map((m) => m.rps)),
    errors: ms.reduce((s, m) => s + m.errors, 0),
    measurements: ms.length,
  };
}

/** One ratio per block: the mean of A's two measurements in it over the mean of B's. */
export function blockRatios(ms: readonly Measurement[], a: string, b: string, metric: Metric): number[] {
  const blocks = [...new Set(ms.map((m) => m.block))].sort((x, y) => x - y);
  const mean = (block: number, who: string): number => {
    const xs = ms.filter((m) => m.block === block && m.server === who).map((m) => m[metric]);
    return xs.reduce((s, x) => s + x, 0) / xs.length;
  };
  return blocks.map((k) => mean(k, a) / mean(k, b));
}

/** Summarizes measurements of servers named `a` and `b`. */
export function summarizeAbba(ms: Measurement[], a: string, b: string): AbbaResult {
  const ratios = Object.fromEntries(METRICS.map((m) => [m, summarizeRatios(blockRatios(ms, a, b, m))])) as Record<Metric, RatioSummary>;
  return { a: figures(ms.filter((m) => m.server === a)), b: figures(ms.filter((m) => m.server === b)), ratios, measurements: ms };
}

/**
 * Warms both with one ABBA block of `warmMs` per server (discarded), then measures `blocks` ABBA blocks.
 * The warm-up is there so that neither starts cold (JIT tiers, a young heap that has not grown yet): in a
 * 2-block trial of 2026-12-03 with 1 s of it, a fresh twin of the bare server ran at 0.7x the one that had
 * been under load for a minute (with 4 blocks, at 0.95x).
 */
export async function runAbba(a: Target, b: Target, o: AbbaOptions, progress?: (m: Measurement) => void): Promise<AbbaResult> {
  for (const { who } of abbaSchedule(a, b, 1)) await measure(who, -1, o, o.warmMs / 2);
  const ms: Measurement[] = [];
  for (const { block, who } of abbaSchedule(a, b, o.blocks)) {
    const m = await measure(who, block, o, o.seconds * 1000);
    progress?.(m);
    ms.push(m);
  }
  return summarizeAbba(ms, a.name, b.name);
}
