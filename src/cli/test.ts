// dialogos test: install what is missing and run the test suite.
//
// SYNOPSIS
//   dialogos test [--unit | --vm | --long] [filter]
//
// DESCRIPTION
//   On a build host: installs missing Debian packages, builds the image when VM tests run and it is stale, then runs the unit
//   tests (host only) and the per-commit VM tests (TCG boots, one at a time). --long adds the opt-in long VM
//   suite (*.vmlong.test.ts). Lists every skipped (or todo) test with its file and reason, ends with
//   "N passed, N failed, N skipped" (todo counted as skipped) and exits non-zero on any failure. Writes
//   build/test-results/<kind>.json (the counts) and <kind>.tests.json (one record per test, format in
//   scripts/test-reporter.mjs) for each kind run.
//   Inside the booted OS (a generation tree: bin/dialogos.mjs beside dist/): unit tests only, from the tree's
//   own dist/ with its own scripts/run-tests.mjs; nothing is installed; a tree that lacks a self-test need
//   (src/evolve/evaluate/self-test.ts) is an error naming the missing path. Records go to --results or
//   $TMPDIR/dialogos-test-results/; tests whose host prerequisites (QEMU, apt, a GPU) are missing are skipped
//   with their reason (not strict by default there).
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
//   --results FILE  also write the per-test records of the (one) kind run there
//   filter    run only test files whose path contains this text
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { selfTestGaps } from '../evolve/evaluate/self-test.js';
import { buildDir, defaultImagePath, ensureImage, ensurePackages, HOST_PACKAGES, projectRoot } from '../vm/index.js';

export interface TestOptions {
  unit?: boolean;
  vm?: boolean;
  long?: boolean;
  results?: string;
}

/** `dialogos test` was asked for something the tree it runs from cannot do. */
export class SelfTestUnavailableError extends Error {
  override name = 'SelfTestUnavailableError';
}

/** Where the tests run from: a checkout on a build host, or (in the booted OS) the generation tree. */
export interface TestTree { root: string; generation: boolean }

/**
 * The tree this program runs from: the nearest folder above it with scripts/run-tests.mjs (dist/cli/test.js in a
 * checkout, bin/dialogos.mjs in a generation, where projectRoot() would be "/"). A generation has bin/dialogos.mjs.
 */
export function testTree(from = fileURLToPath(import.meta.url)): TestTree {
  for (let d = dirname(from); d !== dirname(d); d = dirname(d)) {
    if (existsSync(join(d, 'scripts/run-tests.mjs')) && existsSync(join(d, 'package.json'))) return { root: d, generation: existsSync(join(d, 'bin/dialogos.mjs')) };
  }
  return { root: projectRoot(), generation: false };
}

/** @throws SelfTestUnavailableError naming each missing need, or when a generation is asked for VM tests */
export function checkGenerationTree(root: string, kinds: readonly Kind[]): void {
  if (kinds.some((k) => k !== 'unit')) {
    throw new SelfTestUnavailableError(`Cannot run ${kinds.join(' and ')} tests inside the OS from "${root}": VM tests need a build host with QEMU; use --unit`);
  }
  const gaps = selfTestGaps(root);
  if (gaps.length > 0) {
    throw new SelfTestUnavailableError(`Cannot run the unit tests from "${root}": it lacks ${gaps.map((g) => `${join(root, g.path)} (${g.why})`).join(', ')}`);
  }
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

function runKind(kind: Kind, filter: string, dir: string, env: NodeJS.ProcessEnv, root: string): { counts: Counts; skips: string[] } {
  say(`dialogos: running ${kind} tests${filter ? ` matching "${filter}"` : ''}`);
  const summary = join(dir, `${kind}.json`);
  const results = join(dir, `${kind}.tests.json`);
  const r = spawnSync(process.execPath, [join(root, 'scripts/run-tests.mjs'), kind, filter, '--summary', summary, '--results', results, '--allow-empty'], {
    cwd: root, stdio: 'inherit', env,
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

/** Inside the OS: what the tree lacks is an error; nothing is installed; missing host prerequisites skip. */
function prepareGeneration(root: string, kinds: readonly Kind[]): { dir: string; env: NodeJS.ProcessEnv } | null {
  try {
    checkGenerationTree(root, kinds);
  } catch (err) {
    if (!(err instanceof SelfTestUnavailableError)) throw err;
    say(`dialogos: ${err.message}`);
    return null;
  }
  const strict = process.env.DIALOGOS_TEST_STRICT ? process.env.DIALOGOS_TEST_STRICT : '0';
  return { dir: join(process.env.TMPDIR ?? tmpdir(), 'dialogos-test-results'), env: { ...process.env, DIALOGOS_TEST_STRICT: strict } };
}

export async function runTest(o: TestOptions, filter = ''): Promise<number> {
  const tree = testTree();
  const kinds = o.unit || !tree.generation ? kindsFor(o) : (['unit'] as Kind[]);
  if (o.results && kinds.length !== 1) { say('dialogos: --results needs one kind (--unit or --vm)'); return 2; }
  const run = tree.generation ? prepareGeneration(tree.root, o.vm || o.long ? kindsFor(o) : kinds) : await prepareHost(kinds);
  if (!run) return 2;
  mkdirSync(run.dir, { recursive: true });
  if (run.env.DIALOGOS_TEST_STRICT === '1') say('dialogos: strict: a test whose prerequisite is missing here fails (DIALOGOS_TEST_STRICT=0 to skip instead)');
  const total: Counts = { files: 0, passed: 0, failed: 0, skipped: 0, todo: 0 };
  const skips: string[] = [];
  for (const kind of kinds) {
    const r = runKind(kind, filter, run.dir, run.env, tree.root);
    for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += r.counts[k];
    skips.push(...r.skips);
    const records = join(run.dir, `${kind}.tests.json`);
    if (o.results && existsSync(records)) copyFileSync(records, o.results);
    else if (tree.generation) say(`dialogos: per-test records: ${records}`);
  }
  if (total.files === 0) {
    say(`dialogos: no test files match "${filter}"`);
    total.failed += 1;
  }
  for (const line of skips) process.stdout.write(line + '\n');
  process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped + total.todo} skipped\n`);
  return total.failed === 0 ? 0 : 1;
}

/** On a build host: the Debian packages, the image for VM tests, strict where prerequisites are expected. */
async function prepareHost(kinds: readonly Kind[]): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  ensurePackages(HOST_PACKAGES, say);
  if (kinds.includes('vm')) {
    try {
      await ensureImage(defaultImagePath(), say);
    } catch (err) {
      // VM tests that need the image fail on their own with a clear message; runner tests still run.
      say(`dialogos: ${(err as Error).message}${(err as Error).cause ? `: ${((err as Error).cause as Error).message}` : ''}`);
    }
  }
  const env = { ...process.env, DIALOGOS_IMAGE: defaultImagePath(), DIALOGOS_TEST_STRICT: strictFlag(process.env, process.getuid?.()) };
  return { dir: join(buildDir(), 'test-results'), env };
}

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('install what is missing and run the tests (unit + VM by default)')
    .argument('[filter]', 'only test files whose path contains this text', '')
    .option('--unit', 'unit tests only')
    .option('--vm', 'VM tests only')
    .option('--long', 'also the opt-in long VM suite')
    .option('--results <file>', 'also write the per-test records (scripts/test-reporter.mjs format) there')
    .action(async (filter: string, o: TestOptions) => {
      process.exitCode = await runTest(o, filter);
    });
}
