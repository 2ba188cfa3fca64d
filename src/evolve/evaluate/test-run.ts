// Runs one unit test file against a tree (the parent's, or a candidate's view) through a Runner, the way the
// evaluator trusts: node --test on a wrapper the evaluator writes, which defines a canary test that must fail
// with a fresh nonce after importing the real compiled test file; the PARENT's reporter writes the records
// into a fresh outDir, and only that file is read (stdout is never parsed).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { FileChange } from '../candidate.js';
import type { RunResult, Runner, SandboxLimits } from '../types.js';
import { TestRecordsError } from './errors.js';
import { canaryName, checkCanary, parseRecords, type TestRecord } from './records.js';

export interface TestRunConfig {
  root: string;
  runner: Runner;
  /** The parent's reporter (scripts/test-reporter.mjs under root). */
  reporter: string;
  node: string;
  limits: SandboxLimits;
  /** Added to the scrubbed environment of every run. */
  env: Record<string, string>;
  /** Where each run's outDir is made. */
  workDir: string;
}

export interface FileRun {
  /** The test file (src/x/y.test.ts). */
  file: string;
  /** Its records, the canary left out. */
  tests: TestRecord[];
  /** Why the run cannot be trusted (no records, bad records, canary), or null. */
  problem: string | null;
  wallMs: number;
  cpuMs: number;
  limitHit: RunResult['limitHit'];
}

/** The compiled file of a source path: src/x/y.test.ts → dist/x/y.test.js. */
export const distOf = (file: string): string => file.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');

function wrapper(file: string, nonce: string): FileChange {
  const js = distOf(file);
  // Its name is not the nonce: the test process sees its own argv.
  const path = `${js.replace(/\.js$/, '')}.canary-${randomBytes(6).toString('hex')}.mjs`;
  const name = JSON.stringify(canaryName(nonce));
  // The canary is defined after the real file's tests, so it runs last: a file that exits or throws while
  // loading, or a test that ends the process, leaves it unreported.
  const after = [
    "import { test } from 'node:test';",
    `await import(${JSON.stringify(`./${posix.basename(js)}`)});`,
    `test(${name}, () => { throw new Error(${name}); });`,
    '',
  ].join('\n');
  return { path, before: null, after };
}

function readRecords(outFile: string): TestRecord[] | string {
  if (!existsSync(outFile)) return 'the reporter wrote no records (the run crashed or was stopped)';
  try {
    return parseRecords(readFileSync(outFile, 'utf8'), outFile);
  } catch (err) {
    if (err instanceof TestRecordsError) return err.message;
    throw err;
  }
}

/** Runs `file` (a src/ test path) on the parent tree with `changes` over it. */
export async function runTestFile(cfg: TestRunConfig, file: string, changes: readonly FileChange[]): Promise<FileRun> {
  const nonce = randomBytes(12).toString('hex');
  const w = wrapper(file, nonce);
  const outDir = mkdtempSync(join(cfg.workDir, 'run-'));
  const outFile = join(outDir, 'records.json');
  mkdirSync(join(outDir, 'tmp'));
  try {
    const res = await cfg.runner.run({
      tree: { lower: cfg.root, changes: [...changes, w] },
      argv: [cfg.node, '--test', '--test-concurrency=1', `--test-reporter=${cfg.reporter}`, `--test-reporter-destination=${outFile}`, w.path],
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', HOME: outDir, TMPDIR: join(outDir, 'tmp'), DIALOGOS_TEST_KIND: 'unit', ...cfg.env },
      limits: cfg.limits,
      outDir,
    });
    const base = { file, wallMs: res.wallMs, cpuMs: res.cpuMs, limitHit: res.limitHit };
    // A run stopped by a limit has no complete records, whatever its reporter left behind.
    if (res.limitHit) return { ...base, tests: [], problem: `the run was stopped by its ${res.limitHit} limit after ${res.wallMs} ms` };
    const got = readRecords(outFile);
    if (typeof got === 'string') return { ...base, tests: [], problem: got };
    const { tests, problem } = checkCanary(got, nonce);
    return { ...base, tests, problem };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Runs `files` with at most `concurrency` runs at once; results in the order of `files`. */
export async function runTestFiles(cfg: TestRunConfig, files: readonly string[], changes: readonly FileChange[], concurrency: number): Promise<FileRun[]> {
  const out: FileRun[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      out[i] = await runTestFile(cfg, files[i]!, changes);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, worker));
  return out;
}
