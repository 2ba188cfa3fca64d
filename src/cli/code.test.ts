// `dialogos code` as a person runs it: cited answers, JSON, man-page help, exit codes 0/2/3; and the
// generation tree's own bundle answering from its own source with the one shipped typescript file.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildGenerationTree, CLI_BUNDLE } from '../image/index.js';
import { BASIC, lineOf, materialize, writeTree } from '../testkit/mind/project.js';

const main = fileURLToPath(new URL('./main.js', import.meta.url));
const repo = fileURLToPath(new URL('../../', import.meta.url));

function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { maxBuffer: 64 << 20, timeout: 300_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

test('code subcommands on a fixture: cited answers, JSON and exit codes', async () => {
  const src = materialize(BASIC);
  const state = mkdtempSync(join(tmpdir(), 'code-cli-'));
  const code = (...a: string[]) => run(main, ['code', ...a, '--source', src.dir, '--state', state]);
  try {
    const idx = await code('index');
    assert.equal(idx.code, 0, idx.stderr);
    assert.match(idx.stdout, /indexed .*: 9 files \(7 TypeScript\)/);
    const def = await code('def', 'Counter.bump');
    assert.equal(def.code, 0);
    assert.match(def.stdout, new RegExp(`^src/util/counter.ts:${lineOf(BASIC, 'src/util/counter.ts', 'bump(k')}: method Counter.bump\n`));
    const callers = JSON.parse((await code('callers', 'add', '--json')).stdout) as Array<{ path: string; caller: string }>;
    assert.deepEqual(callers.map((c) => c.caller), ['src/util/counter.ts#Counter.bump', 'src/util/math.test.ts', 'src/util/math.ts#twice']);
    assert.match((await code('refs', 'Counter')).stdout, /^src\/app\/main.ts:2: import/);
    assert.match((await code('module', 'src/util/index.ts')).stdout, /IMPORTED BY\n {2}src\/app\/main.ts:2/);
    assert.match((await code('tests', 'add')).stdout, /^src\/util\/math.test.ts:1: unit test, references it/);
    assert.match((await code('search', 'boot', 'count', '-k', '1')).stdout, /^src\/app\/main.ts:6-8: function parseBootCountName/);
    assert.match((await code('read', 'src/util/math.ts:4', '--json')).stdout, /"fromLine": 4/);
    assert.match((await code('map', '--chars', '200', 'boot')).stdout, /^src\/app\/main.ts: The app: counts boot attempts.\n {2}6: export function parseBootCountName/);
    for (const a of [['def', 'zzzz'], ['refs', 'zzzz'], ['module', 'src/none.ts'], ['read', 'src/none.ts'], ['search', 'qqqqzz']]) {
      assert.equal((await code(...a)).code, 3, a.join(' '));
    }
    assert.equal((await code('search', '-k', 'many', 'x')).code, 2);
    assert.equal((await code('search', '--kind', 'files', 'x')).code, 2);
    assert.match((await code('search', '--kind', 'doc', 'boot')).stdout, /^docs\/GUIDE.md:5-12: Guide > Counting boots/);
    assert.equal((await run(main, ['code', 'def', 'x', '--source', join(src.dir, 'nope'), '--state', state])).code, 2);
    const help = await run(main, ['code', 'callers', '--help']);
    for (const h of ['DESCRIPTION', 'EXIT STATUS', '3  nothing found']) assert.match(help.stdout, new RegExp(h));
  } finally { src.cleanup(); rmSync(state, { recursive: true, force: true }); }
});

test('code diff: two trees, or generation ids read from the store', async () => {
  const older = materialize(BASIC);
  const store = materialize({});
  const id = 'g2-0123456789ab';
  const newer = join(store.dir, 'store', 'gens', id, 'tree');
  const state = mkdtempSync(join(tmpdir(), 'code-diff-'));
  try {
    writeTree(newer, { ...BASIC, 'src/util/math.ts': String(BASIC['src/util/math.ts']).replace('return a + b;', 'return b + a;') + 'export const zero = 0;\n' });
    const r = await run(main, ['code', 'diff', older.dir, id, '--store', store.dir, '--state', state]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `M src/util/math.ts\n+ src/util/math.ts:11: variable zero\n~ src/util/math.ts:4: function add (body)\n`);
    const same = await run(main, ['code', 'diff', older.dir, older.dir, '--state', state, '--json']);
    assert.deepEqual(JSON.parse(same.stdout).files, { added: [], removed: [], changed: [] });
  } finally { older.cleanup(); store.cleanup(); rmSync(state, { recursive: true, force: true }); }
});

test('a generation tree answers code questions from its own source, with typescript kept out of the bundle', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'code-gen-'));
  try {
    const tree = join(dir, 'tree');
    await buildGenerationTree(repo, tree);
    assert.doesNotMatch(readFileSync(join(tree, CLI_BUNDLE), 'utf8'), /function createTypeChecker\(/, 'the compiler is not inlined');
    const r = await run(join(tree, CLI_BUNDLE), ['code', 'def', 'writeGeneration', '--json', '--state', join(dir, 'state')]);
    assert.equal(r.code, 0, r.stderr);
    const [def] = JSON.parse(r.stdout) as Array<{ path: string; line: number }>;
    assert.equal(def!.path, 'src/gen/build.ts');
    assert.match(readFileSync(join(tree, def!.path), 'utf8').split('\n')[def!.line - 1]!, /writeGeneration/);
    // Without the compiler: a named error and exit 1, and the CLI's other commands unaffected.
    rmSync(join(tree, 'node_modules', 'typescript'), { recursive: true });
    const none = await run(join(tree, CLI_BUNDLE), ['code', 'def', 'writeGeneration', '--state', join(dir, 'state2')]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^dialogos code def: Cannot load the TypeScript compiler \("typescript"\): .*ship node_modules\/typescript/);
    assert.equal((await run(join(tree, CLI_BUNDLE), ['--help'])).code, 0);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
