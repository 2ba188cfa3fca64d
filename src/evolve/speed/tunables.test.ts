// Declared tunables (found with the TypeScript AST) and the parameter-search proposer over them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as ts from 'typescript';
import { seededRandom } from '../../std/index.js';
import type { Proposal, ProposeContext } from '../types.js';
import { TunableMarkerError } from './errors.js';
import { ParamSearchProposer, sourcesIn, valuesFor } from './param-search.js';
import { projectBenchmarks } from './benchmarks.js';
import { findTunables, setTunable } from './tunables.js';

const SOURCE = `// a module with knobs
// @tunable 1..64
export const BATCH = 16;
const plain = 3;
function f() {
  /** How far to look. @tunable 0.5..4 */
  const RATIO = 1.5;
  return RATIO * plain;
}
// @tunable -10..10
const OFFSET = -2;
`;

test('findTunables reads the marked numeric consts with their ranges, lines and literal spans', () => {
  const found = findTunables(ts, 'src/x/knobs.ts', SOURCE);
  assert.deepEqual(found.map((t) => [t.name, t.value, t.min, t.max, t.integer, t.line]), [
    ['BATCH', 16, 1, 64, true, 3], ['RATIO', 1.5, 0.5, 4, false, 7], ['OFFSET', -2, -10, 10, true, 11],
  ]);
  assert.equal(SOURCE.slice(found[2]!.start, found[2]!.end), '-2');
  assert.deepEqual(findTunables(ts, 'a.ts', 'const x = 1;\n'), []);
});

test('setTunable rewrites only the literal, and refuses values outside the range or non-integers', () => {
  const [batch, ratio] = findTunables(ts, 'k.ts', SOURCE);
  const text = setTunable(SOURCE, batch!, 32);
  assert.equal(text, SOURCE.replace('BATCH = 16', 'BATCH = 32'));
  assert.equal(findTunables(ts, 'k.ts', text)[0]!.value, 32);
  assert.throws(() => setTunable(SOURCE, batch!, 65), TunableMarkerError);
  assert.throws(() => setTunable(SOURCE, batch!, 2.5), /Cannot set tunable BATCH \(k\.ts:3\) to 2\.5: outside 1\.\.64 or not an integer/);
  assert.throws(() => setTunable(SOURCE, ratio!, NaN), TunableMarkerError);
  assert.equal(findTunables(ts, 'k.ts', setTunable(SOURCE, ratio!, 3.25))[1]!.value, 3.25);
});

test('a marker on anything but one numeric const inside its range is an error that names the place', () => {
  for (const [text, why] of [
    ['// @tunable 1..9\nlet x = 3;\n', /must mark one numeric const/],
    ['// @tunable 1..9\nconst x = "3";\n', /must mark one numeric const/],
    ['// @tunable 1..9\nconst x = 3, y = 4;\n', /must mark one numeric const/],
    ['// @tunable\nconst x = 3;\n', /has no range/],
    ['// @tunable 1..9\nconst x = 30;\n', /x = 30 is not inside a range 1\.\.9/],
    ['// @tunable 9..1\nconst x = 3;\n', /not inside a range 9\.\.1/],
  ] as const) {
    assert.throws(() => findTunables(ts, 'src/k.ts', text), (e: Error) => e.name === 'TunableMarkerError' && why.test(e.message) && e.message.includes('src/k.ts:2'), text);
  }
});

test('valuesFor proposes halving, doubling, the bounds, then seeded draws, all in range and never the current value', () => {
  const [batch, ratio] = findTunables(ts, 'k.ts', SOURCE);
  const v = valuesFor(batch!, seededRandom(1), 6);
  assert.deepEqual(v.slice(0, 4), [8, 32, 1, 64]);
  assert.equal(v.length, 6);
  assert.ok(v.every((x) => Number.isInteger(x) && x >= 1 && x <= 64 && x !== 16));
  assert.deepEqual(valuesFor(batch!, seededRandom(1), 6), v);
  assert.ok(valuesFor(ratio!, seededRandom(2), 5).every((x) => x >= 0.5 && x <= 4 && x !== 1.5));
});

const root = mkdtempSync(join(tmpdir(), 'param-search-'));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'src/x'), { recursive: true });
mkdirSync(join(root, 'src/y'), { recursive: true });
writeFileSync(join(root, 'src/x/knobs.ts'), SOURCE);
writeFileSync(join(root, 'src/x/knobs.test.ts'), '// @tunable 1..2\nconst T = 1;\n');
writeFileSync(join(root, 'src/y/other.ts'), '// @tunable 100..900\nexport const WINDOW = 400;\n');

const collect = async (it: AsyncIterable<Proposal>) => { const out: Proposal[] = []; for await (const p of it) out.push(p); return out; };
const ctx = (o: Partial<ProposeContext> = {}): ProposeContext => ({ root, target: { kind: 'benchmark', benchmark: 'canonical-json', origin: 'test' }, suspects: [], limit: 8, seed: 3, ...o });

test('the parameter search proposes tunable values in the target\'s scope, round-robin, within the limit, seeded', async () => {
  assert.deepEqual(sourcesIn(root, ['src/']), ['src/x/knobs.ts', 'src/y/other.ts']);
  const p = new ParamSearchProposer(ts);
  const all = await collect(p.propose(ctx()));
  assert.equal(all.length, 8);
  assert.deepEqual(all.slice(0, 4).map((x) => x.description.split(' ')[2]), ['BATCH', 'RATIO', 'OFFSET', 'WINDOW']);
  for (const x of all) {
    assert.equal(x.changes.length, 1);
    const c = x.changes[0]!;
    assert.equal(findTunables(ts, c.path, c.after!).length, findTunables(ts, c.path, c.before!).length);
    assert.deepEqual(x.provenance, { proposer: 'param-search', operator: 'set-tunable', seed: 3 });
  }
  assert.deepEqual(await collect(p.propose(ctx())), all, 'the same seed proposes the same values');
  const scoped = await collect(p.propose(ctx({ target: { kind: 'benchmark', benchmark: 'b', origin: 't', scope: ['src/y/'] } })));
  assert.ok(scoped.length > 0 && scoped.every((x) => x.changes[0]!.path === 'src/y/other.ts'));
});

test('the parameter search proposes nothing for a tests target: tunables are judged by benchmarks only', async () => {
  const p = new ParamSearchProposer(ts);
  assert.deepEqual(await collect(p.propose(ctx({ target: { kind: 'tests', failToPass: [], origin: 't' } }))), []);
  assert.deepEqual(await collect(p.propose(ctx({ limit: 0 }))), []);
});

test('the real tree declares tunables in its benchmarks\' hot files, and the search proposes them for bench: targets', async () => {
  const { REPO } = await import('../../testkit/evolve/evaluate/project.js');
  const { readFileSync } = await import('node:fs');
  const hot = projectBenchmarks().get('mind-tokenize').hot!;
  const found = sourcesIn(REPO, hot).flatMap((p) => findTunables(ts, p, readFileSync(join(REPO, p), 'utf8')));
  assert.deepEqual(found.map((t) => [t.path, t.name, t.min, t.max, t.integer]), [['src/mind/tokens.ts', 'MEMO_LIMIT', 1000, 2000000, true]]);
  const target = { kind: 'benchmark' as const, benchmark: 'mind-tokenize', origin: 'bench:mind-tokenize', scope: [...hot] };
  const got = await collect(new ParamSearchProposer(ts).propose({ root: REPO, target, suspects: [], limit: 4, seed: 1 }));
  assert.equal(got.length, 4);
  for (const g of got) {
    assert.equal(g.changes[0]!.path, 'src/mind/tokens.ts');
    assert.match(g.description, /^Set tunable MEMO_LIMIT \(src\/mind\/tokens\.ts:\d+\) from \d+ to \d+ \(range 1000\.\.2000000\)$/);
    assert.match(g.changes[0]!.after!, /const MEMO_LIMIT = \d+;/);
  }
});
