// The exact McNemar test against hand-computed binomial tails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mcnemarExact } from './stats.js';

const pairs = (onlyA: number, onlyB: number, both = 0, neither = 0): [boolean[], boolean[]] => [
  [...Array(onlyA).fill(true), ...Array(onlyB).fill(false), ...Array(both).fill(true), ...Array(neither).fill(false)],
  [...Array(onlyA).fill(false), ...Array(onlyB).fill(true), ...Array(both).fill(true), ...Array(neither).fill(false)],
];

describe('mcnemarExact', () => {
  it('is 1 with no discordant pair', () => {
    assert.deepEqual(mcnemarExact(...pairs(0, 0, 4, 3)), { onlyA: 0, onlyB: 0, p: 1 });
  });

  it('is the two-sided binomial tail of the discordant pairs', () => {
    assert.equal(mcnemarExact(...pairs(5, 0)).p, 2 / 32);
    assert.ok(Math.abs(mcnemarExact(...pairs(10, 0, 7, 2)).p - 2 / 1024) < 1e-12);
    // 8 against 2: 2 * (1 + 10 + 45) / 1024
    assert.ok(Math.abs(mcnemarExact(...pairs(8, 2)).p - 112 / 1024) < 1e-12);
    assert.equal(mcnemarExact(...pairs(3, 2)).p, 1);
  });

  it('is symmetric, ignores concordant pairs and stays finite for large counts', () => {
    assert.equal(mcnemarExact(...pairs(2, 9, 5)).p, mcnemarExact(...pairs(9, 2)).p);
    const big = mcnemarExact(...pairs(400, 0));
    assert.ok(big.p > 0 && big.p < 1e-100, String(big.p));
  });

  it('refuses lists of different lengths', () => {
    assert.throws(() => mcnemarExact([true], [true, false]), { name: 'PairingError' });
  });
});
