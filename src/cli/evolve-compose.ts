// The composition root of `dialogos evolve run`: the parts of the loop that live in other folders of
// src/evolve (the sandbox runner, the evaluator cascade, the benchmark stage, the proposers, fault localisation
// or a benchmark's hot functions), plus what the loop records of the tools, which tests fail, which benchmarks exist.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as TS from 'typescript';
import type { Evaluate, FailingTests, Proposer, Runner, Suspect, Target, ToolVersions } from '../evolve/index.js';
import {
  combinedProposer, copyProposer, createSandboxRunner, evaluate, failingFromRecords, identifierProposer, localise,
  mutationProposer, ngramSpanScorer, rankedProposer, reachedFiles, speed, templateProposer, testFilesReaching, trainNgram,
} from '../evolve/index.js';

/** A part of the loop that cannot be had on this host (the jail cannot be built, say). */
export class EvolvePartMissingError extends Error {
  override name = 'EvolvePartMissingError';
}

/** A --proposer name that names no proposer. */
export class UnknownProposerError extends Error {
  override name = 'UnknownProposerError';
}

/** How candidates run: in the sandbox (root), or unsandboxed as plain child processes (says so). */
export type RunnerKind = 'sandbox' | 'local';

/** What `evolve run` needs beyond the archive: the parts, given the source tree. */
export interface EvolveParts {
  proposers(root: string, names: string[] | undefined): Promise<Proposer[]>;
  evaluator(root: string, runner?: RunnerKind): Promise<Evaluate>;
  localise?(root: string): Promise<(t: Target) => Promise<Suspect[]>>;
  failing(root: string): FailingTests;
  tools(root: string): ToolVersions;
  /** The benchmarks `--target bench:<name>` may name, with their hot files; none when absent. */
  benchmarks?(root: string): ReadonlyMap<string, readonly string[]>;
}

/** The AST proposers by the names `--proposer` takes (combined, then ranked by the 5-gram). */
const PROPOSERS: Record<string, (ts: typeof TS) => Proposer> = {
  mutation: (ts) => mutationProposer(ts),
  template: (ts) => templateProposer(ts),
  copy: (ts) => copyProposer(ts),
  identifier: (ts) => identifierProposer(ts),
};

/** Parameter search over declared `@tunable` consts: its own turn, unranked (it proposes for benchmark targets only). */
const PARAM_SEARCH = 'param-search';

/** Limits of one benchmark run (a workload takes about a CPU-second; the wall limit allows a loaded host). */
const BENCH_LIMITS = { wallMs: 120_000, memoryBytes: 2 ** 31, pids: 64, fileBytes: 2 ** 26, tmpBytes: 2 ** 26 };

/** The compiler, loaded when a run starts: the CLI bundle keeps it out (it is 9 MB and most commands never need it). */
const loadTs = async (): Promise<typeof TS> => (await import('typescript')) as unknown as typeof TS;

/**
 * The jail the sandbox ends in: $DIALOGOS_JAIL, else <root>/build/native/jail, built there with
 * native/build.sh when missing.
 * @throws EvolvePartMissingError when it is missing and cannot be built
 */
export function jailPath(root: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.DIALOGOS_JAIL) return env.DIALOGOS_JAIL;
  const jail = join(root, 'build', 'native', 'jail');
  if (existsSync(jail)) return jail;
  try {
    execFileSync('sh', [join(root, 'native', 'build.sh'), join(root, 'build', 'native'), 'jail'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').at(-1) ?? String(err);
    throw new EvolvePartMissingError(`Cannot build the sandbox's jail with native/build.sh into ${join(root, 'build', 'native')}: ${why}; install gcc or musl-tools, or set DIALOGOS_JAIL`);
  }
  return jail;
}

function runnerFor(root: string, kind: RunnerKind): Runner {
  if (kind === 'local') {
    process.stderr.write('dialogos evolve: warning: --runner local runs candidates as plain child processes, without isolation\n');
    return evaluate.createLocalRunner();
  }
  // The evaluator runs the parent's own test reporter by its path, which the sandbox must show as it is.
  const hidden = ['/tmp', '/run', '/root', '/home', '/var/tmp', '/dev/shm'].find((h) => root === h || root.startsWith(`${h}/`));
  if (hidden) {
    const what = `Cannot judge candidates of "${root}" in the sandbox: it lies under ${hidden}, which the sandbox hides`;
    throw new EvolvePartMissingError(`${what}; move the tree (e.g. under /work or /data) or use --runner local`);
  }
  return createSandboxRunner({ jail: jailPath(root) });
}

/** Every src/**.ts file of the tree that is not a test, a kit or one of `skip`, as texts. */
function codeTexts(root: string, skip: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const n of readdirSync(join(root, rel)).sort()) {
      const r = `${rel}/${n}`;
      if (statSync(join(root, r)).isDirectory()) {
        if (r !== 'src/testkit') walk(r);
      } else if (r.endsWith('.ts') && !r.endsWith('.test.ts') && !skip.has(r)) out.push(readFileSync(join(root, r), 'utf8'));
    }
  };
  walk('src');
  return out;
}

/**
 * Orders `inner`'s proposals by how natural the changed lines read to a 5-gram of the tree's own code (the
 * best local ranker measured on seeded defects), trained at the first turn without the suspects' files, so the
 * defect itself is not what "natural" means.
 */
function ngramRanked(inner: Proposer): Proposer {
  let ranked: Proposer | null = null;
  return {
    name: `ranked(${inner.name}, 5-gram)`,
    propose(ctx) {
      ranked ??= rankedProposer(inner, ngramSpanScorer(trainNgram(codeTexts(ctx.root, new Set(ctx.suspects.map((s) => s.path))))));
      return ranked.propose(ctx);
    },
  };
}

export const realParts: EvolveParts = {
  async proposers(_root, names) {
    const wanted = names?.length ? names : [...Object.keys(PROPOSERS), PARAM_SEARCH];
    const unknown = wanted.filter((n) => !PROPOSERS[n] && n !== PARAM_SEARCH);
    if (unknown.length) throw new UnknownProposerError(`Cannot use proposer "${unknown[0]}": known are ${[...Object.keys(PROPOSERS), PARAM_SEARCH].join(', ')}`);
    const ts = await loadTs();
    const ast = wanted.filter((n) => PROPOSERS[n]);
    return [
      ...(wanted.includes(PARAM_SEARCH) ? [new speed.ParamSearchProposer(ts)] : []),
      ...(ast.length ? [ngramRanked(combinedProposer(ts, ast.map((n) => PROPOSERS[n]!(ts))))] : []),
    ];
  },
  async evaluator(root, kind = 'sandbox') {
    const runner = runnerFor(root, kind);
    const ev = evaluate.createEvaluator({ root, runner, ts: await loadTs() });
    // Benchmarks run in the sandbox too, or (--runner local) in a fresh unsandboxed copy of their tree per run.
    const benchRunner = kind === 'local' ? new speed.ChildRunner({ include: speed.WORKLOAD_TREE }) : runner;
    const bench = speed.benchEvaluator({
      runner: benchRunner, lower: root, env: speed.benchEnv(), limits: BENCH_LIMITS, registry: speed.projectBenchmarks(),
      passToPass: (c, scope) => ev.passToPass(c, scope),
      stage: { log: (l) => process.stderr.write(`dialogos evolve: benchmark ${l}\n`) },
    });
    return (c, t) => (t.kind === 'benchmark' ? bench(c, t) : ev.evaluate(c, t));
  },
  async localise(root) {
    const ts = await loadTs();
    const hot = new Map(speed.projectBenchmarks().list().map((b) => [b.name, b.hot ?? []]));
    return async (t: Target) => (t.kind === 'tests'
      ? localise({ root, failing: t.failToPass, passing: contrastFiles(root, t.failToPass) })
      : speed.hotSuspects(ts, root, t.scope ?? hot.get(t.benchmark) ?? []));
  },
  benchmarks: () => new Map(speed.projectBenchmarks().list().map((b) => [b.name, b.hot ?? []])),
  failing: (root) => async (filter) => unitFailures(root, filter),
  tools: toolVersions,
};

/**
 * Test files to contrast the failing tests with (Ochiai needs runs that pass): the other test files of the
 * failing tests' folders that reach the same sources, at most `limit`. A file that fails counts as failing.
 */
export function contrastFiles(root: string, failing: readonly { file: string }[], limit = 6): string[] {
  const files = [...new Set(failing.map((t) => t.file))];
  const sources = [...reachedFiles(root, files)].filter((f) => !f.endsWith('.test.ts'));
  const dirs = new Set(files.map((f) => f.slice(0, f.lastIndexOf('/') + 1)));
  return testFilesReaching(root, sources)
    .filter((f) => !files.includes(f) && dirs.has(f.slice(0, f.lastIndexOf('/') + 1)))
    .slice(0, limit);
}

/** Runs the unit tests (whose path contains `filter`) and reads which failed from the per-test records. */
function unitFailures(root: string, filter?: string): Promise<{ file: string; name: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-failing-'));
  try {
    const file = join(dir, 'unit.tests.json');
    const dist = filter?.replace(/^src\//, '').replace(/\.ts$/, '.js');
    try {
      execFileSync(process.execPath, ['scripts/run-tests.mjs', 'unit', ...(dist ? [dist] : []), '--results', file], { cwd: root, stdio: 'ignore' });
    } catch {
      // failing tests make the runner exit non-zero: the records say which
    }
    return Promise.resolve(failingFromRecords(JSON.parse(readFileSync(file, 'utf8'))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** sha256 over the paths and bytes of the tree's src/ files, in path order. */
export function treeDigest(root: string): string | null {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    for (const n of readdirSync(join(root, rel)).sort()) {
      const r = `${rel}/${n}`;
      if (statSync(join(root, r)).isDirectory()) walk(r);
      else h.update(`${r}\0`).update(readFileSync(join(root, r))).update('\0');
    }
  };
  try {
    walk('src');
    return h.digest('hex');
  } catch {
    return null;
  }
}

export function toolVersions(root: string): ToolVersions {
  let typescript = 'unknown', commit: string | null = null;
  try { typescript = String((JSON.parse(readFileSync(join(root, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version?: string }).version); } catch { /* not installed */ }
  try { commit = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null; } catch { /* not a checkout */ }
  return { node: process.version, typescript, commit, treeDigest: treeDigest(root) };
}
