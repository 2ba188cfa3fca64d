// One measurement of a benchmark: a fresh run of its workload under the Runner, judged by the CPU time the
// Runner took from outside the process. A run that failed, hit a limit or gave no usable figure is refused.
import type { FileChange } from '../candidate.js';
import type { RunResult, Runner, SandboxLimits } from '../types.js';
import { BadMeasurementError, WorkloadFailedError } from './errors.js';
import { benchArgv, type Benchmark } from './registry.js';

/**
 * A CPU time as a measurement: a positive finite number of milliseconds.
 * @throws BadMeasurementError for NaN, Infinity, zero or a negative number
 */
export function checkMeasurement(ms: number, what: string): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new BadMeasurementError(`Cannot use the measurement of ${what}: ${String(ms)} ms is not a positive finite CPU time`);
  }
  return ms;
}

/** What every run of one stage shares: the runner, the parent tree, the environment and the evaluator's limits. */
export interface MeasureContext {
  runner: Runner;
  /** The parent tree's root. */
  lower: string;
  env: Record<string, string>;
  limits: SandboxLimits;
}

export interface Measurement {
  cpuMs: number;
  wallMs: number;
  stdout: string;
}

/** The error line of a stderr when it has one (a stack's head), else its last lines. */
const tail = (s: string): string => {
  const lines = s.trim().split('\n');
  return (lines.find((l) => /^\w*Error\b/.test(l)) ?? lines.slice(-3).join(' | ')).slice(0, 300);
};

function refuse(b: Benchmark, side: string, r: RunResult): never {
  const why = r.limitHit ? `hit the ${r.limitHit} limit` : r.signal ? `was killed by ${r.signal}` : `exited with ${r.exitCode}`;
  throw new WorkloadFailedError(`Cannot measure benchmark "${b.name}" on the ${side}: the workload ${why}${r.stderr ? `: ${tail(r.stderr)}` : ''}`);
}

/**
 * Runs the workload once over `changes` (none for the parent) in a fresh process.
 * @throws WorkloadFailedError when the run fails or hits a limit; BadMeasurementError for an unusable CPU time
 */
export async function measureOnce(ctx: MeasureContext, b: Benchmark, changes: FileChange[], side: string): Promise<Measurement> {
  const r = await ctx.runner.run({ tree: { lower: ctx.lower, changes }, argv: benchArgv(b), env: { ...ctx.env }, limits: { ...ctx.limits } });
  if (r.limitHit || r.signal || r.exitCode !== 0) refuse(b, side, r);
  return { cpuMs: checkMeasurement(r.cpuMs, `benchmark "${b.name}" on the ${side}`), wallMs: r.wallMs, stdout: r.stdout };
}
