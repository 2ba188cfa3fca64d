// The honesty rules applied to one candidate run of a test file against the parent's run of the same file:
// the run must be trustworthy (records, canary), report exactly the parent's tests, keep every test that
// passed on the parent passing (pass-to-pass), and pass the target's fail-to-pass tests it defines.
import type { TestRef } from '../types.js';
import { keyOf, nameDiff, type TestRecord } from './records.js';
import type { FileRun } from './test-run.js';

export interface RunVerdict {
  /** Why the candidate's run is rejected, or null. */
  problem: string | null;
  /** Tests that failed the rules (pass-to-pass broken, fail-to-pass not fixed, vanished). */
  failed: TestRef[];
  /** Keys (file NUL name) of fail-to-pass tests that passed in this run. */
  fixed: Set<string>;
}

const ref = (r: TestRecord): TestRef => ({ file: r.file, name: r.name });
const names = (rs: readonly TestRecord[], n = 3): string =>
  rs.slice(0, n).map((r) => `"${r.name}"`).join(', ') + (rs.length > n ? ` and ${rs.length - n} more` : '');

/** Judges `cand` (a candidate's run of a file) against `parent` (the parent's run of it). */
export function judgeRun(parent: FileRun, cand: FileRun, failToPass: ReadonlySet<string>): RunVerdict {
  const fixed = new Set<string>();
  const { missing, extra } = nameDiff(parent.tests, cand.tests);
  if (cand.problem || missing.length > 0 || extra.length > 0) {
    const parts = [
      cand.problem ?? '',
      missing.length > 0 ? `${missing.length} of the parent's tests vanished (${names(missing)})` : '',
      extra.length > 0 ? `${extra.length} tests the parent does not have appeared (${names(extra)})` : '',
      missing.length > 0 || extra.length > 0 ? `the parent reported ${parent.tests.length}, the candidate ${cand.tests.length}` : '',
    ].filter(Boolean);
    return { problem: `${cand.file}: ${parts.join('; ')}`, failed: missing.map(ref), fixed };
  }
  const byKey = new Map(cand.tests.map((r) => [keyOf(r), r]));
  const broken = parent.tests.filter((p) => p.status === 'pass' && byKey.get(keyOf(p))?.status !== 'pass');
  const unfixed = parent.tests.filter((p) => failToPass.has(keyOf(p)) && byKey.get(keyOf(p))?.status !== 'pass');
  for (const p of parent.tests) if (failToPass.has(keyOf(p)) && byKey.get(keyOf(p))?.status === 'pass') fixed.add(keyOf(p));
  const first = broken[0] && byKey.get(keyOf(broken[0]));
  // A detail is one line: the first line of the first failure (property tests print pages).
  const why = first ? (first.failure ?? first.status).split('\n')[0]!.slice(0, 300) : '';
  const problems = [
    broken.length > 0 ? `${broken.length} tests that pass on the parent fail (${names(broken)}): ${why}` : '',
    unfixed.length > 0 ? `${unfixed.length} fail-to-pass tests still fail (${names(unfixed)})` : '',
  ].filter(Boolean);
  return { problem: problems.length > 0 ? `${cand.file}: ${problems.join('; ')}` : null, failed: [...broken, ...unfixed].map(ref), fixed };
}
