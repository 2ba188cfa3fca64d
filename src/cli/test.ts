// dialogos test: install what is missing and run the test suite.
//
// SYNOPSIS
//   dialogos test [--unit | --vm | --long] [filter]
//
// DESCRIPTION
//   Installs missing Debian packages, builds the image when VM tests run and it is stale, then runs the unit
//   tests (host only) and the per-commit VM tests (TCG boots, one at a time). --long adds the opt-in long VM
//   suite (*.vmlong.test.ts). Prints "N passed, N failed" and exits non-zero on any failure.
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

const say = (line: string): void => { process.stderr.write(line + '\n'); };

export function kindsFor(o: TestOptions): Kind[] {
  if (o.unit) return ['unit'];
  if (o.vm) return ['vm'];
  if (o.long) return ['unit', 'vm', 'vm-long'];
  return ['unit', 'vm'];
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
  let passed = 0;
  let failed = 0;
  let files = 0;
  for (const kind of kinds) {
    say(`dialogos: running ${kind} tests${filter ? ` matching "${filter}"` : ''}`);
    const summary = join(dir, `${kind}.json`);
    const r = spawnSync(process.execPath, [join(projectRoot(), 'scripts/run-tests.mjs'), kind, filter, '--summary', summary, '--allow-empty'], {
      cwd: projectRoot(), stdio: 'inherit', env: { ...process.env, DIALOGOS_IMAGE: defaultImagePath() },
    });
    try {
      const s = JSON.parse(readFileSync(summary, 'utf8')) as { files: number; passed: number; failed: number };
      files += s.files;
      passed += s.passed;
      failed += s.failed;
    } catch {
      failed += 1;
    }
    if (r.status !== 0 && failed === 0) failed = 1;
  }
  if (files === 0) {
    say(`dialogos: no test files match "${filter}"`);
    failed += 1;
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
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
