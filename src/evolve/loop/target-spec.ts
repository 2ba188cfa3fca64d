// Target specs of `dialogos evolve run --target`: test:<file>[#name] (that file's failing tests, or the one
// named), failing (the failing tests of a unit run) and bench:<name> (a known benchmark, scoped to its hot files). Which tests fail is asked of an
// injected function, so the parser is tested without running a suite.
import type { Target, TestRef } from '../types.js';

/** A target spec that is not one of the known forms, or that names nothing to improve. */
export class InvalidTargetError extends Error {
  override name = 'InvalidTargetError';
}

/** The benchmarks a run may target: name → the source files it spends its time in (the target's scope). */
export type KnownBenchmarks = ReadonlyMap<string, readonly string[]>;

/** The failing tests of a unit run, limited to files whose path contains `filter` when given. */
export type FailingTests = (filter?: string) => Promise<TestRef[]>;

const FORMS = 'test:<file>[#name], failing or bench:<name>';

/**
 * Resolves `spec` to a target. A benchmark target's scope is its benchmark's hot files (else all of src/).
 * @throws InvalidTargetError for an unknown form, a bad file, a benchmark not in `benchmarks`, or tests that do not fail
 */
export async function resolveTarget(spec: string, failing: FailingTests, benchmarks: KnownBenchmarks = new Map()): Promise<Target> {
  if (spec === 'failing') return testsTarget(spec, await failing(), 'no unit test fails');
  if (spec.startsWith('bench:')) return benchmarkTarget(spec, benchmarks);
  const t = /^test:([^#]+)(?:#(.+))?$/.exec(spec);
  if (!t) throw new InvalidTargetError(`Cannot use target "${spec}": expected ${FORMS}`);
  const file = t[1]!, name = t[2];
  if (!/^src\/[\w@./-]+\.test\.ts$/.test(file) || file.split('/').includes('..')) {
    throw new InvalidTargetError(`Cannot use target "${spec}": "${file}" is not a test file under src/ (src/x/y.test.ts)`);
  }
  const failed = (await failing(file)).filter((r) => r.file === file && (name === undefined || r.name === name));
  return testsTarget(spec, failed, name === undefined ? `no test in "${file}" fails` : `test "${name}" of "${file}" does not fail`);
}

function benchmarkTarget(spec: string, benchmarks: KnownBenchmarks): Target {
  const name = spec.slice('bench:'.length);
  if (!/^[\w.-]+$/.test(name)) throw new InvalidTargetError(`Cannot use target "${spec}": "${name}" is not a benchmark name (letters, digits, . _ -)`);
  const hot = benchmarks.get(name);
  if (!hot) {
    const known = [...benchmarks.keys()].map((k) => `bench:${k}`).join(', ') || 'none';
    throw new InvalidTargetError(`Cannot use target "${spec}": no benchmark "${name}" is known (known: ${known})`);
  }
  return { kind: 'benchmark', benchmark: name, origin: spec, ...(hot.length ? { scope: [...hot] } : {}) };
}

function testsTarget(spec: string, failToPass: TestRef[], none: string): Target {
  if (failToPass.length === 0) throw new InvalidTargetError(`Cannot use target "${spec}": ${none}, so there is nothing to fix`);
  return { kind: 'tests', failToPass, origin: spec };
}

/** Reads the failing tests out of the runner's per-test records (build/test-results/<kind>.tests.json). */
export function failingFromRecords(json: unknown): TestRef[] {
  const tests = (json as { tests?: unknown }).tests;
  if (!Array.isArray(tests)) throw new InvalidTargetError('Cannot read the per-test results: they have no "tests" list');
  return tests
    .filter((t): t is { file: string; name: string; status: string } => typeof t?.file === 'string' && typeof t?.name === 'string' && t.status === 'fail')
    .map((t) => ({ file: t.file, name: t.name }));
}
