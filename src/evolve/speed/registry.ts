// The benchmarks the evaluator knows: each a workload script run under the Runner in the candidate's tree.
// What a benchmark measures is the CPU time of the whole run (RunResult.cpuMs, taken outside the process),
// never wall time and never a figure the workload prints: the candidate's code runs inside it and could forge one.
import { UnknownBenchmarkError } from './errors.js';

export interface Benchmark {
  name: string;
  /** The workload's command line, run from the tree's root (e.g. ['node', 'dist/evolve/speed/workloads/x.js']). */
  argv: string[];
  /** How often the workload repeats its hot path in one run; passed as its last argument. */
  repetitions: number;
  /**
   * Paths of the tree that belong to the benchmark itself (its workload script, source and build). A candidate
   * that touches one is refused by the stage: the judge's harness is the parent's.
   */
  own: string[];
  /**
   * Source files of the project the workload spends its time in (its hot functions): the scope of a
   * `bench:<name>` target, where the proposers look (tunables, AST edits).
   */
  hot?: string[];
  /** What the workload exercises, for people. */
  description: string;
}

/** The command line of one run: the benchmark's argv and its repetition count. */
export const benchArgv = (b: Benchmark): string[] => [...b.argv, String(b.repetitions)];

export class BenchmarkRegistry {
  readonly #byName = new Map<string, Benchmark>();

  constructor(benchmarks: readonly Benchmark[] = []) {
    for (const b of benchmarks) this.register(b);
  }

  /** @throws UnknownBenchmarkError when the name is taken; RangeError for a repetition count below 1 */
  register(b: Benchmark): void {
    if (this.#byName.has(b.name)) throw new UnknownBenchmarkError(`Cannot register benchmark "${b.name}": the name is taken`);
    if (!Number.isInteger(b.repetitions) || b.repetitions < 1) {
      throw new RangeError(`Cannot register benchmark "${b.name}": repetitions ${b.repetitions} is not a positive integer`);
    }
    this.#byName.set(b.name, Object.freeze({ ...b, argv: [...b.argv], own: [...b.own], hot: [...(b.hot ?? [])] }));
  }

  /** @throws UnknownBenchmarkError for a name never registered */
  get(name: string): Benchmark {
    const b = this.#byName.get(name);
    if (!b) throw new UnknownBenchmarkError(`Cannot find benchmark "${name}": known are ${this.names().join(', ') || 'none'}`);
    return b;
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }

  list(): Benchmark[] {
    return [...this.#byName.values()];
  }
}
