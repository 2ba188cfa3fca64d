// Runs the compiled test files with node's built-in runner.
// usage: node scripts/run-tests.mjs unit|vm|vm-long|all [filter]
//   unit     dist/**/*.test.js that are not VM tests (host only, fast)
//   vm       dist/**/*.vm.test.js: the per-commit VM set (TCG boots)
//   vm-long  dist/**/*.vmlong.test.js: the opt-in long VM suite
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const [kind = 'unit', filter = ''] = process.argv.slice(2);
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
if (files.length === 0) { console.error(`run-tests: no ${kind} test files match "${filter}"`); process.exit(1); }
const concurrency = kind === 'unit' ? '2' : '1';
const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
