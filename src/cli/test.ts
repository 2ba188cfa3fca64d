// dialogos test: install what is missing and run the test suite.
//
// SYNOPSIS
//   dialogos test [--unit | --vm | --long] [filter]
//
// DESCRIPTION
//   Installs missing Debian packages, builds the image when VM tests run and it is stale, then runs the unit
//   tests (host only) and the per-commit VM tests (TCG boots, one at a time). --long adds the opt-in long VM
//   suite (*.vmlong.test.ts). Lists every skipped (or todo) test with its file and reason, ends with
//   "N passed, N failed, N skipped" (todo counted as skipped) and exits non-zero on any failure. Writes
//   build/test-results/<kind>.json (the counts) and <kind>.tests.json (one record per test, format in
//   scripts/test-reporter.mjs) for each kind run.
//
// ENVIRONMENT
//   DIALOGOS_TEST_STRICT  1: a test whose prerequisite is missing fails instead of skipping (see
//                         src/testkit/prerequisite.ts). Set to 1 when CI=true or when run as root, unless
//                         already set (DIALOGOS_TEST_STRICT=0 opts out).
//
// OPTIONS
//   --unit    unit tests only
//   --vm      VM tests only
//   --long    unit, VM and the long VM suite
//   filter    run only test files whose path contains this text
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildDir, defaultImagePath, ensureImage, ensurePackages, HOST_PACKAGES, projectRoot } from '../vm/index.js';

export interface TestOptions {
  unit?: boolean;
  vm?: boolean;
  long?: boolean;
}

type Kind = 'unit' | 'vm' | 'vm-long';

interface Counts { files: number; passed: number; failed: number; skipped: number; todo: number }

interface TestRecord { file: string | null; name: string; status: string; skipReason: string | null }

const say = (line: string): void => { process.stderr.write(line + '\n'); };

export function kindsFor(o: TestOptions): Kind[] {
  if (o.unit) return ['unit'];
  if (o.vm) return ['vm'];
  if (o.long) return ['unit', 'vm', 'vm-long'];
  return ['unit', 'vm'];
}

/** Strict unless set by hand: where every prerequisite of a test is expected (CI, or root on Linux). */
export function strictFlag(env: NodeJS.ProcessEnv, uid: number | undefined): string {
  if (env.DIALOGOS_TEST_STRICT !== undefined && env.DIALOGOS_TEST_STRICT !== '') return env.DIALOGOS_TEST_STRICT;
  return env.CI === 'true' || uid === 0 ? '1' : '0';
}

/** The counts of one kind's run; a missing or unreadable summary is one failure. */
function readCounts(file: string): Counts {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<Counts>;
    return { files: s.files ?? 0, passed: s.passed ?? 0, failed: s.failed ?? 0, skipped: s.skipped ?? 0, todo: s.todo ?? 0 };
  } catch {
    return { files: 0, passed: 0, failed: 1, skipped: 0, todo: 0 };
  }
}

/** The lines naming each skipped or todo test of one kind's records ("file: name: reason"). */
export function skipLines(recordsJson: string): string[] {
  const tests = (JSON.parse(recordsJson) as { tests: TestRecord[] }).tests;
  return tests.filter((t) => t.status === 'skip' || t.status === 'todo')
    .map((t) => `${t.status === 'todo' ? 'todo' : 'skipped'}: ${t.file ?? '?'}: ${t.name}: ${t.skipReason ?? '(no reason given)'}`);
}

function runKind(kind: Kind, filter: string, dir: string, env: NodeJS.ProcessEnv): { counts: Counts; skips: string[] } {
  say(`dialogos: running ${kind} tests${filter ? ` matching "${filter}"` : ''}`);
  const summary = join(dir, `${kind}.json`);
  const results = join(dir, `${kind}.tests.json`);
  const r = spawnSync(process.execPath, [join(projectRoot(), 'scripts/run-tests.mjs'), kind, filter, '--summary', summary, '--results', results, '--allow-empty'], {
    cwd: projectRoot(), stdio: 'inherit', env,
  });
  const counts = readCounts(summary);
  if (r.status !== 0 && counts.failed === 0) counts.failed = 1;
  let skips: string[] = [];
  try {
    skips = skipLines(readFileSync(results, 'utf8'));
  } catch {
    if (counts.skipped + counts.todo > 0) skips = [`skipped: ${counts.skipped + counts.todo} ${kind} test(s), but ${results} could not be read`];
  }
  return { counts, skips };
}

export async function runTest(o: TestOptions, filter = ''): Promise<number> {
  ensurePackages(HOST_PACKAGES, say);
  const kinds = kindsFor(o);
  if (kinds.includes('vm')) {
    try {
      await ensureImage(defaultImagePath(), say);
    } catch (err) {
      // VM tests that need the image fail on their own with a clear message; runner tests still run.
      say(`dialogos: ${(err as Error).message}${(err as Error).cause ? `: ${((err as Error).cause as Error).message}` : ''}`);
    }
  }
  const dir = join(buildDir(), 'test-results');
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, DIALOGOS_IMAGE: defaultImagePath(), DIALOGOS_TEST_STRICT: strictFlag(process.env, process.getuid?.()) };
  if (env.DIALOGOS_TEST_STRICT === '1') say('dialogos: strict: a test whose prerequisite is missing here fails (DIALOGOS_TEST_STRICT=0 to skip instead)');
  const total: Counts = { files: 0, passed: 0, failed: 0, skipped: 0, todo: 0 };
  const skips: string[] = [];
  for (const kind of kinds) {
    const r = runKind(kind, filter, dir, env);
    for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += r.counts[k];
    skips.push(...r.skips);
  }
  if (total.files === 0) {
    say(`dialogos: no test files match "${filter}"`);
    total.failed += 1;
  }
  for (const line of skips) process.stdout.write(line + '\n');
  process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped + total.todo} skipped\n`);
  return total.failed === 0 ? 0 : 1;
}

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('install what is missing and run the tests (unit + VM by default)')
    .argument('[filter]', 'only test files whose path contains this text', '')
    .option('--unit', 'unit tests only')
    .option('--vm', 'VM tests only')
    .option('--long', 'also the opt-in long VM suite')
    .action(async (filter: string, o: TestOptions) => {
      process.exitCode = await runTest(o, filter);
    });
}
