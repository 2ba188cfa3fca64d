import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abbaSchedule, geoMean, median, randomAbbaSchedule, seededRandom, summarizeRatios } from './stats.js';

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('ABBA blocks swap roles every other block, so each server is first, middle and last equally often', () => {
  const s = abbaSchedule('a', 'b', 4);
  assert.equal(s.map((x) => x.who).join(''), 'abbabaababbabaab');
  assert.deepEqual([...new Set(s.map((x) => x.block))], [0, 1, 2, 3]);
  for (const who of ['a', 'b']) {
    const at = s.map((x, i) => (x.who === who ? i % 4 : -1)).filter((i) => i >= 0);
    assert.deepEqual([0, 1, 2, 3].map((p) => at.filter((i) => i === p).length), [2, 2, 2, 2], who);
  }
});

test('a ratio that is always 2 has the interval [2, 2]; noise around 1 gives an interval holding 1', () => {
  const two = summarizeRatios([2, 2, 2, 2]);
  assert.equal(two.ratio.toFixed(6), '2.000000');
  assert.deepEqual(two.ci.map((x) => x.toFixed(6)), ['2.000000', '2.000000']);
  assert.equal(two.includesOne, false);
  const noise = summarizeRatios([0.9, 1.1, 1.02, 0.97, 1.05, 0.95]);
  assert.equal(noise.includesOne, true);
  assert.ok(noise.ci[0] < noise.ratio && noise.ratio < noise.ci[1]);
  assert.deepEqual([noise.min, noise.max], [0.9, 1.1]);
});

test('a clear difference is not flagged, and the interval is the same on a rerun', () => {
  const r = summarizeRatios([1.3, 1.25, 1.4, 1.35, 1.28, 1.32]);
  assert.equal(r.includesOne, false);
  assert.ok(r.ci[0] > 1.2 && r.ci[1] < 1.45, String(r.ci));
  assert.deepEqual(summarizeRatios([1.3, 1.25, 1.4, 1.35, 1.28, 1.32]).ci, r.ci);
});

test('no blocks is refused', () => {
  assert.throws(() => summarizeRatios([]), RangeError);
});

test('a randomised ABBA schedule is balanced: two of each per block, both orders equally often, seeded', () => {
  const s = randomAbbaSchedule('a', 'b', 20, 7);
  assert.equal(s.length, 80);
  const orders = Array.from({ length: 20 }, (_, i) => s.slice(4 * i, 4 * i + 4).map((x) => x.who).join(''));
  assert.ok(orders.every((o) => o === 'abba' || o === 'baab'), orders.join(' '));
  assert.equal(orders.filter((o) => o === 'abba').length, 10);
  assert.ok(s.every((x, i) => x.block === Math.floor(i / 4)));
  assert.deepEqual(randomAbbaSchedule('a', 'b', 20, 7), s, 'the same seed gives the same order');
  assert.notDeepEqual(randomAbbaSchedule('a', 'b', 20, 8), s, 'another seed another order');
  assert.notEqual(orders.join(''), abbaSchedule('a', 'b', 20).map((x) => x.who).join(''), 'not the fixed alternation');
  assert.equal(randomAbbaSchedule('a', 'b', 5, 1).filter((x) => x.who === 'a').length, 10);
});

test('the bootstrap interval of a known ratio under log-normal noise holds the true ratio, and narrows with blocks', () => {
  const next = seededRandom(42);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const sample = (n: number) => Array.from({ length: n }, () => 1.25 * Math.exp(0.05 * gauss()));
  const small = summarizeRatios(sample(20), 2000, 3);
  const large = summarizeRatios(sample(400), 2000, 3);
  for (const r of [small, large]) assert.ok(r.ci[0] < 1.25 && 1.25 < r.ci[1], String(r.ci));
  assert.ok(large.ci[1] - large.ci[0] < (small.ci[1] - small.ci[0]) / 2, `${large.ci} vs ${small.ci}`);
  assert.ok(Math.abs(geoMean([1, 4]) - 2) < 1e-12);
});
