// Index correctness on the BASIC fixture: definitions, references (through aliases and re-exports),
// call edges, imports, tests per symbol, docs and module summaries, each at its exact path:line.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildIndex, type CodeIndex } from './index.js';
import { BASIC, lineOf, materialize } from '../testkit/mind/project.js';

let ix: CodeIndex;
let fx: ReturnType<typeof materialize>;
before(async () => { fx = materialize(BASIC); ix = await buildIndex(fx.dir); });
after(() => fx.cleanup());

const at = (file: string, text: string, nth = 1) => `${file}:${lineOf(BASIC, file, text, nth)}`;
const cite = (x: { path: string; line: number }) => `${x.path}:${x.line}`;

test('definitions: exact names, qualified members, kinds, docs, exported', () => {
  const [add, ...more] = ix.definitions('add');
  assert.equal(more.length, 0);
  assert.equal(cite(add!), at('src/util/math.ts', 'export function add'));
  assert.equal(add!.column, 17);
  assert.deepEqual([add!.kind, add!.exported, add!.doc, add!.id], ['function', true, 'Adds two numbers.', 'src/util/math.ts#add']);
  assert.equal(add!.signature, 'export function add(a: number, b: number): number');
  const bump = ix.definitions('Counter.bump');
  assert.deepEqual(bump.map(cite), [at('src/util/counter.ts', 'bump(k')]);
  assert.deepEqual([bump[0]!.kind, bump[0]!.doc, bump[0]!.exported], ['method', 'Increments by k.', true]);
  const n = ix.definitions('Counter.n')[0]!;
  assert.equal(n.exported, false, 'a private member is not reachable from outside');
  assert.equal(ix.definitions('Counter')[0]!.signature, 'export class Counter');
  assert.deepEqual(ix.definitions('bootCount').map((s) => s.name), ['parseBootCountName'], 'sub-word matching');
  assert.deepEqual(ix.definitions('nothingLikeThis'), []);
});

test('references resolve through imports, aliases and re-exports', () => {
  const refs = ix.references('add').map((r) => `${cite(r)} ${r.kind}`);
  assert.deepEqual(refs, [
    `${at('src/util/counter.ts', 'import { add }')} import`,
    `${at('src/util/counter.ts', 'add(this.n')} call`,
    `${at('src/util/index.ts', 'export { add')} export`,
    `${at('src/util/math.test.ts', 'import { add }')} import`,
    `${at('src/util/math.test.ts', 'add(1, 2)')} call`,
    `${at('src/util/math.ts', 'return add(x, x)')} call`,
  ]);
  // Counter is known as Tally to the app: the uses still land on the class.
  const counter = ix.references('Counter').map((r) => `${cite(r)} ${r.kind}`);
  assert.deepEqual(counter, [
    `${at('src/app/main.ts', 'import { twice, Tally }')} import`,
    `${at('src/app/main.ts', 'new Tally()')} new`,
    `${at('src/util/index.ts', 'Counter as Tally')} export`,
  ]);
  // A method call on an inferred type (t = new Tally()) resolves to the declaring class's method.
  assert.deepEqual(ix.references('Counter.bump').map(cite), [at('src/app/main.ts', 't.bump(parse'), at('src/app/main.ts', 't.bump(2)')]);
});

test('call graph: callers and callees with call sites', () => {
  assert.deepEqual(ix.callers('add').map((c) => `${cite(c)} ${c.caller}`), [
    `${at('src/util/counter.ts', 'add(this.n')} src/util/counter.ts#Counter.bump`,
    `${at('src/util/math.test.ts', 'add(1, 2)')} src/util/math.test.ts`,
    `${at('src/util/math.ts', 'return add(x, x)')} src/util/math.ts#twice`,
  ]);
  assert.deepEqual(ix.callees('run').map((c) => `${cite(c)} ${c.callee}`), [
    `${at('src/app/main.ts', 'new Tally()')} src/util/counter.ts#Counter`,
    `${at('src/app/main.ts', 't.bump(parse')} src/util/counter.ts#Counter.bump`,
    `${at('src/app/main.ts', 't.bump(parse')} src/app/main.ts#parseBootCountName`,
    `${at('src/app/main.ts', 'return twice')} src/util/math.ts#twice`,
    `${at('src/app/main.ts', 'return twice')} src/util/counter.ts#Counter.bump`,
  ]);
});

test('module info: summary, exports with their definitions, imports and importers', () => {
  const m = ix.moduleInfo('src/util/index.ts')!;
  assert.equal(m.summary, "The util subsystem's public face.");
  assert.deepEqual(m.exports.map((e) => `${e.name} ${e.path}:${e.line}`), [
    `Tally ${at('src/util/counter.ts', 'export class Counter')}`,
    `add ${at('src/util/math.ts', 'export function add')}`,
    `twice ${at('src/util/math.ts', 'export function twice')}`,
  ]);
  assert.deepEqual(m.imports.map((i) => [i.to, i.line, i.names]), [['src/util/math.ts', 2, ['add', 'twice']], ['src/util/counter.ts', 3, ['Counter']]]);
  assert.deepEqual(m.importers, [{ path: 'src/app/main.ts', line: 2 }]);
  const app = ix.moduleInfo('src/app/main.ts')!;
  assert.deepEqual(app.imports.map((i) => [i.specifier, i.to ?? null]), [['../util/index.js', 'src/util/index.ts'], ['node:fs', null]]);
  assert.equal(ix.moduleInfo('src/nope.ts'), undefined);
});

test('tests for a symbol: direct references first, then through the import graph, with kinds', () => {
  assert.deepEqual(ix.testsFor('add').map((t) => [t.path, t.kind, t.via, t.line, t.chain ?? []]), [
    ['src/util/math.test.ts', 'unit', 'direct', 1, []],
    ['src/app/boot.vm.test.ts', 'vm', 'imports', 1, ['src/app/boot.vm.test.ts', 'src/app/main.ts', 'src/util/index.ts', 'src/util/math.ts']],
    ['src/app/main.test.ts', 'unit', 'imports', 1, ['src/app/main.test.ts', 'src/app/main.ts', 'src/util/index.ts', 'src/util/math.ts']],
  ]);
  assert.deepEqual(ix.testsFor('parseBootCountName').map((t) => `${t.path} ${t.via}`), ['src/app/boot.vm.test.ts direct', 'src/app/main.test.ts imports']);
});

test('docs: markdown sections with levels, lines and trails; fenced code is not a heading', () => {
  assert.deepEqual(ix.docs('docs/GUIDE.md').map((s) => [s.heading, s.level, s.line, s.endLine, s.trail]), [
    ['Guide', 1, 1, 4, []],
    ['Counting boots', 2, 5, 12, ['Guide']],
    ['Adding', 2, 13, 15, ['Guide']],
  ]);
});

test('search: "boot count" finds parseBootCountName first; docs and kinds filter', () => {
  const hits = ix.search('boot count');
  assert.equal(hits[0]!.symbol, 'src/app/main.ts#parseBootCountName');
  assert.equal(cite(hits[0]!), at('src/app/main.ts', 'export function parseBootCountName'));
  assert.match(hits[0]!.snippet, /parseBootCountName/);
  const docs = ix.search('boot count', { kinds: ['doc'] });
  assert.deepEqual(docs.map(cite), ['docs/GUIDE.md:5']);
  assert.deepEqual(ix.search('zzzzqqq'), []);
  assert.ok(ix.search('counter grows')[0]!.path === 'src/util/counter.ts');
});

test('read: clamped line ranges and named errors for unknown paths', () => {
  const r = ix.read('src/util/math.ts', 4, 5);
  assert.deepEqual(r.lines, ['export function add(a: number, b: number): number {', '  return a + b;']);
  assert.equal(r.totalLines, 10);
  assert.equal(ix.read('src/util/math.ts', 9, 999).toLine, 10);
  assert.throws(() => ix.read('src/none.ts'), { name: 'MindNotFoundError' });
  assert.throws(() => ix.references(''), { name: 'MindQueryError' });
});

test('hybrid search re-ranks BM25 candidates with an embedder', async () => {
  // A toy embedder that finds only the doc section "Adding" close to the query: BM25 ranks it second.
  const embedder = { embed: async (texts: string[]) => texts.map((t) => [Number(/Adding|add numbers/.test(t)), 0.1]) };
  assert.notEqual(ix.search('add numbers')[0]!.path, 'docs/GUIDE.md');
  const hits = await ix.searchHybrid('add numbers', embedder, { k: 3 });
  assert.equal(hits.length, 3);
  assert.equal(cite(hits[0]!), 'docs/GUIDE.md:13');
});

test('terms named like Object.prototype members ("constructor") count as words, not as inherited values', () => {
  assert.ok(ix.search('constructor toString').every((h) => Number.isFinite(h.score)));
});

test('repository map: used symbols by file with signatures, within the budget, focused by a question', () => {
  const { text, entries } = ix.map();
  assert.equal(text, [
    'src/app/main.ts: The app: counts boot attempts.',
    `  ${lineOf(BASIC, 'src/app/main.ts', 'export function parseBootCountName')}: export function parseBootCountName(name: string): number`,
    `  ${lineOf(BASIC, 'src/app/main.ts', 'export function run')}: export function run(): number`,
    'src/util/counter.ts: A counter that only grows.',
    `  ${lineOf(BASIC, 'src/util/counter.ts', 'export class Counter')}: export class Counter`,
    `  ${lineOf(BASIC, 'src/util/counter.ts', 'bump(k')}: bump(k: number): number`,
    'src/util/math.ts: Small arithmetic helpers.',
    `  ${lineOf(BASIC, 'src/util/math.ts', 'export function add')}: export function add(a: number, b: number): number`,
    `  ${lineOf(BASIC, 'src/util/math.ts', 'export function twice')}: export function twice(x: number): number`,
    '',
  ].join('\n'));
  assert.equal(entries.length, 3);
  const small = ix.map({ maxChars: 120, question: 'boot count' });
  assert.ok(small.text.length <= 120);
  assert.match(small.text, /^src\/app\/main.ts: .*\n {2}\d+: export function parseBootCountName/);
});
