// The generation tree rebuilds itself: a tree built from the repository, used as a source root, gives
// a byte-identical bundle (the self-build inside the OS, no typescript, no network).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceDigest } from './digest.js';
import { buildGenerationTree, CLI_BUNDLE } from './generation-tree.js';
import { execText } from './exec.js';
import { walkTree } from './walk.js';
import { selfTestGaps } from '../evolve/evaluate/index.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

interface Record { file: string | null; name: string; status: string }

/** `dialogos test --unit gen/canonical` run by the tree's own bundle, as inside the OS (no nested runner context). */
function selfTest(tree: string): { status: number | null; stderr: string; tests: Record[] } {
  const results = join(tree, '..', 'records.json');
  rmSync(results, { force: true });
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, [join(tree, CLI_BUNDLE), 'test', '--unit', 'gen/canonical', '--results', results], { cwd: tree, env, encoding: 'utf8' });
  const tests = existsSync(results) ? (JSON.parse(readFileSync(results, 'utf8')) as { tests: Record[] }).tests : [];
  return { status: r.status, stderr: r.stderr, tests };
}

describe('buildGenerationTree', () => {
  it('builds a tree that builds itself again, byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gentree-test-'));
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await buildGenerationTree(repo, a);
    assert.ok(existsSync(join(a, 'node_modules/esbuild/package.json')));
    assert.ok(existsSync(join(a, 'node_modules/@esbuild/linux-x64/bin/esbuild')));
    assert.ok(existsSync(join(a, 'src/cli/main.ts')));
    assert.ok(existsSync(join(a, 'defaults/health.json')));
    // Source, test kits and the compiled tests ship: the OS tests itself (issue 10 item 1).
    assert.ok(existsSync(join(a, 'src/testkit')) && existsSync(join(a, 'src/core/daemon.ts')));
    assert.deepEqual(selfTestGaps(a), []);
    // Of typescript: the compiler API and the default libraries, no tsc/tsserver (every shipped file is hashed at boot).
    const ts = walkTree(join(a, 'node_modules/typescript')).map((e) => e.rel).filter((r) => !/^lib\/lib\.[a-z0-9.]+\.d\.ts$/.test(r)).sort();
    assert.deepEqual(ts, ['LICENSE.txt', 'lib', 'lib/typescript.js', 'package.json']);
    assert.ok(existsSync(join(a, 'node_modules/typescript/lib/lib.es2023.d.ts')));
    assert.ok(!walkTree(join(a, 'dist')).some((e) => e.rel.endsWith('.map')), 'no source maps in dist/');
    await buildGenerationTree(a, b);
    assert.deepEqual(readFileSync(join(b, CLI_BUNDLE)), readFileSync(join(a, CLI_BUNDLE)));
    assert.equal(sourceDigest(b), sourceDigest(a));
    const diff = await execText('diff', ['-r', '--no-dereference', a, b]);
    assert.equal(diff, '');
  });

  it('ships a CLI bundle that runs on its own', async () => {
    const a = join(mkdtempSync(join(tmpdir(), 'gentree-run-')), 'a');
    await buildGenerationTree(repo, a);
    const help = await execText(process.execPath, [join(a, CLI_BUNDLE), '--help']);
    assert.match(help, /Usage: dialogos/);
  });

  it('tests itself from its own dist/ with per-test records, and a broken copy fails', async () => {
    const a = join(mkdtempSync(join(tmpdir(), 'gentree-selftest-')), 'a');
    await buildGenerationTree(repo, a);
    const good = selfTest(a);
    assert.equal(good.status, 0, good.stderr);
    assert.ok(good.tests.length > 0 && good.tests.every((t) => t.status === 'pass' && t.file?.includes('gen/canonical')), JSON.stringify(good.tests));
    const lib = join(a, 'dist/gen/canonical.js');
    const src = readFileSync(lib, 'utf8');
    assert.ok(src.includes("return encode(value, '$');"));
    writeFileSync(lib, src.replace("return encode(value, '$');", "return encode(value, '$') + ' ';"));
    const broken = selfTest(a);
    assert.equal(broken.status, 1);
    assert.ok(broken.tests.some((t) => t.status === 'fail'), JSON.stringify(broken.tests));
    rmSync(join(a, 'node_modules/fast-check'), { recursive: true });
    const lacking = selfTest(a);
    assert.equal(lacking.status, 2);
    assert.match(lacking.stderr, /lacks .*node_modules\/fast-check\/package\.json/);
  });
});
