// The index over this repository itself: the facts the dialog will cite must hold on the real tree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildIndex, type CodeIndex } from './index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
let ix: CodeIndex;
before(async () => { ix = await buildIndex(root.replace(/\/$/, '')); });

const lineAt = (path: string, line: number) => readFileSync(join(root, path), 'utf8').split('\n')[line - 1] ?? '';

test('definitions("writeGeneration") resolves to src/gen and the cited line holds the name', () => {
  const [def] = ix.definitions('writeGeneration');
  assert.ok(def, 'writeGeneration is defined');
  assert.match(def.path, /^src\/gen\//);
  assert.match(lineAt(def.path, def.line), /writeGeneration/);
  assert.equal(def.kind, 'function');
});

test('Store.listDir is called from gc and fsck, each cited line holds the call', () => {
  const callers = ix.callers('Store.listDir');
  const files = new Set(callers.map((c) => c.path));
  assert.ok(files.has('src/gen/gc.ts') && files.has('src/gen/fsck.ts'), [...files].join(', '));
  for (const c of callers) assert.match(lineAt(c.path, c.line), /listDir/);
});

test('every definition cites a line that contains its name', () => {
  const bad = Object.values(ix.data.files).flatMap((f) => f.symbols)
    .filter((s) => s.name !== 'constructor' && s.name !== 'default' && !lineAt(s.path, s.line).includes(s.name));
  assert.deepEqual(bad.map((s) => `${s.path}:${s.line} ${s.name}`), []);
});

test('every reference cites a line that contains the referenced name', () => {
  // Under a renamed import (`import { a as b }`) the cited line holds the local name instead.
  const aliases = (path: string, name: string) => [...readFileSync(join(root, path), 'utf8').matchAll(new RegExp(`\\b${name} as (\\w+)`, 'g'))].map((m) => m[1]!);
  const bad = Object.values(ix.data.files).flatMap((f) => f.references).filter((r) => {
    const name = ix.symbol(r.symbol)!.name, line = lineAt(r.path, r.line);
    return !line.includes(name) && !aliases(r.path, name).some((a) => line.includes(a));
  });
  assert.deepEqual(bad.slice(0, 5), []);
});

test('module info of src/gen/index.ts: a summary, exports defined in src/gen, importers outside it', () => {
  const m = ix.moduleInfo('src/gen/index.ts')!;
  assert.ok(m.summary && m.exports.length > 20);
  assert.ok(m.exports.every((e) => !e.path || e.path.startsWith('src/gen/')));
  assert.ok(m.importers.some((i) => i.path.startsWith('src/cli/')));
  assert.deepEqual(ix.notes(), []);
});
