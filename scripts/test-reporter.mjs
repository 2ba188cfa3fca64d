// A node:test reporter that writes one JSON record per test, for `dialogos test` and the self-improvement
// loop: run beside spec (`--test-reporter=spec --test-reporter-destination=stdout
// --test-reporter=./scripts/test-reporter.mjs --test-reporter-destination=FILE`). FILE holds, once the run ends:
//
//   { "schema": 1, "kind": "unit" | "vm" | "vm-long" | null,   (kind: env DIALOGOS_TEST_KIND)
//     "tests": [ { "file": "src/boot/init.test.ts",             source file that defines the test (the dist path
//                                                               if none; for a shared compliance suite, its file)
//                  "path": ["native/init.c as PID 1", "reaps ..."], describe names, then the test's own name
//                  "name": "native/init.c as PID 1 > reaps ...",   the path joined with " > "
//                  "status": "pass" | "fail" | "skip" | "todo",
//                  "durationMs": 12.5,
//                  "skipReason": "needs root" | null,           the skip or todo message (null: none given)
//                  "failure": "Expected ... " | null } ] }      the error message of a failure (or of a todo)
//
// One record per test, not per suite; a suite has its own record only when it did not get to report its tests
// (skipped, todo, or failed in its body or a hook). A test file that fails to load is one "fail" record named
// after the file, with the end of its stderr as the failure. Records come in the order node reports them.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const STDERR_TAIL = 4000;

function sourceOf(file) {
  if (!file) return null;
  const rel = relative(process.cwd(), file);
  const src = rel.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');
  return src !== rel && existsSync(src) ? src : rel;
}

function failureOf(error) {
  if (!error) return null;
  const cause = error.cause ?? error;
  return cause instanceof Error || typeof cause?.message === 'string' ? String(cause.message) : String(cause);
}

function statusOf(type, d) {
  if (d.todo !== undefined && d.todo !== false) return 'todo';
  if (d.skip !== undefined && d.skip !== false) return 'skip';
  return type === 'test:pass' ? 'pass' : 'fail';
}

/** Whether an event is a record: every test, and a suite only where its tests did not report. */
function isRecord(type, d, status) {
  if (d.details?.type !== 'suite') return true;
  if (status === 'skip' || status === 'todo') return true;
  return type === 'test:fail' && d.details?.error?.failureType !== 'subtestsFailed';
}

export default async function* jsonReporter(source) {
  // Names by nesting, from test:start. Node reports one test file at a time, in definition order (a file's
  // events are held back until the files before it have reported), so one stack serves every file.
  const stack = [];
  const stderr = new Map(); // file -> its stderr so far (the end of it), for a file that fails to load
  const tests = [];
  for await (const { type, data: d } of source) {
    if (type === 'test:stderr') {
      const file = resolve(d.file);
      stderr.set(file, ((stderr.get(file) ?? '') + d.message).slice(-STDERR_TAIL));
      continue;
    }
    if (type === 'test:start') {
      stack.length = d.nesting;
      stack.push(d.name);
      continue;
    }
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    const status = statusOf(type, d);
    if (!isRecord(type, d, status)) continue;
    // Node 24 names a file's stderr and its whole-file test by the path as given, its test:fail by the absolute
    // one (node 20 used one form for all): compare and look up resolved paths.
    const wholeFile = d.nesting === 0 && resolve(d.name) === resolve(d.file);
    const path = wholeFile ? [relative(process.cwd(), d.file)] : [...stack.slice(0, d.nesting), d.name];
    let failure = failureOf(d.details?.error);
    if (failure !== null && wholeFile && stderr.get(resolve(d.file))) failure += `\n${stderr.get(resolve(d.file))}`;
    const reason = status === 'skip' ? d.skip : status === 'todo' ? d.todo : undefined;
    tests.push({
      file: sourceOf(d.file), path, name: path.join(' > '), status,
      durationMs: Number(d.details?.duration_ms ?? 0),
      skipReason: typeof reason === 'string' ? reason : null,
      failure: status === 'fail' || status === 'todo' ? failure : null,
    });
  }
  yield JSON.stringify({ schema: 1, kind: process.env.DIALOGOS_TEST_KIND ?? null, tests }, null, 1) + '\n';
}
