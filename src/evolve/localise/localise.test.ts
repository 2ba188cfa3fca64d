// Fault localisation on a tiny real project in a temp dir: compiled with tsc (source maps on), its tests run
// by node --test with NODE_V8_COVERAGE; the failing test covers the buggy line, which must rank first or
// near. Also the parts: Ochiai, VLQ source maps, block coverage to lines, and the surprise tie-breaker.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ts from 'typescript';
import { initParams } from '../../train/model.js';
import { Scorer } from '../../train/scorer.js';
import { executedLines } from './coverage.js';
import { mutationProposer } from '../propose/index.js';
import { localise, scorerSurprise } from './localise.js';
import { ochiai, ochiaiScores } from './ochiai.js';
import { reachedFiles, testFilesReaching } from './reach.js';
import { decodeVlq, lineMap } from './sourcemap.js';

const typeRoots = [fileURLToPath(new URL('../../../node_modules/@types', import.meta.url))];

const STATS = [
  'export function clamp(x: number, lo: number, hi: number): number {',
  '  if (x < lo) return lo;',
  '  if (x > hi) return hi;',
  '  return x;',
  '}',
  '',
  'export function mean(xs: number[]): number {',
  '  let s = 0;',
  '  for (const x of xs) s += x;',
  '  const n = xs.length + 1;', // the bug: line 10
  '  return s / n;',
  '  // a comment inside the body: block coverage marks it run, but no change to it can fix anything',
  '}',
  '',
  'export function max(xs: number[]): number {',
  '  let m = -Infinity;',
  '  for (const x of xs) if (x > m) m = x;',
  '  return m;',
  '}', ''].join('\n');

const TESTS = [
  "import assert from 'node:assert/strict';",
  "import { describe, it } from 'node:test';",
  "import { clamp, max, mean } from './stats.js';",
  "describe('stats', () => {",
  "  it('clamps low', () => assert.equal(clamp(-1, 0, 5), 0));",
  "  it('clamps high', () => assert.equal(clamp(9, 0, 5), 5));",
  "  it('keeps the middle', () => assert.equal(clamp(3, 0, 5), 3));",
  "  it('finds the max', () => assert.equal(max([1, 4, 2]), 4));",
  "  it('averages', () => assert.equal(mean([2, 4]), 3));",
  '});', ''].join('\n');

/** A project with src/, a tsconfig emitting source maps, compiled in process. */
async function project(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'evolve-loc-'));
  await mkdir(join(root, 'src'));
  await writeFile(join(root, 'package.json'), '{"type":"module"}\n');
  await writeFile(join(root, 'src/stats.ts'), STATS);
  await writeFile(join(root, 'src/stats.test.ts'), TESTS);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true,
    sourceMap: true, rootDir: join(root, 'src'), outDir: join(root, 'dist'), typeRoots, types: ['node'], skipLibCheck: true,
  };
  const program = ts.createProgram([join(root, 'src/stats.ts'), join(root, 'src/stats.test.ts')], options);
  const diags = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  assert.deepEqual(diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
  return root;
}

describe('localise on a tiny compiled project', () => {
  let root = '';
  before(async () => { root = await project(); });
  after(() => rm(root, { recursive: true, force: true }));

  const failing = [{ file: 'src/stats.test.ts', name: 'stats > averages' }];
  const passing = ['clamps low', 'clamps high', 'keeps the middle', 'finds the max'].map((n) => ({ file: 'src/stats.test.ts', name: `stats > ${n}` }));

  it('ranks the buggy line among the first, and only lines of the failing test score 1', async () => {
    const suspects = await localise({ root, failing, passing });
    const top = suspects.filter((s) => s.score === suspects[0]!.score);
    assert.equal(suspects[0]!.score, 1);
    assert.ok(top.some((s) => s.path === 'src/stats.ts' && s.line === 10), JSON.stringify(suspects.slice(0, 5)));
    assert.deepEqual(top.map((s) => s.line).sort((a, b) => a - b), [8, 9, 10, 11, 13], 'the body of mean, to its closing brace, without its comment');
    assert.ok(suspects.every((s) => s.path === 'src/stats.ts'), 'tests are not suspects');
    assert.ok(!suspects.some((s) => s.line >= 16), `the body of max ran only in a passing test: ${JSON.stringify(suspects)}`);
    const lines = STATS.split('\n');
    const noCode = suspects.filter((s) => /^\s*($|\/\/|\/\*|\*|import\s)/.test(lines[s.line - 1]!));
    assert.deepEqual(noCode, [], 'comments, blank lines and imports are never suspects');
  });

  it('breaks ties by line surprise', async () => {
    const surprise = (_p: string, text: string) => new Map(text.split('\n').map((l, i) => [i + 1, l.includes('+ 1') ? 9 : 1]));
    const suspects = await localise({ root, failing, passing, surprise, limit: 3 });
    assert.deepEqual(suspects[0], { path: 'src/stats.ts', line: 10, score: 1 });
    assert.equal(suspects.length, 3);
  });

  it('hands the mutation proposer suspects among whose proposals is a repair', async () => {
    const suspects = await localise({ root, failing, passing, limit: 5 });
    const fixes: string[] = [];
    const ctx = { root, target: { kind: 'tests' as const, failToPass: failing, origin: 'test' }, suspects, limit: 200, seed: 1 };
    for await (const p of mutationProposer(ts).propose(ctx)) fixes.push(p.changes[0]!.after!.split('\n')[9]!);
    assert.ok(fixes.includes('  const n = xs.length + 0;'), fixes.join('\n'));
  });

  it('refuses a test that does not exist', async () => {
    await assert.rejects(localise({ root, failing: [{ file: 'src/stats.test.ts', name: 'stats > no such test' }], passing: [] }),
      (e: Error) => e.name === 'LocaliseRunError' && /no such test/.test(e.message));
  });
});

describe('the parts of localisation', () => {
  it('score Ochiai', () => {
    assert.equal(ochiai(1, 0, 0), 1);
    assert.equal(ochiai(0, 3, 1), 0);
    assert.ok(Math.abs(ochiai(1, 3, 0) - 0.5) < 1e-12);
    const s = ochiaiScores([{ failed: true, lines: new Set(['a:1', 'a:2']) }, { failed: false, lines: new Set(['a:2']) }]);
    assert.deepEqual([...s], [['a:1', 1], ['a:2', 1 / Math.sqrt(2)]]);
  });

  it('decode VLQ source maps into generated line -> source lines', () => {
    assert.deepEqual(decodeVlq('AAgBD'), [0, 0, 16, -1]);
    const m = lineMap(JSON.stringify({ version: 3, sources: ['../src/a.ts'], mappings: 'AAAA;AACA,EAAE;;AAEA' }));
    assert.deepEqual(m.lines, [[[0, 1]], [[0, 2]], [], [[0, 4]]]);
  });

  it('take the innermost coverage range around a line', () => {
    const text = 'a();\nif (x) {\n  b();\n}\nc();\n';
    const inner = text.indexOf('{'), end = text.indexOf('}') + 1;
    assert.deepEqual([...executedLines(text, [{ startOffset: 0, endOffset: text.length, count: 1 }, { startOffset: inner, endOffset: end, count: 0 }])], [1, 2, 5]);
  });

  it('use a trained model\'s line surprise as the tie-breaker', () => {
    const config = { vocab: 257, dim: 16, layers: 1, heads: 2, ffn: 32, context: 64, normEps: 1e-5, ropeBase: 10000 };
    const s = scorerSurprise(new Scorer(config, initParams(config, 1)))('a.ts', 'const a = 1;\n\nconst b = 2;\n');
    assert.deepEqual([...s.keys()], [1, 2, 3], 'an empty line is its newline');
    for (const v of s.values()) assert.ok(Number.isFinite(v) && v > 0);
  });

  it('follow imports from tests to sources and back (testsFor in reverse)', () => {
    const repo = fileURLToPath(new URL('../../../', import.meta.url));
    const reached = reachedFiles(repo, ['src/evolve/gates.test.ts']);
    assert.ok(reached.has('src/evolve/gates.ts') && reached.has('src/evolve/paths-gate.ts') && reached.has('src/evolve/code-gate.ts'));
    assert.ok(!reached.has('src/llm/service.ts'));
    const tests = testFilesReaching(repo, ['src/evolve/paths-gate.ts']);
    assert.ok(tests.includes('src/evolve/gates.test.ts'));
    assert.ok(!tests.includes('src/evolve/localise/localise.test.ts'));
  });
});
