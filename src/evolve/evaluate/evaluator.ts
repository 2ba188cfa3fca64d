// The evaluator cascade's test stages (issue 10 item 6): static gates → warm typecheck (and the evaluator's
// own emit of dist/) → fail-to-pass (three runs, so a flaky win does not count) → direct tests →
// import-reached tests → optionally the full unit suite. It stops at the first failing stage and records a
// StageResult for each stage it ran. The candidate never runs the judge: the evaluator writes the canary
// wrapper, runs the parent's reporter and reads records only from each run's own outDir.
import type * as TS from 'typescript';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Candidate, FileChange } from '../candidate.js';
import { runStaticGates } from '../gates.js';
import type { Evaluation, Runner, SandboxLimits, StageName, StageResult, Target, TestRef } from '../types.js';
import { TargetNotFailingError, UnknownTargetTestError, UnsupportedTargetError } from './errors.js';
import { directImporters, importGraph, isUnitTest, selectTests, type TestSelection as Selection } from './graph.js';
import { judgeRun } from './judge.js';
import { createParentRuns, treeDigest, type ParentRuns } from './parent.js';
import { keyOf } from './records.js';
import { runTestFiles, type FileRun, type TestRunConfig } from './test-run.js';
import { createWarmTypecheck } from './typecheck.js';

export interface EvaluatorOptions {
  /** The parent tree (built: dist/ matches src/). Never written. */
  root: string;
  runner: Runner;
  ts: typeof TS;
  /** Run the full unit suite as the last stage (the loop's final check); default false. */
  unit?: boolean;
  /** Runs a fail-to-pass win must hold (default 3). */
  failToPassRuns?: number;
  /** Test files run at once (default 2). */
  concurrency?: number;
  /** Limits of each test file's run (default: 5 min wall, 2 GiB, 256 pids, 64 MiB files, 256 MiB tmp). */
  limits?: Partial<SandboxLimits>;
  /** Added to the scrubbed environment of test runs. */
  env?: Record<string, string>;
  /** Where run folders are made (default the host's temporary folder). */
  workDir?: string;
  /** The owner approved this run's protected-path changes (lifts approvable violations only). */
  ownerApproved?: boolean;
  /** The parent's digest when the caller knows it (a generation id); default: hashed from the tree. */
  parentDigest?: string;
  /** Node binary of the test runs (default this process's). */
  node?: string;
}

export interface Evaluator {
  readonly parentDigest: string;
  /** Loads the typecheck's program now (about 20 s on this tree), so that no candidate pays for it. */
  warm(): void;
  /**
   * Judges `candidate` against `target`.
   * @throws UnsupportedTargetError for a benchmark target; UnknownTargetTestError or TargetNotFailingError
   *   when a fail-to-pass test is not reported, or passes, on the parent; ParentBaselineError when the
   *   parent's own run of a test file cannot be trusted
   */
  evaluate(candidate: Candidate, target: Target): Promise<Evaluation>;
  /**
   * The test stages of a candidate judged by something else (a benchmark): pass-to-pass only, every test
   * reaching the changed files must pass as on the parent. `scope` limits the paths it may change.
   */
  passToPass(candidate: Candidate, scope?: string[]): Promise<PassToPass>;
}

/** The pass-to-pass stages of one candidate: those run so far, and the later (costlier) ones on demand. */
export interface PassToPass {
  /** Static gates, typecheck and direct tests. */
  stages: StageResult[];
  pass: boolean;
  /** The candidate's files plus the evaluator's emit of them (dist/): what the tests ran. */
  view: FileChange[];
  /**
   * Runs the import-reached tests (and the unit suite when the evaluator has `unit`, after them); returns their stages.
   * @throws UnsupportedTargetError when an earlier stage failed
   */
  later(): Promise<StageResult[]>;
}

/** Limits of a test file's run; sizes in bytes (2 GiB does not fit the 32 bits of a shift). */
export const DEFAULT_LIMITS: SandboxLimits = { wallMs: 300_000, memoryBytes: 2 * 1024 ** 3, pids: 256, fileBytes: 64 << 20, tmpBytes: 256 << 20 };

interface Ctx {
  candidate: Candidate;
  failToPass: Set<string>;
  /** The candidate's view: its changes plus the evaluator's emit. */
  view: FileChange[];
  /** Test files already run on the candidate. */
  done: Set<string>;
  fixed: number;
}

type StageOutcome = Omit<StageResult, 'stage' | 'wallMs' | 'cpuMs'> & { cpuMs?: number };

async function timed(stage: StageName, f: () => StageOutcome | Promise<StageOutcome>): Promise<StageResult> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await f();
  const own = process.cpuUsage(c0);
  const { cpuMs: children = 0, ...rest } = r;
  return { stage, ...rest, wallMs: Math.round(performance.now() - t0), cpuMs: Math.round((own.user + own.system) / 1000 + children) };
}

/** Creates the evaluator of candidates against the parent tree at `o.root`. */
export function createEvaluator(o: EvaluatorOptions): Evaluator {
  const workDir = join(o.workDir ?? tmpdir(), 'evolve-evaluate');
  mkdirSync(workDir, { recursive: true });
  const cfg: TestRunConfig = {
    root: o.root, runner: o.runner, reporter: join(o.root, 'scripts', 'test-reporter.mjs'), node: o.node ?? process.execPath,
    limits: { ...DEFAULT_LIMITS, ...o.limits }, env: o.env ?? {}, workDir,
  };
  const concurrency = o.concurrency ?? 2;
  const parent = createParentRuns(cfg, o.parentDigest ?? treeDigest(o.root), concurrency);
  const checker = createWarmTypecheck(o.ts, o.root);
  const specs = new Map<string, string[]>();

  /** Runs `files` on the candidate and judges each run against the parent's; `times` runs of each (and
   * then the fail-to-pass tests won in every run so far are the candidate's fitness). */
  async function testStage(ctx: Ctx, files: readonly string[], times = 1, scoring = false): Promise<StageOutcome> {
    const todo = files.filter((f) => !ctx.done.has(f));
    if (todo.length === 0) return { pass: true, detail: 'no test files left to run at this stage' };
    const base = await parent.get(todo);
    let cpuMs = base.cpuMs;
    const wins = new Map<string, number>();
    for (let round = 1; round <= times; round++) {
      const runs: FileRun[] = await runTestFiles(cfg, todo, ctx.view, concurrency);
      cpuMs += runs.reduce((s, r) => s + r.cpuMs, 0);
      for (const r of runs) {
        const v = judgeRun(base.runs.get(r.file)!, r, ctx.failToPass);
        for (const k of v.fixed) wins.set(k, (wins.get(k) ?? 0) + 1);
        if (scoring) ctx.fixed = [...wins.values()].filter((n) => n === round).length;
        if (v.problem) return { pass: false, detail: times > 1 ? `run ${round} of ${times}: ${v.problem}` : v.problem, failed: v.failed, cpuMs };
      }
    }
    todo.forEach((f) => ctx.done.add(f));
    const n = todo.reduce((s, f) => s + base.runs.get(f)!.tests.length, 0);
    return { pass: true, detail: `${todo.length} test files, ${n} tests as on the parent${times > 1 ? `, ${times} runs` : ''}`, cpuMs };
  }

  /** Checks that every fail-to-pass test exists on the parent and fails there. */
  async function checkTarget(refs: readonly TestRef[]): Promise<void> {
    const base = await parent.get([...new Set(refs.map((r) => r.file))]);
    for (const t of refs) {
      const rec = base.runs.get(t.file)!.tests.find((r) => keyOf(r) === keyOf(t));
      if (!rec) throw new UnknownTargetTestError(`Cannot evaluate against test "${t.name}" of "${t.file}": the parent's run of the file does not report it`);
      if (rec.status === 'pass') throw new TargetNotFailingError(`Cannot use test "${t.name}" of "${t.file}" as fail-to-pass: it passes on the parent`);
    }
  }

  type Run = (stage: StageName, f: () => StageOutcome | Promise<StageOutcome>) => Promise<boolean>;
  const recorder = (stages: StageResult[]): Run => async (stage, f) => {
    stages.push(await timed(stage, f));
    return stages.at(-1)!.pass;
  };

  /** The static gates and the typecheck (whose emit joins the view); the test selection when both pass. */
  async function gateAndType(ctx: Ctx, scope: string[] | undefined, run: Run): Promise<(Selection & { all: string[] }) | null> {
    const changedTs = ctx.candidate.changes.filter((c) => c.path.endsWith('.ts')).map((c) => c.path);
    const ok = await run('static', () => {
      const v = runStaticGates(o.ts, ctx.candidate, { ...(scope ? { scope } : {}), ownerApproved: o.ownerApproved ?? false });
      const detail = v.pass ? `${ctx.candidate.changes.length} files within the gates${v.approved.length ? ` (${v.approved.length} approved by the owner)` : ''}`
        : v.violations.map((x) => `${x.rule} ${x.path}: ${x.detail}`).join('; ');
      return { pass: v.pass, detail, violations: v.violations };
    });
    // The candidate's import graph: whom the typecheck also checks, and which tests each stage runs.
    const g = ok ? importGraph(o.ts, o.root, ctx.candidate.changes, specs) : null;
    const typed = ok && await run('typecheck', () => {
      const r = checker.check(ctx.candidate.changes, directImporters(g!, changedTs));
      ctx.view.push(...r.emitted);
      return r.errors.length > 0
        ? { pass: false, detail: `${r.errors.length} type errors: ${r.errors.slice(0, 3).join('; ')}` }
        : { pass: true, detail: `${changedTs.length} changed files typecheck; emitted ${r.emitted.length} dist files` };
    });
    return typed ? { ...selectTests(g!, changedTs), all: [...g!.files].filter(isUnitTest).sort() } : null;
  }

  async function cascade(ctx: Ctx, target: Extract<Target, { kind: 'tests' }>): Promise<StageResult[]> {
    const stages: StageResult[] = [];
    const run = recorder(stages);
    const sel = await gateAndType(ctx, target.scope, run);
    if (!sel) return stages;
    const runs = o.failToPassRuns ?? 3;
    if (!await run('fail-to-pass', () => testStage(ctx, [...new Set(target.failToPass.map((t) => t.file))], runs, true))) return stages;
    if (!await run('direct', () => testStage(ctx, sel.direct))) return stages;
    if (!await run('import-reached', () => testStage(ctx, sel.reached))) return stages;
    if (o.unit) await run('unit', () => testStage(ctx, sel.all));
    return stages;
  }

  /** Pass-to-pass for a candidate with no fail-to-pass tests (a benchmark's): gates, typecheck, direct tests now. */
  async function passToPassOne(candidate: Candidate, scope: string[] | undefined): Promise<PassToPass> {
    const ctx: Ctx = { candidate, failToPass: new Set(), view: [...candidate.changes], done: new Set(), fixed: 0 };
    const stages: StageResult[] = [];
    const run = recorder(stages);
    const sel = await gateAndType(ctx, scope, run);
    const pass = sel !== null && await run('direct', () => testStage(ctx, sel.direct));
    const later = async (): Promise<StageResult[]> => {
      if (!sel || !pass) throw new UnsupportedTargetError(`Cannot run the later test stages of candidate "${candidate.id}": an earlier stage failed`);
      const more = [await timed('import-reached', () => testStage(ctx, sel.reached))];
      if (more[0]!.pass && o.unit) more.push(await timed('unit', () => testStage(ctx, sel.all)));
      return more;
    };
    return { stages, pass, view: ctx.view, later };
  }

  async function evaluateOne(candidate: Candidate, target: Target): Promise<Evaluation> {
    if (target.kind !== 'tests') throw new UnsupportedTargetError(`Cannot evaluate a "${target.kind}" target here: the test stages judge only "tests" targets`);
    if (target.failToPass.length === 0) throw new UnsupportedTargetError(`Cannot evaluate against target "${target.origin}": it names no fail-to-pass test`);
    await checkTarget(target.failToPass);
    const ctx: Ctx = { candidate, failToPass: new Set(target.failToPass.map(keyOf)), view: [...candidate.changes], done: new Set(), fixed: 0 };
    const stages = await cascade(ctx, target);
    const failed = stages.find((s) => !s.pass);
    const fitness = stages.some((s) => s.stage === 'fail-to-pass') ? ctx.fixed : 0;
    const all = target.failToPass.length;
    return {
      candidate, stages, accepted: !failed, fitness,
      reason: failed ? `rejected at ${failed.stage}: ${failed.detail}` : `accepted: fixes ${fitness} of ${all} fail-to-pass tests; ${stages.length} stages passed`,
    };
  }

  // One evaluation at a time: the typecheck's overlay holds one candidate (the runs themselves go in parallel).
  let queue: Promise<unknown> = Promise.resolve();
  return {
    parentDigest: parent.digest,
    warm: () => checker.warm(),
    evaluate(candidate, target) {
      const next = queue.then(() => evaluateOne(candidate, target));
      queue = next.catch(() => undefined);
      return next;
    },
    passToPass(candidate, scope) {
      const next = queue.then(() => passToPassOne(candidate, scope));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
