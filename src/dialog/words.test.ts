// Word splitting, stemming and abbreviations learned from co-occurrence (words.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abbreviationFit, contentTerms, learnAbbreviations, splitWords, stem } from './words.js';

test('identifiers split into words: camelCase, PascalCase, acronyms, snake_case, kebab, digits', () => {
  assert.deepEqual(splitWords('verifyManifestSignature'), ['verify', 'manifest', 'signature']);
  assert.deepEqual(splitWords('HTTPServerError'), ['http', 'server', 'error']);
  assert.deepEqual(splitWords('boot_count-name'), ['boot', 'count', 'name']);
  assert.deepEqual(splitWords('encodeGguf3 x'), ['encode', 'gguf'], 'one-letter words and digits are dropped');
  assert.deepEqual(splitWords('a'.repeat(60)), [], 'hashes and base64 carry no words');
});

test('stems meet across inflections: selection/selects/selected, verifies/verify, generation/generate', () => {
  assert.equal(stem('selection'), stem('selects'));
  assert.equal(stem('selected'), stem('select'));
  assert.equal(stem('verifies'), stem('verify'));
  assert.equal(stem('verification'), stem('verified'));
  assert.equal(stem('generation'), stem('generate'));
  assert.notEqual(stem('restart'), stem('rest'));
  assert.deepEqual(contentTerms('Where is the boot generation selection implemented?'), [stem('boot'), stem('generation'), stem('selection')]);
});

test('an abbreviation is a prefix that is no inflection, or the consonants in order', () => {
  assert.ok(abbreviationFit('gen', 'generation') > 0);
  assert.ok(abbreviationFit('cfg', 'config') > 0);
  assert.ok(abbreviationFit('svc', 'service') > 0);
  assert.ok(abbreviationFit('src', 'source') > abbreviationFit('src', 'service'), 'the closer fit scores higher');
  assert.equal(abbreviationFit('fail', 'failed'), 0, 'an inflection is no abbreviation');
  assert.equal(abbreviationFit('plan', 'planned'), 0);
  assert.equal(abbreviationFit('id', 'invalid'), 0, 'two letters must be a prefix');
  assert.equal(abbreviationFit('xyz', 'config'), 0);
});

test('abbreviations are learned from the places that use both words, not from a table', () => {
  const groups = [
    ['gen', 'generation', 'store'], ['gen', 'generation', 'id'], ['gen', 'select', 'generation'],
    ['cfg', 'config', 'load'], ['cfg', 'config', 'parse'],
    ['svc', 'service', 'restart'], ['svc', 'service', 'policy'], ['svc', 'spec'],
    ['gen', 'general'], ['test', 'testament'], ['test', 'run'], ['test', 'unit'], ['test', 'a'], ['test', 'b'], ['test', 'c'],
    ['test', 'd'], ['test', 'e'], ['test', 'f'], ['test', 'testament'],
  ];
  const learned = learnAbbreviations(groups);
  assert.equal(learned.get('gen'), 'generation', 'the long word used with it most');
  assert.equal(learned.get('cfg'), 'config');
  assert.equal(learned.get('svc'), 'service');
  assert.equal(learned.has('test'), false, 'a word used far more on its own is a word, not an abbreviation');
  assert.equal(learnAbbreviations([['cfg', 'config']]).size, 0, 'one shared place is not enough');
});
