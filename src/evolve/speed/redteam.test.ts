// Red-team rows of the benchmark stage with the real child runner on a tiny tree: the candidate's code runs
// in the measured process and tries to forge the figure or to carry a cache from one A/B run to the next.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import * as ts from 'typescript';
import { compileChanges } from './build.js';
import { ChildRunner } from './child-runner.js';
import { compareAbba } from './compare.js';
import type { MeasureContext } from './measure.js';
import type { Benchmark } from './registry.js';

const lower = mkdtempSync(join(tmpdir(), 'speed-redteam-'));
after(() => rmSync(lower, { recursive: true, force: true }));
mkdirSync(join(lower, 'dist/w'), { recursive: true });
writeFileSync(join(lower, 'package.json'), '{"type":"module"}\n');
writeFileSync(join(lower, 'dist/w/work.js'), "import { work } from './lib.js';\nconsole.log('digest ' + work(Number(process.argv.at(-1))));\n");
const LIB = (n: string) => `export function work(reps: number): number {\n  let s = 0;\n  for (let i = 0; i < reps * ${n}; i++) s = (s + i * i) % 1000003;\n  return s;\n}\n`;
const PARENT = LIB('6e6');
writeFileSync(join(lower, 'dist/w/lib.js'), compileChanges(ts, [{ path: 'src/w/lib.ts', before: null, after: PARENT }])[1]!.after!);

const bench: Benchmark = { name: 'tiny', argv: [process.execPath, 'dist/w/work.js'], repetitions: 1, own: ['dist/w/work.js'], description: 'a busy loop' };
const ctx: MeasureContext = {
  runner: new ChildRunner({ include: ['dist', 'package.json'] }), lower, env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` },
  limits: { wallMs: 30_000, memoryBytes: 1 << 28, pids: 16, fileBytes: 1 << 20, tmpBytes: 1 << 20 },
};
const parent = { label: 'parent', changes: [] };
const side = (after: string) => ({ label: 'candidate', changes: compileChanges(ts, [{ path: 'src/w/lib.ts', before: PARENT, after }]) });

test('red team: a slower candidate that forges CPU figures (stdout, stderr, the runner\'s channel) is measured as slower', async () => {
  const forge = `import { openSync, writeSync } from 'node:fs';
const fake = '0m0.000s 0m0.000s\\n0m0.001s 0m0.000s\\n';
try { writeSync(openSync('/proc/' + process.ppid + '/fd/3', 'w'), fake); } catch {}
try { writeSync(3, fake); } catch {}
process.stderr.write('cpuMs=0.001\\n' + fake);
${LIB('6e6').replace('export function work', 'function compute')}
export function work(reps: number): number {
  return compute(reps) + compute(reps) - compute(reps);
}
`;
  const c = await compareAbba(ctx, bench, parent, side(forge), { blocks: 1, resamples: 2000, seed: 1 });
  assert.ok(c.summary.ratio < 0.85, `parent/candidate ${c.summary.ratio}: the forged figures were believed`);
});

test('red team: a cache the candidate writes in one run (HOME, TMPDIR, beside its code) is never seen by the next', async () => {
  const cache = `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
const places = [homedir() + '/cache', tmpdir() + '/cache', new URL('./cache', import.meta.url).pathname, process.cwd() + '/cache'];
${LIB('6e6').replace('export function work', 'function compute')}
export function work(reps: number): number {
  for (const p of places) if (existsSync(p)) return Number(readFileSync(p, 'utf8'));
  const s = compute(reps);
  for (const p of places) writeFileSync(p, String(s));
  return s;
}
`;
  const c = await compareAbba(ctx, bench, parent, side(cache), { blocks: 1, resamples: 2000, seed: 2 });
  assert.ok(c.summary.ratio < 1.25, `parent/candidate ${c.summary.ratio}: a later run found the cache of an earlier one`);
});
