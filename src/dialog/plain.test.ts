// Plain questions in retrieval mode, with the grep fallback and with the code index over the same tree:
// the definition ranks above its test and the question set, abbreviations learned from the code widen a
// question's words, answers say how sure they are, and vague or out-of-scope questions get no sure answer.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildIndex } from '../mind/index.js';
import { memoryOs } from '../testkit/dialog/memory-os.js';
import { buildCatalog } from './catalog.js';
import { grepCodeTools } from './code-grep.js';
import { mindCodeTools } from './code-mind.js';
import { createDialog } from './dialog.js';
import { confidenceOf } from './plain-answer.js';
import { buildPlainIndex } from './plain-index.js';
import type { CodeTools } from './types.js';

const TREE: Record<string, string> = {
  'src/boot/select.ts': [
    "// Which generation the boot stage starts.",
    "import { verifySig } from '../gen/signature.js';",
    '',
    '/** Picks the entry to boot: the newest generation whose signature holds. */',
    'export function chooseBootEntry(gens: string[]): string {',
    '  const ok = gens.filter((gen) => verifySig(gen));',
    '  return ok[0] ?? gens[0]!;',
    '}',
  ].join('\n'),
  'src/boot/select.test.ts': [
    "import { chooseBootEntry } from './select.js';",
    "test('boot generation selection picks the newest boot generation', () => chooseBootEntry(['g1']));",
    "test('boot generation selection: boot generation selection with one generation', () => chooseBootEntry(['g2']));",
    '/** The boot generation selection case. */',
    'function selectionCase(gen: string): string {',
    '  return chooseBootEntry([gen]);',
    '}',
  ].join('\n'),
  'src/dialog/eval/set.ts': "export const QS = ['Where is the boot generation selection implemented?', 'boot generation selection'];\n",
  'src/gen/signature.ts': [
    '// Signatures of generation manifests.',
    '/** Checks a manifest signature against the trusted keys. */',
    'export function verifySig(gen: string): boolean {',
    '  return gen.length > 0;',
    '}',
  ].join('\n'),
  'src/core/svc/restart.ts': [
    '// What happens to a service when it exits.',
    "import type { SvcSpec } from './spec.js';",
    '/** Restarts the unit per its policy. */',
    'export function applyRestartPolicy(svc: SvcSpec, code: number): boolean {',
    "  return svc.restart === 'always' || code !== 0;",
    '}',
  ].join('\n'),
  'src/core/svc/spec.ts': "// A service's spec.\n/** What a service runs. */\nexport interface SvcSpec { restart: string; service: string }\n",
  'src/core/cfg.ts': [
    '// The config file.',
    'export function readCfg(path: string): string {',
    "  const cfg = path + '.json';",
    '  return cfg;',
    '}',
    'export function writeCfg(cfg: string, config: string): string {',
    '  return cfg + config;',
    '}',
    'export const config = { cfg: 1 };',
  ].join('\n'),
  'src/core/svc/names.ts': "export function listSvcNames(svc: string[]): string[] {\n  return svc;\n}\n",
  'src/util/names.ts': '/** Lists names. */\nexport function listNames(xs: string[]): string[] {\n  return xs;\n}\n',
  'src/util/hash.ts': '// Hashing helpers.\nexport function hashText(s: string): string {\n  return s;\n}\n',
  'src/other/hash.ts': '// Another hashing helper.\nexport function hashNumber(n: number): number {\n  return n;\n}\n',
  'docs/GUIDE.md': '# Guide\n\n## Journal rotation\n\nOld segments are deleted when the budget is full.\n',
};

let root: string;
const tools: Array<[string, CodeTools]> = [];
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'dlg-plain-'));
  for (const [p, text] of Object.entries(TREE)) {
    await mkdir(dirname(join(root, p)), { recursive: true });
    await writeFile(join(root, p), text);
  }
  tools.push(['grep', grepCodeTools(root)], ['index', mindCodeTools(await buildIndex(root))]);
});
after(() => rm(root, { recursive: true, force: true }));

const ask = (code: CodeTools, q: string) => createDialog({ code, os: memoryOs(), model: null }).handle(q);

for (const label of ['grep', 'index']) {
  describe(`plain questions with ${label === 'grep' ? 'the grep fallback' : 'the code index'}`, () => {
    const code = () => tools.find(([l]) => l === label)![1];

    test('the definition ranks above its tests and the question set, with signature and doc, and is sure', async () => {
      const a = await ask(code(), 'Where is the boot generation selection implemented?');
      assert.deepEqual(a.citations[0], { path: 'src/boot/select.ts', line: 5 }, a.answer);
      assert.equal(a.confidence, 'sure');
      assert.match(a.answer, /^Best match/);
      assert.match(a.answer, /export function chooseBootEntry\(gens: string\[\]\): string/);
      assert.match(a.answer, /doc: Picks the entry to boot/);
      assert.ok(!a.citations.some((c) => c.path.includes('eval/')), 'the question set is never the answer');
    });

    test('which function verifies a signature; where restart policies are applied', async () => {
      assert.deepEqual((await ask(code(), 'Which function verifies a generation manifest signature?')).citations[0], { path: 'src/gen/signature.ts', line: 3 });
      assert.deepEqual((await ask(code(), 'Where are service restart policies applied?')).citations[0], { path: 'src/core/svc/restart.ts', line: 4 });
    });

    test('an abbreviation learned from the code widens the question: "service" finds listSvcNames', async () => {
      const a = await ask(code(), 'which function lists the service names');
      assert.deepEqual(a.citations[0], { path: 'src/core/svc/names.ts', line: 1 }, a.answer);
      const b = await ask(code(), 'where is the configuration read');
      assert.deepEqual(b.citations[0], { path: 'src/core/cfg.ts', line: 2 }, b.answer);
    });

    test('"how does ... work" adds what the place calls and who calls it', async () => {
      const a = await ask(code(), 'how does choosing the boot entry work?');
      assert.match(a.answer, /How it flows:\n {2}chooseBootEntry calls: verifySig \(src\/gen\/signature\.ts:3\)/);
      assert.ok(a.citations.some((c) => c.path === 'src/gen/signature.ts' && c.line === 3));
    });

    test('out of scope: no sure answer, says so, points to help', async () => {
      const a = await ask(code(), 'how do I bake sourdough bread');
      assert.equal(a.confidence, undefined);
      assert.match(a.answer, /did not understand/);
      assert.match(a.answer, /help/);
    });

    test('one vague word over equal places asks which one, and a number reads it', async () => {
      const d = createDialog({ code: code(), os: memoryOs(), model: null });
      const a = await d.handle('where is hashing done?');
      assert.match(a.answer, /Which one do you mean\?/);
      assert.equal(new Set(a.citations.map((c) => c.path)).size, 2, a.answer);
      const b = await d.handle('1');
      assert.match(b.answer, /^src\/(util|other)\/hash\.ts:2-/);
    });
  });
}

test('confidence: sure needs most words and a clear margin; closest otherwise; none under half the words', () => {
  const r = (score: number, coverage: number, path = 'a.ts', strong = coverage) => ({ entry: { kind: 'function', path, line: 1, endLine: 2, name: 'f', body: '' }, score, coverage, strong });
  assert.equal(confidenceOf([r(10, 1), r(5, 1)]), 'sure');
  assert.equal(confidenceOf([r(10, 1, 'a.ts', 0.25), r(5, 1)]), 'closest', 'the words only in its body');
  assert.equal(confidenceOf([r(10, 1, 'a.test.ts'), r(5, 1)]), 'closest', 'a test is not the answer to a question about the product');
  assert.equal(confidenceOf([r(10, 1, 'a.test.ts'), r(5, 1)], true), 'sure', 'unless tests were asked for');
  assert.equal(confidenceOf([r(10, 1, 'a.test.ts'), r(5, 1, 'src/dialog/eval/q.ts')]), 'none', 'only tests and question sets hold the words');
  assert.equal(confidenceOf([r(10, 1), r(9, 1)]), 'closest', 'no margin');
  assert.equal(confidenceOf([r(10, 0.6), r(2, 0.6)]), 'closest', 'too few of the words');
  assert.equal(confidenceOf([r(10, 0.4)]), 'none');
  assert.equal(confidenceOf([]), 'none');
});

test('the catalog finds declarations, methods, doc sections and relative imports without the code index', () => {
  const c = buildCatalog([
    { path: 'src/a.ts', lines: ["import { b } from './b.js';", '/** Does a. */', 'export class A {', '  run(x: number) {', '    return b(x);', '  }', '}'] },
    { path: 'docs/X.md', lines: ['# X', 'text', '## Y', 'more'] },
  ]);
  const byName = Object.fromEntries(c.entries.map((e) => [e.qualifiedName ?? e.name, e]));
  assert.deepEqual([byName.A!.line, byName.A!.endLine, byName.A!.doc], [3, 7, 'Does a.']);
  assert.deepEqual([byName['A.run']!.kind, byName['A.run']!.line, byName['A.run']!.endLine], ['method', 4, 6]);
  assert.deepEqual(c.entries.filter((e) => e.kind === 'doc').map((e) => [e.name, e.line, e.endLine]), [['X', 1, 2], ['X > Y', 3, 4]]);
  assert.deepEqual(c.imports, [{ from: 'src/a.ts', to: 'src/b.ts' }]);
  const index = buildPlainIndex(c);
  assert.equal(index.rank('run the a class')[0]!.entry.name, 'run');
  assert.deepEqual(index.terms('which class runs things').kinds, ['class']);
});
