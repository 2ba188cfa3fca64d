// dialogos test's counting: the per-test reporter (scripts/test-reporter.mjs) and scripts/run-tests.mjs over
// a throwaway tree of test files, and the strict-mode default.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { skipLines, strictFlag } from './test.js';

const RUN_TESTS = fileURLToPath(new URL('../../scripts/run-tests.mjs', import.meta.url));
const FIXTURE = `import { describe, it, test } from 'node:test';
describe('outer', () => {
  it('passes', () => {});
  describe('inner', () => { it('fails', () => { throw new Error('the answer is not 42'); }); });
  it('skips with a reason', (t) => t.skip('needs a GPU'));
  it('is todo', { todo: 'later' }, () => {});
});
describe('skipped suite', { skip: 'needs root' }, () => { it('never reported', () => {}); });
test('skipped without a reason', { skip: true }, () => {});
`;

const dir = mkdtempSync(join(tmpdir(), 'dialogos-run-tests-'));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'dist'));
writeFileSync(join(dir, 'dist/a.test.js'), FIXTURE);
writeFileSync(join(dir, 'dist/b.test.js'), `throw new Error('cannot load');\n`);

/** run-tests.mjs in the throwaway tree, outside this runner (NODE_TEST_CONTEXT would nest the runs). */
function runTests(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return spawnSync(process.execPath, [RUN_TESTS, 'unit', ...args], { cwd: dir, env, encoding: 'utf8' });
}

test('run-tests counts passed, failed, skipped and todo from the per-test records', () => {
  const r = runTests('--summary', join(dir, 's.json'), '--results', join(dir, 'r.json'));
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')), { kind: 'unit', files: 2, passed: 1, failed: 2, skipped: 3, todo: 1 });
  assert.match(r.stdout, /✔ passes/, 'the spec reporter still writes to stdout');
  const { schema, kind, tests } = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { schema: number; kind: string; tests: Record<string, unknown>[] };
  assert.deepEqual({ schema, kind }, { schema: 1, kind: 'unit' });
  const brief = tests.map((t) => [t.file, t.name, t.status, t.skipReason]);
  assert.deepEqual(brief, [
    ['dist/a.test.js', 'outer > passes', 'pass', null],
    ['dist/a.test.js', 'outer > inner > fails', 'fail', null],
    ['dist/a.test.js', 'outer > skips with a reason', 'skip', 'needs a GPU'],
    ['dist/a.test.js', 'outer > is todo', 'todo', 'later'],
    ['dist/a.test.js', 'skipped suite', 'skip', 'needs root'],
    ['dist/a.test.js', 'skipped without a reason', 'skip', null],
    ['dist/b.test.js', 'dist/b.test.js', 'fail', null],
  ]);
  assert.deepEqual(tests[1]!.path, ['outer', 'inner', 'fails']);
  assert.equal(tests[1]!.failure, 'the answer is not 42');
  assert.match(String(tests[6]!.failure), /cannot load/, 'a file that fails to load brings its stderr');
  assert.equal(typeof tests[0]!.durationMs, 'number');
});

test('run-tests alone lists the skipped tests and ends with the counts', () => {
  const r = runTests('a.test');
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.at(-1), '1 passed, 1 failed, 4 skipped');
  assert.ok(lines.includes('skipped: dist/a.test.js: outer > skips with a reason: needs a GPU'), r.stderr);
  assert.ok(lines.includes('todo: dist/a.test.js: outer > is todo: later'), r.stderr);
  assert.ok(lines.includes('skipped: dist/a.test.js: skipped without a reason: (no reason given)'), r.stderr);
});

test('a run that matches no file is empty, and an error unless allowed', () => {
  assert.equal(runTests('no-such-file').status, 1);
  assert.equal(runTests('no-such-file', '--allow-empty', '--summary', join(dir, 'e.json')).status, 0);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'e.json'), 'utf8')), { kind: 'unit', files: 0, passed: 0, failed: 0, skipped: 0, todo: 0 });
});

test('skipLines names each skipped and todo test with its file and reason', () => {
  const records = { tests: [
    { file: 'src/a.test.ts', name: 'x > y', status: 'skip', skipReason: 'needs root' },
    { file: 'src/a.test.ts', name: 'z', status: 'pass', skipReason: null },
    { file: 'src/b.test.ts', name: 'w', status: 'todo', skipReason: null },
  ] };
  assert.deepEqual(skipLines(JSON.stringify(records)), ['skipped: src/a.test.ts: x > y: needs root', 'todo: src/b.test.ts: w: (no reason given)']);
});

test('strict by default under CI=true or as root; an explicit DIALOGOS_TEST_STRICT wins', () => {
  assert.equal(strictFlag({}, 1000), '0');
  assert.equal(strictFlag({ CI: 'true' }, 1000), '1');
  assert.equal(strictFlag({}, 0), '1');
  assert.equal(strictFlag({ DIALOGOS_TEST_STRICT: '0' }, 0), '0');
  assert.equal(strictFlag({ DIALOGOS_TEST_STRICT: '1' }, 1000), '1');
  assert.equal(strictFlag({ DIALOGOS_TEST_STRICT: '' }, 1000), '0');
});
