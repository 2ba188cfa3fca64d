// The archive's line diff: shortest scripts, hunks with context, and a round trip (applying the script to
// the old lines gives the new ones) over random edits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffLines, unifiedDiff } from './diff.js';

const apply = (a: string[], script: ReturnType<typeof diffLines>): string[] => {
  const out: string[] = [];
  let i = 0;
  for (const l of script) {
    if (l.op === '+') { out.push(l.text); continue; }
    assert.equal(a[i], l.text, 'a kept or removed line is the old line at that place');
    i++;
    if (l.op === ' ') out.push(l.text);
  }
  assert.equal(i, a.length);
  return out;
};

test('diffLines finds the shortest script', () => {
  const s = diffLines(['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c']);
  assert.equal(s.filter((l) => l.op !== ' ').length, 5, 'Myers\' example has D = 5');
  assert.deepEqual(diffLines([], []), []);
  assert.deepEqual(diffLines(['x'], []), [{ op: '-', text: 'x' }]);
});

test('applying the script to the old lines gives the new ones (random edits)', () => {
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  for (let t = 0; t < 300; t++) {
    const a = Array.from({ length: rnd(12) }, () => 'abcd'[rnd(4)]!);
    const b = Array.from({ length: rnd(12) }, () => 'abcd'[rnd(4)]!);
    assert.deepEqual(apply(a, diffLines(a, b)), b, `${a.join('')} -> ${b.join('')}`);
  }
});

test('unifiedDiff writes hunks with three lines of context and the right line numbers', () => {
  const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
  const after = before.replace('line 10\n', 'line ten\n');
  assert.equal(unifiedDiff({ path: 'src/a.ts', before, after }), [
    '--- a/src/a.ts', '+++ b/src/a.ts', '@@ -7,7 +7,7 @@',
    ' line 7', ' line 8', ' line 9', '-line 10', '+line ten', ' line 11', ' line 12', ' line 13', '',
  ].join('\n'));
  assert.equal(unifiedDiff({ path: 'src/a.ts', before, after: before }), '');
  assert.equal(unifiedDiff({ path: 'src/n.ts', before: null, after: 'x\n' }), '--- /dev/null\n+++ b/src/n.ts\n@@ -0,0 +1,1 @@\n+x\n');
  assert.equal(unifiedDiff({ path: 'src/n.ts', before: 'x\n', after: null }), '--- a/src/n.ts\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n');
});
