// The generation tree rebuilds itself: a tree built from the repository, used as a source root, gives
// a byte-identical bundle (the self-build inside the OS, no typescript, no network).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceDigest } from './digest.js';
import { buildGenerationTree, CLI_BUNDLE } from './generation-tree.js';
import { execText } from './exec.js';
import { walkTree } from './walk.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

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
    // Production source ships; the test kits stay behind, and the bundle (built again from the tree) needs none.
    assert.ok(existsSync(join(repo, 'src/testkit')) && !existsSync(join(a, 'src/testkit')));
    assert.ok(existsSync(join(a, 'src/core/daemon.ts')));
    // The code index's compiler: one file of typescript, nothing else of it (every shipped file is hashed at boot).
    assert.deepEqual(walkTree(join(a, 'node_modules/typescript')).map((e) => e.rel).sort(), ['LICENSE.txt', 'lib', 'lib/typescript.js', 'package.json']);
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
});
