// The unsandboxed child runner: CPU time taken outside the process, a fresh tree, HOME and TMPDIR per run,
// nothing inherited from the caller's environment, and the wall and file limits of the request.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import type { RunRequest, SandboxLimits } from '../types.js';
import { ChildRunner, parseTimes } from './child-runner.js';

const lower = mkdtempSync(join(tmpdir(), 'child-runner-test-'));
after(() => rmSync(lower, { recursive: true, force: true }));
writeFileSync(join(lower, 'package.json'), '{"type":"module"}\n');
mkdirSync(join(lower, 'dist'));
const LIMITS: SandboxLimits = { wallMs: 20_000, memoryBytes: 1 << 28, pids: 16, fileBytes: 1 << 20, tmpBytes: 1 << 20 };
const runner = new ChildRunner();
const env = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` };

/** Runs `script` (an ES module) as dist/s.js of the lower tree, with `changes` over it. */
function req(script: string, more: Partial<RunRequest> = {}): RunRequest {
  const changes = [{ path: 'dist/s.js', before: null, after: script }, ...(more.tree?.changes ?? [])];
  return { tree: { lower, changes }, argv: ['node', 'dist/s.js'], env, limits: LIMITS, ...more, ...(more.tree ? {} : {}) };
}

const BUSY = 'const end = process.cpuUsage().user + 150_000; while (process.cpuUsage().user < end);';

test('parseTimes reads the children line of bash `times` and refuses a missing one', () => {
  assert.equal(parseTimes('0m0.010s 0m0.002s\n0m1.250s 0m0.125s\n'), 1375);
  assert.ok(Number.isNaN(parseTimes('')));
  assert.ok(Number.isNaN(parseTimes('0m0.010s 0m0.002s\n')));
});

test('CPU time is measured outside: a busy run counts, and figures the workload prints or forges do not', async () => {
  const forge = `${BUSY}
    import { openSync, writeSync } from 'node:fs';
    let fd3 = 'closed'; try { writeSync(3, '0m0.000s 0m0.000s\\n0m0.001s 0m0.000s\\n'); fd3 = 'open'; } catch {}
    try { writeSync(openSync('/proc/' + process.ppid + '/fd/3', 'w'), '0m0.000s 0m0.000s\\n0m0.001s 0m0.000s\\n'); } catch {}
    console.log('fd3 ' + fd3); console.log('0m0.000s 0m0.000s'); console.log('0m0.001s 0m0.000s'); console.error('cpuMs=1');`;
  const r = await runner.run(req(forge));
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /^fd3 closed$/m, 'the measurement channel is not the workload\'s');
  assert.ok(r.cpuMs >= 140, `cpuMs ${r.cpuMs}`);
  assert.ok(r.cpuMs < 20_000);
});

test('every run gets a fresh tree, HOME and TMPDIR: a cache written by one run is not seen by the next', async () => {
  const cache = `import { existsSync, writeFileSync } from 'node:fs'; import { tmpdir, homedir } from 'node:os';
    const places = [homedir() + '/c', tmpdir() + '/c', new URL('./c', import.meta.url).pathname, process.cwd() + '/c2'];
    console.log(places.map((p) => existsSync(p) ? 'hit' : 'miss').join(' '));
    for (const p of places) writeFileSync(p, 'x');`;
  const first = await runner.run(req(cache));
  const second = await runner.run(req(cache));
  assert.equal(first.stdout.trim(), 'miss miss miss miss', first.stderr);
  assert.equal(second.stdout.trim(), 'miss miss miss miss');
});

test('the environment is the request\'s only, and the candidate\'s changes are applied over the lower tree', async () => {
  process.env.EVOLVE_TEST_SECRET = 'k';
  const script = `import { readFileSync, existsSync } from 'node:fs';
    console.log(Object.keys(process.env).filter((k) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(k)).sort().join(','));
    console.log(readFileSync('dist/added.txt', 'utf8'), existsSync('dist/gone.txt'));`;
  writeFileSync(join(lower, 'dist/gone.txt'), 'here');
  const changes = [
    { path: 'dist/s.js', before: null, after: script }, { path: 'dist/added.txt', before: null, after: 'added' },
    { path: 'dist/gone.txt', before: 'here', after: null },
  ];
  const r = await runner.run({ ...req(script), tree: { lower, changes } });
  delete process.env.EVOLVE_TEST_SECRET;
  assert.equal(r.stdout, 'HOME,PATH,TMPDIR\nadded false\n', r.stderr);
});

test('the request\'s limits end a run: wall time (with what it started) and file size; exit codes are kept', async () => {
  const started = performance.now();
  const wall = await runner.run(req('import { spawn } from "node:child_process"; spawn("sleep", ["30"]); setInterval(() => {}, 1000);', { limits: { ...LIMITS, wallMs: 600 } }));
  assert.equal(wall.limitHit, 'wall');
  assert.ok(performance.now() - started < 10_000);
  const big = await runner.run(req('import { writeFileSync } from "node:fs"; writeFileSync("big", Buffer.alloc(1 << 21));', { limits: { ...LIMITS, fileBytes: 1 << 20 } }));
  assert.equal(big.limitHit, 'file');
  assert.notEqual(big.exitCode, 0);
  const exit = await runner.run(req('process.exitCode = 3;'));
  assert.deepEqual([exit.exitCode, exit.signal, exit.limitHit], [3, null, null]);
});
