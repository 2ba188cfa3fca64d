// Ranking sanity for BM25 and the identifier tokenizer it relies on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Bm25 } from './bm25.js';
import { splitIdentifier, tokenize, addTerms } from './tokens.js';
import type { FileRecord } from './types.js';

const file = (path: string, ...texts: string[]): FileRecord => ({
  path, hash: '', kind: 'text', lines: 1, symbols: [], exports: [], imports: [], importCandidates: [], references: [], calls: [], sections: [], notes: [],
  chunks: texts.map((t, i) => ({ kind: 'text', title: `${path}#${i}`, line: i + 1, endLine: i + 1, terms: addTerms({}, t) })),
});

test('rare terms outweigh common ones; repetition saturates; shorter chunks win ties', () => {
  const common = 'store '.repeat(3);
  const ix = new Bm25([
    file('a', `${common} journal`, `${common} kernel`, `${common} other words here`, `${common} more filler text`),
    file('b', 'kernel kernel kernel kernel kernel kernel kernel kernel kernel kernel words words words words words words', 'kernel module'),
  ]);
  const titles = (q: string) => ix.search(q, 10).map((h) => h.chunk.title);
  assert.equal(titles('store journal')[0], 'a#0', 'the rare term decides');
  const k = titles('kernel');
  assert.ok(k.indexOf('b#1') < k.indexOf('a#1'), 'with the term once, the shorter chunk ranks first');
  const score = (t: string) => ix.search('kernel', 10).find((h) => h.chunk.title === t)!.score;
  assert.ok(score('b#0') < 2 * score('b#1'), 'ten times the term scores less than twice once: term frequency saturates');
  assert.deepEqual(titles('nothing'), []);
  assert.equal(ix.search('kernel', 1).length, 1);
});

test('identifier splitting: sub-words, whole identifiers, snake_case and acronyms', () => {
  assert.deepEqual(splitIdentifier('parseBootCountName'), ['parse', 'boot', 'count', 'name']);
  assert.deepEqual(splitIdentifier('HTTPServer_v2'), ['http', 'server', 'v', '2']);
  assert.deepEqual(tokenize('parseBootCountName'), ['parse', 'boot', 'count', 'name', 'parsebootcountname']);
  assert.deepEqual(tokenize('boot_count the generations'), ['boot', 'count', 'boot_count', 'generation']);
});

test('property: the sub-words of an identifier spell it, in order, without separators', () => {
  fc.assert(fc.property(fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,30}$/), (id) => {
    assert.equal(splitIdentifier(id).join(''), id.replace(/[_$]/g, '').toLowerCase());
  }));
});
