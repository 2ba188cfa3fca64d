import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockRatios, summarizeAbba, type Measurement } from './abba.js';
import { abbaLines } from './report.js';

const m = (block: number, server: string, rps: number, p50 = 1): Measurement => ({ block, server, p50, p99: p50 * 4, rps, errors: 0 });

test('a block\'s ratio is the mean of A\'s two measurements over the mean of B\'s', () => {
  const ms = [m(0, 'a', 100), m(0, 'b', 50), m(0, 'b', 150), m(0, 'a', 300), m(1, 'b', 100), m(1, 'a', 50), m(1, 'a', 50), m(1, 'b', 100)];
  assert.deepEqual(blockRatios(ms, 'a', 'b', 'rps'), [2, 0.5]);
});

test('a server twice as fast in every block is reported 2x and not flagged; equal servers are flagged', () => {
  const fast = [0, 1, 2, 3].flatMap((k) => [m(k, 'd', 200 + k, 0.5), m(k, 'bare', 100 + k / 2), m(k, 'bare', 100 + k / 2), m(k, 'd', 200 + k, 0.5)]);
  const r = summarizeAbba(fast, 'd', 'bare');
  assert.equal(r.ratios.rps.ratio.toFixed(3), '2.000');
  assert.equal(r.ratios.p50.ratio.toFixed(3), '0.500');
  assert.equal(r.a.measurements, 8);
  const lines = abbaLines(r, 'd', 'bare').join('\n');
  assert.match(lines, /throughput 2\.00x \[2\.00, 2\.00\]/);
  assert.doesNotMatch(lines, /no difference/);
  const same = [0, 1, 2].flatMap((k) => [m(k, 'd', 100 + k), m(k, 'bare', 101 - k), m(k, 'bare', 99 + k), m(k, 'd', 100 - k)]);
  assert.match(abbaLines(summarizeAbba(same, 'd', 'bare'), 'd', 'bare').join('\n'), /! no difference measured in p50, p99, throughput/);
});
