// Runs the compiled test files with node's built-in runner.
// usage: node scripts/run-tests.mjs unit|vm|vm-long|all [filter] [--summary FILE] [--allow-empty]
//   unit     dist/**/*.test.js that are not VM tests (host only, fast)
//   vm       dist/**/*.vm.test.js: the per-commit VM set (TCG boots, one at a time)
//   vm-long  dist/**/*.vmlong.test.js: the opt-in long VM suite
//   --summary FILE   write {"kind","files","passed","failed"} there (dialogos test adds them up)
//   --allow-empty    no matching files is not an error
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const flag = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args.splice(i, 1) && true; };
const value = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args.splice(i, 2)[1]; };
const summaryFile = value('--summary');
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
const summarize = (passed, failed) => {
  if (summaryFile) writeFileSync(summaryFile, JSON.stringify({ kind, files: files.length, passed, failed }) + '\n');
};
if (files.length === 0) {
  console.error(`run-tests: no ${kind} test files match "${filter}"`);
  summarize(0, 0);
  process.exit(allowEmpty ? 0 : 1);
}
// VM tests boot QEMU under TCG on a shared 2-core machine: one file at a time.
const concurrency = kind === 'unit' ? '2' : '1';
// One TMPDIR (and tmux socket folder) per run, removed when it ends: the tests make many temporary folders
// (stores, keys, run directories, VM variable stores), and on a shared machine a failed or killed test
// must not leave them behind. World-writable and sticky like /tmp: some services under test run as nobody.
const scratch = mkdtempSync(join(tmpdir(), 'dialogos-tests-'));
chmodSync(scratch, 0o1777);
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, TMPDIR: scratch, TMUX_TMPDIR: scratch },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => child.kill(sig));
let out = '';
child.stdout.on('data', (d) => { process.stdout.write(d); out += d; });
child.on('exit', (code, signal) => {
  const count = (what) => Number(new RegExp(`^\\S+ ${what} (\\d+)$`, 'm').exec(out)?.[1] ?? 0);
  let failed = count('fail');
  // A crashed runner with no summary still counts as a failure.
  if (code !== 0 && failed === 0) failed = 1;
  summarize(count('pass'), failed);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(signal ? 1 : code ?? 1);
});
