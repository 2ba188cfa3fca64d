// The index's content digest: a tree and its up-to-date index have the same digest, any edit changes it,
// and stamps from an earlier call spare reading unchanged files without hiding a change.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { contentDigest, treeDigest } from './digest.js';

const root = mkdtempSync(join(tmpdir(), 'mind-digest-'));
after(() => rmSync(root, { recursive: true, force: true }));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const OLD = new Date(Date.now() - 60_000);
const put = (p: string, text: string, when = OLD) => { mkdirSync(join(root, p, '..'), { recursive: true }); writeFileSync(join(root, p), text); utimesSync(join(root, p), when, when); };

put('src/a.ts', 'export const a = 1;\n');
put('README.md', '# r\n');
put('node_modules/x/index.js', 'ignored');

test('the tree digest is the content digest of an index that holds the same files and hashes', () => {
  const index = { files: { 'src/a.ts': { path: 'src/a.ts', hash: sha('export const a = 1;\n') }, 'README.md': { path: 'README.md', hash: sha('# r\n') } } };
  assert.equal(treeDigest(root).digest, contentDigest(index as never));
});

test('an edit changes the digest; unchanged stamped files are not read again, changed ones are', () => {
  const first = treeDigest(root);
  assert.deepEqual(Object.keys(first.stamps).sort(), ['README.md', 'src/a.ts']);
  // A stamp that lies about a file's hash is believed while size and mtime match: proof it was not read.
  const lying = { ...first.stamps, 'README.md': { ...first.stamps['README.md']!, hash: 'not-read' } };
  assert.notEqual(treeDigest(root, lying).digest, first.digest);
  put('README.md', '# R\n', new Date(OLD.getTime() + 5000)); // same size, new mtime
  const second = treeDigest(root, lying);
  assert.notEqual(second.digest, first.digest);
  assert.equal(second.digest, treeDigest(root).digest, 'the edited file was read, not taken from its stamp');
});

test('a file modified just now is not stamped, so an edit within the same mtime is still seen next time', () => {
  put('src/b.ts', 'export const b = 2;\n', new Date());
  const d = treeDigest(root);
  assert.equal(d.stamps['src/b.ts'], undefined);
  assert.ok(d.stamps['src/a.ts']);
});
