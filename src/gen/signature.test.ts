import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { generateSigningKey, keyIdOf, parseTrust, trustEntry } from './keys.js';
import { encodeSignature, signManifest, verifyManifestSignature } from './signature.js';

const bytes = new TextEncoder().encode('{"schema":1}');
const key = generateSigningKey();
const trust = { keys: [trustEntry(key, 'owner')] };
const sig = encodeSignature(signManifest(bytes, key.privateKeyPem));

describe('signing keys', () => {
  it('derive the key id from the raw public key', () => {
    assert.match(key.keyId, /^k-[0-9a-f]{16}$/);
    assert.equal(Buffer.from(key.publicKey, 'base64').length, 32);
    assert.equal(keyIdOf(key.publicKey), key.keyId);
  });
});

describe('verifyManifestSignature', () => {
  it('accepts a signature by a trusted key', () => {
    assert.equal(verifyManifestSignature(bytes, sig, trust, 'g1-aaaaaaaaaaaa').keyId, key.keyId);
  });
  it('refuses a missing or empty signature as unsigned', () => {
    assert.throws(() => verifyManifestSignature(bytes, null, trust, 'g1-x'), { name: 'UnsignedGenerationError', message: /"g1-x"/ });
    assert.throws(() => verifyManifestSignature(bytes, new Uint8Array(), trust), { name: 'UnsignedGenerationError' });
  });
  it('refuses changed bytes, naming generation and key', () => {
    const other = new TextEncoder().encode('{"schema":2}');
    assert.throws(() => verifyManifestSignature(other, sig, trust, 'g7-x'), (e: Error) =>
      e.name === 'SignatureInvalidError' && e.message.includes('"g7-x"') && e.message.includes(key.keyId));
  });
  it('refuses an unknown key as untrusted', () => {
    const stranger = generateSigningKey();
    const s = encodeSignature(signManifest(bytes, stranger.privateKeyPem));
    assert.throws(() => verifyManifestSignature(bytes, s, trust, 'g1-x'), (e: Error) => e.name === 'UntrustedKeyError' && e.message.includes(stranger.keyId));
  });
  it('refuses a signature made by another key under a trusted key id', () => {
    const stranger = generateSigningKey();
    const forged = { ...signManifest(bytes, stranger.privateKeyPem), keyId: key.keyId };
    assert.throws(() => verifyManifestSignature(bytes, encodeSignature(forged), trust), { name: 'SignatureInvalidError' });
  });
  it('throws only the named errors for arbitrary signature bytes', () => {
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v) ?? ''))), (s) => {
      try {
        verifyManifestSignature(bytes, s, trust);
        assert.fail('a random signature verified');
      } catch (e) {
        assert.ok(['UnsignedGenerationError', 'SignatureInvalidError', 'UntrustedKeyError'].includes((e as Error).name), (e as Error).stack);
      }
    }), { numRuns: 1000 });
  });
});

describe('parseTrust', () => {
  it('accepts a valid trust file', () => {
    assert.deepEqual(parseTrust(new TextEncoder().encode(JSON.stringify(trust))), trust);
  });
  it('refuses a key id that is not derived from its key, unknown fields and bad JSON', () => {
    const wrongId = { keys: [{ ...trust.keys[0]!, keyId: 'k-0000000000000000' }] };
    for (const bad of [wrongId, { keys: [{ ...trust.keys[0]!, extra: 1 }] }, { keys: [{ ...trust.keys[0]!, publicKey: 'abc' }] }, {}]) {
      assert.throws(() => parseTrust(new TextEncoder().encode(JSON.stringify(bad))), { name: 'TrustInvalidError' });
    }
    assert.throws(() => parseTrust(new TextEncoder().encode('{')), { name: 'TrustInvalidError' });
  });
});

test('a signature whose base64 differs only in unused low bits is refused (found by the fuzz test)', () => {
  const key = generateSigningKey();
  const bytes = new TextEncoder().encode('{"a":1}');
  const sig = signManifest(bytes, key.privateKeyPem);
  const i = sig.sig.indexOf('=') - 1;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  // 64 bytes end in a character of which only the top 2 of 6 bits carry data: flip the lowest one.
  const alias = sig.sig.slice(0, i) + alphabet[alphabet.indexOf(sig.sig[i]!) ^ 1] + sig.sig.slice(i + 1);
  assert.ok(Buffer.from(alias, 'base64').equals(Buffer.from(sig.sig, 'base64')), 'the alias decodes to the same bytes');
  assert.throws(() => verifyManifestSignature(bytes, encodeSignature({ ...sig, sig: alias }), { keys: [trustEntry(key, 't')] }), { name: 'SignatureInvalidError' });
});
