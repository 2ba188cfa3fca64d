// The retrieval catalog saved beside the code index: what is loaded ranks exactly as what was built,
// bodies left out of the file are read back from the source, and a torn, foreign or older file is
// never used.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildCatalog, type CatalogFile } from './catalog.js';
import { PLAIN_CACHE_VERSION, loadPlainCache, savePlainCache } from './plain-cache.js';
import { buildPlainIndex } from './plain-index.js';

const SOURCES: Record<string, string> = {
  'src/boot/select.ts': [
    '// Which generation the boot stage starts.',
    '/** Picks the entry to boot: the newest generation whose signature holds. */',
    'export function chooseBootEntry(gens: string[]): string {',
    '  return gens.filter((gen) => verifySig(gen))[0] ?? gens[0]!;',
    '}',
    '/** Checks the signature of a generation manifest. */',
    'export function verifySig(gen: string): boolean {',
    '  return gen.length > 0;',
    '}',
  ].join('\n'),
  'src/core/restart.ts': [
    '// How a supervised service is restarted after it exits.',
    '/** The delay before the next restart: doubles with each crash, up to a cap. */',
    'export function restartBackoff(crashes: number): number {',
    '  return Math.min(30_000, 100 * 2 ** crashes);',
    '}',
  ].join('\n'),
  'docs/BOOT.md': '# Boot\n\n## Choosing a generation\nThe boot stage picks the newest good generation.\n',
};
const files: CatalogFile[] = Object.entries(SOURCES).map(([path, text]) => ({ path, lines: text.split('\n') }));
const linesOf = (path: string): string[] | undefined => SOURCES[path]?.split('\n');
const dir = mkdtempSync(join(tmpdir(), 'plain-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const QUESTIONS = ['which function picks the generation to boot?', 'how long does a crashed service wait before it restarts', 'manifest signature check'];

test('a saved catalog loads with its digest and ranks every question exactly as the one built', () => {
  const file = join(dir, 'plain-a.json');
  const built = buildCatalog(files);
  savePlainCache(file, 'd1', built, { 'src/boot/select.ts': { size: 1, mtimeMs: 2, hash: 'h' } });
  const saved = loadPlainCache(file, linesOf);
  assert.ok(saved);
  assert.equal(saved.digest, 'd1');
  assert.deepEqual(saved.stamps, { 'src/boot/select.ts': { size: 1, mtimeMs: 2, hash: 'h' } });
  assert.ok(saved.catalog.vocab, 'the vocabulary is saved with the entries');
  const fresh = buildPlainIndex(built);
  const loaded = buildPlainIndex(saved.catalog);
  for (const q of QUESTIONS) {
    const a = fresh.rank(q).map((r) => [r.entry.path, r.entry.line, Math.round(r.score * 1e6)]);
    assert.ok(a.length > 0, `"${q}" finds something`);
    assert.deepEqual(loaded.rank(q).map((r) => [r.entry.path, r.entry.line, Math.round(r.score * 1e6)]), a, q);
  }
});

test('bodies are left out of the file and read back from the source when an answer needs them', () => {
  const file = join(dir, 'plain-b.json');
  const built = buildCatalog(files);
  savePlainCache(file, 'd1', built);
  assert.ok(!readFileSync(file, 'utf8').includes('Math.min(30_000'), 'a symbol body is not in the file');
  const saved = loadPlainCache(file, linesOf)!;
  assert.deepEqual(saved.catalog.entries.map((e) => e.body), built.entries.map((e) => e.body));
  const blind = loadPlainCache(file)!;
  assert.equal(blind.catalog.entries.find((e) => e.name === 'restartBackoff')!.body, '', 'no source: an empty body, not a throw');
});

test('a missing, torn, foreign or older file is not used', () => {
  const file = join(dir, 'plain-c.json');
  assert.equal(loadPlainCache(join(dir, 'none.json')), undefined);
  writeFileSync(file, '{"version": 3, "digest": "d1", "catal');
  assert.equal(loadPlainCache(file), undefined);
  writeFileSync(file, JSON.stringify({ something: 'else' }));
  assert.equal(loadPlainCache(file), undefined);
  savePlainCache(file, 'd1', buildCatalog(files));
  const old = JSON.parse(readFileSync(file, 'utf8')) as { version: number };
  writeFileSync(file, JSON.stringify({ ...old, version: PLAIN_CACHE_VERSION - 1 }));
  assert.equal(loadPlainCache(file), undefined);
});

test('a directory that cannot be written is named in the error', () => {
  const blocker = join(dir, 'file-not-dir');
  writeFileSync(blocker, 'x');
  assert.throws(() => savePlainCache(join(blocker, 'plain.json'), 'd1', buildCatalog(files)), (err: Error) => err.name === 'PlainCacheWriteError' && err.message.includes(blocker));
});
