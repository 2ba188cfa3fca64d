// The benchmark's judge, built from the evaluator's own parts (warm typecheck with its emit, the canary
// wrapped test runs through a Runner, the parent's records): validates a seeded defect against the original
// tree (compiles; killed by tests that pass on the original three times; no collateral failures) and judges
// a repair of it (its killing tests' files pass as on the original). Every view lies over the original.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as TS from 'typescript';
import type { FileChange } from '../../candidate.js';
import type { Defect } from '../../defects/index.js';
import { directImporters, importGraph, selectTests } from '../../evaluate/graph.js';
import { keyOf } from '../../evaluate/records.js';
import { runTestFiles, type FileRun, type TestRunConfig } from '../../evaluate/test-run.js';
import { createWarmTypecheck } from '../../evaluate/typecheck.js';
import type { Runner, TestRef } from '../../types.js';

export interface Validation {
  valid: boolean;
  /** Why it was kept or dropped, one line. */
  reason: string;
  /** Tests that pass on the original in every baseline run and fail with the defect in every run. */
  killing: TestRef[];
  /** The direct test files run, and those left out because the original's runs of them cannot be trusted
   * (a crash, or the per-file wall limit: slow files such as src/cli/code.test.ts). */
  testFiles: string[];
  untrusted: string[];
  wallMs: number;
}

export interface BenchJudge {
  warm(): void;
  validate(d: Defect): Promise<Validation>;
  /** Whether `text` as the defect's file passes the files of its killing tests as the original does. */
  repairs(d: Defect, v: Validation, text: string): Promise<boolean>;
}

export interface JudgeOptions {
  root: string; runner: Runner; ts: typeof TS; workDir: string; concurrency?: number; runs?: number;
  /** Wall limit of one test file's run (default 60 s). */
  fileMs?: number;
}

interface Baseline { runs: FileRun[]; stable: Set<string>; problem: string | null }

const failing = (r: FileRun): Set<string> => new Set(r.tests.filter((t) => t.status !== 'pass').map(keyOf));

/** Creates the judge; the baseline of each test file (`runs` runs on the original, default 3) is cached. */
export function createBenchJudge(o: JudgeOptions): BenchJudge {
  mkdirSync(o.workDir, { recursive: true });
  const cfg: TestRunConfig = {
    root: o.root, runner: o.runner, reporter: join(o.root, 'scripts', 'test-reporter.mjs'), node: process.execPath,
    limits: { wallMs: o.fileMs ?? 60_000, memoryBytes: 2 ** 31, pids: 256, fileBytes: 2 ** 26, tmpBytes: 2 ** 28 }, env: {}, workDir: o.workDir,
  };
  const conc = o.concurrency ?? 2, times = o.runs ?? 3;
  const checker = createWarmTypecheck(o.ts, o.root);
  const specs = new Map<string, string[]>();
  const baselines = new Map<string, Promise<Baseline>>();

  const baseline = (file: string): Promise<Baseline> => {
    let b = baselines.get(file);
    if (!b) {
      b = (async () => {
        const runs = await runTestFiles(cfg, Array(times).fill(file), [], conc);
        const problem = runs.find((r) => r.problem)?.problem ?? null;
        const stable = new Set(runs[0]!.tests.filter((t) => t.status === 'pass').map(keyOf));
        for (const r of runs) for (const k of failing(r)) stable.delete(k);
        return { runs, stable, problem };
      })();
      baselines.set(file, b);
    }
    return b;
  };

  /** Typechecks `change`; the candidate's view (the change and its emit), or the errors. */
  const compile = (change: FileChange): { view: FileChange[] } | { errors: string[] } => {
    const g = importGraph(o.ts, o.root, [change], specs);
    const r = checker.check([change], directImporters(g, [change.path]));
    return r.errors.length ? { errors: r.errors } : { view: [change, ...r.emitted] };
  };

  return {
    warm: () => checker.warm(),
    validate: async (d) => {
      const t0 = performance.now();
      const untrusted: string[] = [];
      const done = (valid: boolean, reason: string, killing: TestRef[] = [], testFiles: string[] = []): Validation =>
        ({ valid, reason, killing, testFiles, untrusted, wallMs: Math.round(performance.now() - t0) });
      const c = compile(d.change);
      if ('errors' in c) return done(false, `does not compile: ${c.errors[0]}`);
      const direct = selectTests(importGraph(o.ts, o.root, [d.change], specs), [d.file]).direct;
      if (direct.length === 0) return done(false, 'no direct test file imports it');
      const files: string[] = [];
      for (const f of direct) ((await baseline(f)).problem ? untrusted : files).push(f);
      if (files.length === 0) return done(false, `no trustworthy direct test file: the original's runs of ${untrusted.join(', ')} fail or time out`);
      return killAndCollateral(d, files, c.view, done);
    },
    repairs: async (d, v, text) => {
      if (text === d.change.before) return true; // the original tree itself: its baseline is the verdict
      const c = compile({ path: d.file, before: d.change.before, after: text });
      if ('errors' in c) return false;
      const files = [...new Set(v.killing.map((t) => t.file))];
      const runs = await runTestFiles(cfg, files, c.view, conc);
      for (const r of runs) {
        const b = await baseline(r.file);
        if (r.problem || r.tests.length !== b.runs[0]!.tests.length) return false;
        const bad = failing(r);
        if ([...b.stable].some((k) => bad.has(k))) return false;
      }
      return true;
    },
  };

  async function killAndCollateral(d: Defect, files: string[], view: FileChange[], done: (ok: boolean, why: string, k?: TestRef[], f?: string[]) => Validation): Promise<Validation> {
    let killing = null as Set<string> | null;
    const refs = new Map<string, TestRef>();
    for (let round = 0; round < times; round++) {
      const runs = await runTestFiles(cfg, files, view, conc);
      const now = new Set<string>();
      for (const r of runs) {
        const b = await baseline(r.file);
        if (r.problem) return done(false, `killed by a crash, not by named tests: ${r.problem.slice(0, 200)}`, [], files);
        for (const t of r.tests) if (t.status !== 'pass') {
          if (!b.stable.has(keyOf(t))) return done(false, `collateral: "${t.name}" of ${t.file} fails and is not stably passing on the original`, [], files);
          now.add(keyOf(t));
          refs.set(keyOf(t), { file: t.file, name: t.name });
        }
      }
      killing = killing === null ? now : new Set([...killing].filter((k) => now.has(k)));
      if (killing.size === 0) return done(false, round === 0 ? 'survives its direct tests' : `not killed in all ${times} runs (flaky kill)`, [], files);
    }
    const k = [...killing!].map((x) => refs.get(x)!);
    return done(true, `killed by ${k.length} tests of ${new Set(k.map((t) => t.file)).size} files in ${times} of ${times} runs`, k, files);
  }
}
