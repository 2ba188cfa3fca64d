// Bad input never crashes the index: a binary file, a syntax error, an enormous file, an empty tree, a
// missing root; each leaves a clear note and the rest stays queryable.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildIndex } from './index.js';
import { BASIC, materialize } from '../testkit/mind/project.js';

test('binary, syntax-error and enormous files are noted; the rest is indexed', async () => {
  const fx = materialize({
    ...BASIC,
    'scripts/blob': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]),
    'src/broken.ts': 'export function ok() { return 1; }\nexport function (\n',
    'src/huge.ts': `export const big = "${'x'.repeat(1_100_000)}";\n`,
    'src/empty.ts': '',
  });
  try {
    const ix = await buildIndex(fx.dir);
    const notes = ix.notes().map((n) => [n.path, n.reason]);
    assert.deepEqual(notes, [['scripts/blob', 'binary'], ['src/broken.ts', 'syntax'], ['src/huge.ts', 'too-large']]);
    assert.match(ix.notes()[1]!.message, /^Syntax error in "src\/broken.ts" at line 2: .* \(indexed what parses\)$/);
    assert.match(ix.notes()[2]!.message, /over the 1048576-byte limit/);
    assert.deepEqual(ix.definitions('ok').map((s) => `${s.path}:${s.line}`), ['src/broken.ts:1']);
    assert.equal(ix.definitions('add').length, 1);
    assert.deepEqual(ix.definitions('big'), []);
    assert.ok(ix.moduleInfo('src/empty.ts'));
  } finally { fx.cleanup(); }
});

test('an empty tree gives an empty index; a missing root a named error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mind-empty-'));
  try {
    mkdirSync(join(dir, 'src'));
    const ix = await buildIndex(dir);
    assert.deepEqual([ix.stats().files, ix.search('anything'), ix.definitions('x')], [0, [], []]);
    writeFileSync(join(dir, 'file'), 'x');
    await assert.rejects(buildIndex(join(dir, 'file')), { name: 'SourceRootError', message: /is not a directory/ });
    await assert.rejects(buildIndex(join(dir, 'nope')), { name: 'SourceRootError', message: /does not exist; pass --source DIR/ });
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
