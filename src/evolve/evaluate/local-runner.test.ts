// The unsandboxed local Runner: the candidate's view (its files over the parent's, module resolution kept
// inside the view, the parent never written), exactly the given environment, the wall limit, CPU time.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RunRequest, SandboxLimits } from '../index.js';
import { createLocalRunner } from './index.js';
import { parseTimes } from './local-runner.js';
import { DEFAULT_LIMITS } from './evaluator.js';
import { invalidLimit } from '../limits.js';

const LIMITS: SandboxLimits = { wallMs: 20_000, memoryBytes: 1 << 30, pids: 64, fileBytes: 1 << 20, tmpBytes: 1 << 20 };
let lower: string;
const runner = createLocalRunner();
const req = (argv: string[], o: Partial<RunRequest> = {}): RunRequest => ({ tree: { lower, changes: [] }, argv, env: { PATH: '/usr/bin:/bin' }, limits: LIMITS, ...o });

before(() => {
  lower = mkdtempSync(join(tmpdir(), 'evolve-lower-'));
  mkdirSync(join(lower, 'dist'));
  mkdirSync(join(lower, 'data'));
  writeFileSync(join(lower, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(lower, 'dist/main.js'), "import { who } from './who.js';\nconsole.log(who);\n");
  writeFileSync(join(lower, 'dist/who.js'), "export const who = 'parent';\n");
  writeFileSync(join(lower, 'dist/gone.js'), '');
  writeFileSync(join(lower, 'data/big.txt'), 'shared\n');
  symlinkSync(join(lower, 'data'), join(lower, 'linked'));
});
after(() => rmSync(lower, { recursive: true, force: true }));

test('runs in the candidate\'s view: its files resolve against each other, the parent is untouched', async () => {
  const changes = [
    { path: 'dist/who.js', before: "export const who = 'parent';\n", after: "export const who = 'candidate';\n" },
    { path: 'dist/gone.js', before: '', after: null },
  ];
  const r = await runner.run(req([process.execPath, 'dist/main.js'], { tree: { lower, changes } }));
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(r.stdout, 'candidate\n', 'main.js (a link to the parent\'s) imports the candidate\'s who.js');
  const ls = await runner.run(req(['/bin/ls', 'dist', 'data'], { tree: { lower, changes } }));
  assert.doesNotMatch(ls.stdout, /gone\.js/);
  assert.match(ls.stdout, /big\.txt/, 'folders outside the mirror are linked whole');
  assert.equal(readFileSync(join(lower, 'dist/who.js'), 'utf8'), "export const who = 'parent';\n", 'the parent\'s file was not written through its link');
  assert.equal(readFileSync(join(lower, 'dist/gone.js'), 'utf8'), '');
});

test('the environment is exactly the one given', async () => {
  const r = await runner.run(req(['/usr/bin/env'], { env: { ONLY: 'this' } }));
  assert.equal(r.stdout, 'ONLY=this\n');
});

test('the exit code of the command is the run\'s, and its CPU time is measured', async () => {
  // Busy until the child itself has used 200 ms of CPU, however loaded the machine is (the shell counts
  // in 10 ms ticks, hence the margin).
  const spin = 'let x = 0; while (process.cpuUsage().user < 200_000) x++; process.exit(3);';
  const r = await runner.run(req([process.execPath, '-e', spin]));
  assert.equal(r.exitCode, 3);
  assert.equal(r.limitHit, null);
  assert.ok(r.cpuMs >= 150, `cpu ${r.cpuMs} ms for 200 ms of busy loop`);
  assert.ok(r.wallMs >= 200);
});

test('the wall limit ends the run and everything it started', async () => {
  const t0 = Date.now();
  const r = await runner.run(req(['/bin/sh', '-c', 'sleep 30 & sleep 30'], { limits: { ...LIMITS, wallMs: 300 } }));
  assert.equal(r.limitHit, 'wall');
  assert.ok(Date.now() - t0 < 10_000, 'the run was stopped, not waited for');
});

test('a run whose leftover holds its output ends at the wall limit with its own exit code', async () => {
  // setsid leaves the run's process group, so only the wall limit stops the wait for its pipes.
  const r = await runner.run(req(['/bin/sh', '-c', 'setsid sleep 5 & echo hi; exit 4'], { limits: { ...LIMITS, wallMs: 1500 } }));
  assert.equal(r.exitCode, 4);
  assert.equal(r.limitHit, null, 'the run itself ended in time');
  assert.equal(r.stdout, 'hi\n');
  assert.ok(r.wallMs < 4500, `waited ${r.wallMs} ms`);
});

test('a path that is not plain, or that goes through a link to the parent, is refused', async () => {
  await assert.rejects(runner.run(req(['/bin/true'], { tree: { lower, changes: [{ path: '../x', before: null, after: 'x' }] } })), { name: 'TreeMaterialiseError', message: /"\.\.\/x"/ });
  const changes = [{ path: 'linked/big.txt', before: 'shared\n', after: 'x' }];
  await assert.rejects(runner.run(req(['/bin/true'], { tree: { lower, changes } })), { name: 'TreeMaterialiseError', message: /"linked" is a link/ });
  assert.equal(readFileSync(join(lower, 'data/big.txt'), 'utf8'), 'shared\n');
});

test('parseTimes reads the children\'s line of the shell\'s times', () => {
  assert.equal(parseTimes('0m0.000000s 0m0.000000s\n0m1.500000s 0m0.250000s\n'), 1750);
  assert.equal(parseTimes('1m0.5s 0m0s\n'), null);
});

test('a limit that is not a positive integer is refused, and the evaluator\'s defaults are all valid ones', async () => {
  const runner = createLocalRunner();
  for (const memoryBytes of [2 << 30, 0, Number.NaN, 1.5]) {
    await assert.rejects(runner.run(req(['/bin/true'], { limits: { ...LIMITS, memoryBytes } })), { name: 'RunRequestError', message: /limit memoryBytes is/ });
  }
  assert.equal(invalidLimit(DEFAULT_LIMITS), null);
  assert.ok(DEFAULT_LIMITS.memoryBytes >= 2 ** 31, 'a test file may use 2 GiB');
});
