// Runs one test (or one whole test file) of a built tree under node --test with NODE_V8_COVERAGE, and says
// whether it passed. One process per run, so each run's coverage is its own.
import { spawn } from 'node:child_process';
import type { TestRef } from '../types.js';
import { LocaliseRunError } from './errors.js';

export interface TestRun {
  passed: number;
  failed: number;
}

/** Runs argv in root with env; resolves with exit code and stdout. */
export type Exec = (argv: string[], o: { cwd: string; env: Record<string, string>; timeoutMs: number }) => Promise<{ code: number | null; stdout: string }>;

export const spawnExec: Exec = (argv, o) => new Promise((resolve, reject) => {
  const child = spawn(argv[0]!, argv.slice(1), { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: o.timeoutMs });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.resume();
  child.on('error', reject);
  child.on('close', (code) => resolve({ code, stdout }));
});

/** The built file of a source test file: src/x/y.test.ts -> dist/x/y.test.js. */
export function distOf(file: string): string {
  return file.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Runs a test by the last part of its name, or a whole file when given a path. The pattern matches a test's own
 * name (node 24 also tries the name joined to its ancestors', and no longer lists the tests it leaves out as skipped;
 * the counts read here are passes and failures only, so both behave the same).
 * @throws LocaliseRunError when the run cannot start or runs no test
 */
export async function runWithCoverage(exec: Exec, root: string, what: TestRef | string, coverageDir: string, timeoutMs: number): Promise<TestRun> {
  const file = typeof what === 'string' ? what : what.file;
  const argv = [process.execPath, '--test', '--test-reporter=tap'];
  if (typeof what !== 'string') argv.push(`--test-name-pattern=^${escape(what.name.split(' > ').at(-1)!)}$`);
  argv.push(distOf(file));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NODE_V8_COVERAGE: coverageDir };
  let r: { code: number | null; stdout: string };
  try {
    r = await exec(argv, { cwd: root, env, timeoutMs });
  } catch (cause) {
    throw new LocaliseRunError(`Cannot run test "${typeof what === 'string' ? what : what.name}" of "${file}": ${(cause as Error).message}`, { cause });
  }
  const count = (k: string) => Number(new RegExp(`^# ${k} (\\d+)`, 'm').exec(r.stdout)?.[1] ?? 0);
  const run = { passed: count('pass'), failed: count('fail') + count('cancelled') };
  // Node 24 reports a file in which the pattern matched nothing as one passing test named after the file.
  const ran = typeof what === 'string' || new RegExp(`^\\s*(not )?ok \\d+ - ${escape(what.name.split(' > ').at(-1)!)}( #|$)`, 'm').test(r.stdout);
  if (run.passed + run.failed === 0 || !ran) {
    throw new LocaliseRunError(`Cannot localise with test "${typeof what === 'string' ? file : what.name}" of "${file}": no test ran (exit ${r.code}); is the tree built?`);
  }
  return run;
}
