import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson } from './canonical.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } }), '{"a":{"c":null,"d":[1,"x"]},"b":1}');
  });
  it('refuses undefined, non-finite numbers and non-plain objects', () => {
    for (const bad of [undefined, NaN, Infinity, { a: undefined }, [1, -Infinity], new Date(0), 1n, () => 1]) {
      assert.throws(() => canonicalJson(bad), { name: 'CanonicalJsonError' });
    }
  });
  it('round-trips any JSON value to the same canonical text', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const once = canonicalJson(v);
      assert.equal(canonicalJson(JSON.parse(once)), once);
    }));
  });
});
