// The benchmark stage's decisions over a scripted Runner: what the CPU time of each run is, per benchmark and
// side, is set by the test, so each rule (floor, slowdown elsewhere, A/A, confirmation, refused figures) is
// exercised exactly. The real child-process runner is tested in child-runner.test.ts and redteam.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../std/index.js';
import { makeCandidate } from '../gates.js';
import type { RunRequest, RunResult, Runner, SandboxLimits } from '../types.js';
import { BenchConfigError, UnknownBenchmarkError } from './errors.js';
import { BenchmarkRegistry } from './registry.js';
import { benchmarkStage, type BenchStageOptions } from './stage.js';

const LIMITS: SandboxLimits = { wallMs: 5000, memoryBytes: 1 << 28, pids: 16, fileBytes: 1 << 20, tmpBytes: 1 << 20 };
const ENV = { PATH: '/usr/bin:/bin' };

const registry = () => new BenchmarkRegistry([
  { name: 'hot', argv: ['node', 'hot.js'], repetitions: 3, own: ['src/bench-hot/'], description: 'target' },
  { name: 'cold', argv: ['node', 'cold.js'], repetitions: 3, own: ['src/bench-cold/'], description: 'other' },
]);

/** CPU time of a run: `cpu(bench, isCandidate, call)` times a seeded ±`noise` factor. */
class ScriptedRunner implements Runner {
  calls: RunRequest[] = [];
  readonly #random: () => number;
  constructor(private readonly cpu: (bench: string, candidate: boolean, call: number) => number, private readonly noise = 0.01, seed = 5,
    private readonly stdout: (candidate: boolean) => string = () => 'digest 1\n') {
    this.#random = seededRandom(seed);
  }
  async run(req: RunRequest): Promise<RunResult> {
    this.calls.push(req);
    const candidate = req.tree.changes.length > 0;
    const bench = req.argv[1]!.replace('.js', '');
    const cpuMs = this.cpu(bench, candidate, this.calls.length) * (1 + this.noise * (2 * this.#random() - 1));
    return { exitCode: 0, signal: null, limitHit: null, wallMs: cpuMs, cpuMs, peakMemoryBytes: null, stdout: this.stdout(candidate), stderr: '' };
  }
}

const candidate = makeCandidate([{ path: 'src/gen/canonical.ts', before: 'a', after: 'b' }]);

const stage = (runner: Runner, o: Partial<BenchStageOptions> = {}) =>
  benchmarkStage(candidate, { runner, lower: '/parent', env: ENV, limits: LIMITS, registry: registry(), target: 'hot', blocks: 6, quick: true, ...o });

test('a candidate 1.5x faster on the target and equal elsewhere is accepted after a confirming second ABBA', async () => {
  const r = new ScriptedRunner((b, c) => (b === 'hot' && c ? 100 : 150));
  const v = await stage(r);
  assert.equal(v.result.pass, true, v.result.detail);
  assert.equal(v.result.stage, 'benchmark');
  assert.match(v.result.detail, /^Speedup: hot ×1\.(49|50)\d \[1\.\d+, 1\.\d+\], re-measured ×1\.(49|50)\d .*; cold ×(1\.0|0\.99)/);
  assert.deepEqual(v.comparisons.map((c) => c.benchmark), ['hot', 'cold', 'hot']);
  assert.notEqual(v.comparisons[0]!.seed, v.comparisons[2]!.seed, 'the confirmation is an independent ABBA');
  assert.ok(v.fitness > 1.4 && v.fitness < 1.55, String(v.fitness));
  assert.equal(v.calibration?.kind, 'A/A');
  assert.equal(r.calls.length, 2 + 4 * 6 * 4, 'one probe run of each side, then A/A, target, other, confirmation: 6 blocks of 4 fresh runs each');
  assert.ok(v.result.cpuMs > 0);
  assert.match(v.result.detail, /quick: 6 blocks/);
});

test('a candidate that is equal, or 2 % faster (under the 1.03 floor), or slower is rejected', async () => {
  for (const [factor, label] of [[1, 'equal'], [1 / 1.02, '2 % faster'], [1.2, 'slower']] as const) {
    const v = await stage(new ScriptedRunner((b, c) => (b === 'hot' && c ? 100 * factor : 100), 0.002));
    assert.equal(v.result.pass, false, label);
    assert.match(v.result.detail, /^No speedup: hot ×/, label);
    assert.equal(v.fitness, 0);
    assert.equal(v.comparisons.length, 1, `${label}: nothing else is measured after the target fails`);
  }
});

test('a speedup on the target with a slowdown on another benchmark is rejected', async () => {
  const v = await stage(new ScriptedRunner((b, c) => (c ? (b === 'hot' ? 100 : 130) : (b === 'hot' ? 150 : 100))));
  assert.equal(v.result.pass, false);
  assert.match(v.result.detail, /^Slowdown elsewhere: cold ×0\.7\d+ \[0\.\d+, 0\.\d+\] lies below 1/);
});

test('a win that does not hold on fresh runs (a flaky win) is not accepted', async () => {
  // Fast while the probe and first A/B run; the confirmation's runs (the last 24 calls) see it equal again.
  const v = await stage(new ScriptedRunner((b, c, call) => (b === 'hot' && c && call <= 74 ? 100 : 150)));
  assert.equal(v.result.pass, false);
  assert.match(v.result.detail, /^Not confirmed on fresh runs: hot ×1\.(49|50)\d+ .*, re-measured ×(1\.0|0\.99)/);
});

test('a host whose A/A run tells the parent from itself is reported too noisy, and nothing is judged', async () => {
  let noisy = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const v = await stage(new ScriptedRunner(() => 100, 0.6, seed), { blocks: 2 });
    if (!v.noisy) continue;
    noisy++;
    assert.equal(v.result.pass, false);
    assert.match(v.result.detail, /^Host too noisy to judge: A\/A hot ×\d\.\d+ \[\d\.\d+, \d\.\d+\] excludes 1/);
    assert.deepEqual(v.comparisons, []);
  }
  assert.ok(noisy > 0, 'two blocks of 60 % noise exclude 1 for some seed');
  const quiet = await stage(new ScriptedRunner(() => 100, 0.001));
  assert.equal(quiet.noisy, false);
});

test('red team: NaN, Infinity, zero or negative CPU time in any run is refused by name and never accepted', async () => {
  for (const bad of [NaN, Infinity, -Infinity, 0, -5]) {
    for (const where of ['candidate', 'both'] as const) {
      const r = new ScriptedRunner((b, c) => (where === 'both' || c ? bad : 150), 0);
      const v = await stage(r);
      assert.equal(v.result.pass, false, `${bad} on ${where}`);
      const refused = `^Rejected: Cannot use the measurement of benchmark "hot" on the (parent|candidate c-\\w+): ${String(bad)} ms`;
      assert.match(v.result.detail, new RegExp(`${refused} is not a positive finite CPU time`), v.result.detail);
      assert.equal(v.fitness, 0);
    }
  }
});

test('red team: a candidate whose workload prints other results than the parent is rejected after one run of each side', async () => {
  const r = new ScriptedRunner((b, c) => (c ? 50 : 150), 0.01, 5, (c) => (c ? 'digest forged\ncpuMs 0.001\n' : 'digest 1\n'));
  const v = await stage(r);
  assert.equal(v.result.pass, false);
  assert.match(v.result.detail, /^Rejected: the candidate c-\w+ printed other results than the parent on benchmark "hot" \("digest forged/);
  assert.equal(r.calls.length, 2, 'the probe refuses it before the ABBA runs');
  assert.equal(v.calibration, null);
});

test('red team: a candidate that touches a benchmark\'s own files or supplies build output is refused before any run', async () => {
  for (const path of ['src/bench-hot/workload.ts', 'src/bench-cold/x.ts', 'dist/gen/canonical.js']) {
    const r = new ScriptedRunner(() => 100);
    const o = { runner: r, lower: '/p', env: ENV, limits: LIMITS, registry: registry(), target: 'hot', blocks: 4, quick: true };
    const v = await benchmarkStage(makeCandidate([{ path, before: 'a', after: 'b' }]), o);
    assert.equal(v.result.pass, false);
    assert.match(v.result.detail, /^Refused: the candidate (changes "src\/bench-\w+\/\w+\.ts", part of benchmark "(hot|cold)"|supplies build output "dist\/gen\/canonical\.js")/);
    assert.equal(r.calls.length, 0);
  }
});

test('red team: a raised timeout or budget in the candidate changes nothing: every run gets the evaluator\'s limits and env', async () => {
  const raise = makeCandidate([
    { path: 'src/gen/bench.config.json', before: null, after: JSON.stringify({ wallMs: 1e9, blocks: 1, minSpeedup: 0 }) },
    { path: 'src/gen/canonical.ts', before: 'a', after: 'process.env.DIALOGOS_BENCH_BLOCKS = "1"' },
  ]);
  const r = new ScriptedRunner((b, c) => (c ? 100 : 150));
  const v = await benchmarkStage(raise, { runner: r, lower: '/p', env: ENV, limits: LIMITS, registry: registry(), target: 'hot', blocks: 4, quick: true });
  assert.equal(v.result.pass, true);
  assert.equal(r.calls.length, 2 + 4 * 4 * 4);
  for (const req of r.calls) {
    assert.deepEqual(req.limits, LIMITS);
    assert.deepEqual(req.env, ENV);
    assert.deepEqual(req.argv.slice(-1), ['3'], 'the registry\'s repetition count');
  }
});

test('the evaluator\'s floors: 20 blocks unless quick, 2000 resamples, a known target', async () => {
  const r = new ScriptedRunner(() => 100);
  await assert.rejects(stage(r, { quick: false, blocks: 10 }), BenchConfigError);
  await assert.rejects(stage(r, { resamples: 100 }), BenchConfigError);
  await assert.rejects(stage(r, { target: 'nope' }), UnknownBenchmarkError);
  await assert.rejects(stage(r, { blocks: 1 }), BenchConfigError);
});

test('the floor accounts for the A/A: a lower bound above 1.03 but inside what noise gave the parent against itself is no speedup', async () => {
  let inside = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const v = await stage(new ScriptedRunner((b, c) => (b === 'hot' && c ? 100 / 1.08 : 100), 0.06, seed));
    if (v.noisy || !v.calibration) continue;
    const floor = Math.max(1.03, v.calibration.summary.ci[1]);
    assert.match(v.result.detail, new RegExp(`\\(A/A ×\\d\\.\\d+ \\[\\d\\.\\d+, \\d\\.\\d+\\], floor ${floor.toFixed(3).replace('.', '\\.')}\\)`), v.result.detail);
    const low = v.comparisons[0]!.summary.ci[0];
    if (low > 1.03 && !(low > floor)) {
      inside++;
      assert.equal(v.result.pass, false, v.result.detail);
      assert.match(v.result.detail, /^No speedup: hot ×/);
    }
    if (v.result.pass) assert.ok(v.comparisons.every((c, i) => i === 1 || c.summary.ci[0] > floor), v.result.detail);
  }
  assert.ok(inside > 0, 'some seed gives a lower bound above 1.03 that the A/A upper bound still covers');
});
