// The per-test records a run of the parent's reporter (scripts/test-reporter.mjs) leaves in the run's outDir,
// read strictly: anything malformed or duplicated is refused, never repaired. And the honesty checks on one
// test file's records: the evaluator's canary must be there and failed with its nonce, and the set of test
// names must equal the parent's.
import { TestRecordsError } from './errors.js';

export type TestStatus = 'pass' | 'fail' | 'skip' | 'todo';

export interface TestRecord {
  file: string;
  name: string;
  status: TestStatus;
  failure: string | null;
}

const STATUSES = new Set<string>(['pass', 'fail', 'skip', 'todo']);

function recordOf(x: unknown, i: number, where: string): TestRecord {
  const r = x as Record<string, unknown> | null;
  const bad = (why: string): never => { throw new TestRecordsError(`Cannot read test record ${i} of "${where}": ${why}`); };
  if (typeof r !== 'object' || r === null) return bad('not an object');
  if (typeof r.file !== 'string' || r.file === '') bad('"file" is not a non-empty string');
  if (typeof r.name !== 'string') bad('"name" is not a string');
  if (!Array.isArray(r.path) || !r.path.every((p) => typeof p === 'string')) bad('"path" is not a list of strings');
  if ((r.path as string[]).join(' > ') !== r.name) bad(`"name" ${JSON.stringify(r.name)} is not its path joined with " > "`);
  if (typeof r.status !== 'string' || !STATUSES.has(r.status)) bad(`"status" ${JSON.stringify(r.status)} is not pass, fail, skip or todo`);
  if (r.failure !== null && typeof r.failure !== 'string') bad('"failure" is neither null nor a string');
  return { file: r.file as string, name: r.name as string, status: r.status as TestStatus, failure: r.failure as string | null };
}

/**
 * Parses a records file's text; `where` names it in errors.
 * @throws TestRecordsError on bad JSON, a wrong schema, a malformed record, or two records of one test
 */
export function parseRecords(text: string, where: string): TestRecord[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new TestRecordsError(`Cannot parse the test records "${where}": ${(err as Error).message}`, { cause: err });
  }
  const d = doc as { schema?: unknown; tests?: unknown } | null;
  if (typeof d !== 'object' || d === null || d.schema !== 1 || !Array.isArray(d.tests)) {
    throw new TestRecordsError(`Cannot read the test records "${where}": expected {"schema": 1, "tests": [...]}`);
  }
  const records = d.tests.map((x, i) => recordOf(x, i, where));
  const seen = new Set<string>();
  for (const r of records) {
    const key = keyOf(r);
    if (seen.has(key)) throw new TestRecordsError(`Cannot read the test records "${where}": test "${r.name}" of "${r.file}" is reported twice`);
    seen.add(key);
  }
  return records;
}

export const keyOf = (r: { file: string; name: string }): string => `${r.file}\0${r.name}`;

export const canaryName = (nonce: string): string => `canary ${nonce}`;

/** The records without the canary, or a reason why the canary shows the run cannot be trusted. */
export function checkCanary(records: readonly TestRecord[], nonce: string): { tests: TestRecord[]; problem: string | null } {
  const name = canaryName(nonce);
  const canaries = records.filter((r) => r.name === name);
  const tests = records.filter((r) => r.name !== name);
  if (canaries.length !== 1) return { tests, problem: `the canary test "${name}" was reported ${canaries.length} times, not once (the file exited early or its report is forged)` };
  const c = canaries[0]!;
  // Its failure is its nonce, unless an error an earlier test leaked (an unhandled rejection) reached the
  // canary first: node charges such errors to the test running then, and the canary runs last.
  if (c.status !== 'fail') return { tests, problem: `the canary test "${name}" must fail; it was reported ${c.status}` };
  return { tests, problem: null };
}

/** Test names the parent reported and the candidate did not, and the other way round (empty: the same set). */
export function nameDiff(parent: readonly TestRecord[], candidate: readonly TestRecord[]): { missing: TestRecord[]; extra: TestRecord[] } {
  const p = new Set(parent.map(keyOf));
  const c = new Set(candidate.map(keyOf));
  // A suite whose hook failed on the parent is one failing record named after the suite, and its tests never
  // ran there; a candidate that mends the hook reports those tests instead. That is the parent's own tests
  // running, not tests vanishing or appearing. (The other way round, a hook the candidate breaks, still differs.)
  const brokenSuites = parent.filter((r) => r.status === 'fail' && !c.has(keyOf(r)));
  const inSuite = (r: TestRecord, s: TestRecord): boolean => r.file === s.file && r.name.startsWith(`${s.name} > `);
  const mended = brokenSuites.filter((s) => candidate.some((r) => inSuite(r, s)));
  return {
    missing: parent.filter((r) => !c.has(keyOf(r)) && !mended.includes(r)),
    extra: candidate.filter((r) => !p.has(keyOf(r)) && !mended.some((s) => inSuite(r, s))),
  };
}
