// The vendored node-llama-cpp works where the npm package is absent: a tree's own bundle finds its data
// files and forks its binary self-test at the paths the unbundled package would use.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execText } from './exec.js';
import { shipNodeLlamaCpp, VENDORED_MARKER } from './node-llama-cpp.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('shipNodeLlamaCpp', () => {
  it('vendors a package that loads the CPU build with no npm package beside it', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'nlc-vendor-'));
    assert.equal(await shipNodeLlamaCpp(repo, tree), true);
    const nlc = join(tree, 'node_modules/node-llama-cpp');
    assert.ok(existsSync(join(nlc, VENDORED_MARKER)));
    assert.deepEqual(readdirSync(join(nlc, 'dist')).sort(), ['bindings', 'index.js'], 'one bundle, not the package');
    // The platform build is a shipped module of the generation tree; link it in for this bare tree.
    mkdirSync(join(tree, 'node_modules/@node-llama-cpp'), { recursive: true });
    await execText('cp', ['-r', join(repo, 'node_modules/@node-llama-cpp/linux-x64'), join(tree, 'node_modules/@node-llama-cpp/')]);
    mkdirSync(join(tree, 'bin'));
    writeFileSync(join(tree, 'bin/probe.mjs'), [
      "const { getLlama } = await import('node-llama-cpp');",
      "const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' });",
      "console.log(JSON.stringify({ gpu: llama.gpu, buildType: llama.buildType }));",
      'await llama.dispose();',
    ].join('\n'));
    const out = await execText(process.execPath, [join(tree, 'bin/probe.mjs')], { cwd: tree });
    assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), { gpu: false, buildType: 'prebuilt' });
  });

  it('ships nothing for a source root without node-llama-cpp', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'nlc-none-'));
    assert.equal(await shipNodeLlamaCpp(empty, join(empty, 'out')), false);
    assert.equal(existsSync(join(empty, 'out')), false);
  });
});
