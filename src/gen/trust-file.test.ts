// Property tests of the trust configuration's parser (keys/trust.json crosses a trust boundary: it decides
// which generations boot): any bytes or JSON are refused with TrustInvalidError or parse to a consistent
// configuration; valid files round-trip; a mutated valid file is refused, or means the same trusted keys.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TrustInvalidError } from './errors.js';
import { createMemoryFileSystem } from './fs-memory.js';
import { keyIdOf, parseTrust, type TrustConfig } from './keys.js';
import { storeLayout } from './layout.js';
import { loadTrust } from './trust-file.js';

const encode = (v: unknown, indent?: number): Uint8Array => new TextEncoder().encode(JSON.stringify(v, null, indent));

/** What a trust file decides: which keys are trusted (id and raw key bytes); names only label them. */
const trusted = (c: TrustConfig): string[] => c.keys.map((k) => `${k.keyId}:${Buffer.from(k.publicKey, 'base64').toString('hex')}`).sort();

/** Parses, and checks that whatever is accepted is consistent; returns null for a refusal by the named error. */
function parseOrRefuse(bytes: Uint8Array): TrustConfig | null {
  let c: TrustConfig;
  try {
    c = parseTrust(bytes);
  } catch (e) {
    assert.ok(e instanceof TrustInvalidError, `not TrustInvalidError: ${(e as Error).stack}`);
    assert.match(e.message, /^Trust configuration refused: /);
    return null;
  }
  for (const k of c.keys) assert.equal(k.keyId, keyIdOf(k.publicKey), 'an accepted key id is derived from its key');
  assert.deepEqual(parseTrust(encode(c)), c, 'an accepted configuration reads back the same');
  return c;
}

const publicKey = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64'));
const entry = fc.record({ publicKey, name: fc.string({ unit: 'binary', maxLength: 40 }) }).map((e) => ({ keyId: keyIdOf(e.publicKey), name: e.name, publicKey: e.publicKey }));
const validTrust = fc.record({ keys: fc.array(entry, { maxLength: 4 }) }, { noNullPrototype: true });

/** Up to three byte edits: overwrite, delete or insert. */
const edit = fc.record({ at: fc.nat(), op: fc.constantFrom('set', 'delete', 'insert'), byte: fc.integer({ min: 0, max: 255 }) });
function mutate(bytes: Uint8Array, edits: { at: number; op: string; byte: number }[]): Uint8Array {
  let b = [...bytes];
  for (const { at, op, byte } of edits) {
    const i = b.length ? at % b.length : 0;
    if (op === 'set' && b.length) b[i] = byte;
    else if (op === 'delete') b.splice(i, 1);
    else b.splice(i, 0, byte);
  }
  return Uint8Array.from(b);
}

describe('trust file parser (property tests)', () => {
  it('arbitrary bytes are refused with TrustInvalidError, never another error', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (b) => { parseOrRefuse(b); }), { numRuns: 1000 });
  });

  it('arbitrary JSON, and trust-shaped JSON with wrong fields, is refused by name or accepted consistently', () => {
    const wild = fc.oneof(fc.jsonValue(), fc.string(), fc.constant(null));
    const almost = fc.record({
      keys: fc.array(fc.record({
        keyId: fc.oneof(fc.string(), fc.constant('k-0123456789abcdef')), name: wild, publicKey: fc.oneof(publicKey, fc.string()), extra: wild,
      }, { requiredKeys: [] }), { maxLength: 3 }),
      other: wild,
    }, { requiredKeys: ['keys'] });
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), almost, validTrust), (v) => { parseOrRefuse(encode(v)); }), { numRuns: 1000 });
  });

  it('a valid file round-trips, however it is laid out', () => {
    fc.assert(fc.property(validTrust, fc.constantFrom(undefined, 0, 2), (c, indent) => {
      assert.deepEqual(parseTrust(encode(c, indent)), c);
    }), { numRuns: 300 });
  });

  it('a mutated valid file is refused with TrustInvalidError, or trusts exactly the same keys', () => {
    fc.assert(fc.property(validTrust.filter((c) => c.keys.length > 0), fc.array(edit, { minLength: 1, maxLength: 3 }), (c, edits) => {
      const got = parseOrRefuse(mutate(encode(c, 1), edits));
      if (got) assert.deepEqual(trusted(got), trusted(c), 'an accepted mutation trusts the same keys');
    }), { numRuns: 1000 });
  });
});

describe('loadTrust', () => {
  const root = '/data/dialogos';
  const path = storeLayout(root).trust;

  it('reads back any valid file from the store, and refuses any other bytes by name', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(validTrust.map((c) => encode(c)), fc.uint8Array({ maxLength: 256 })), async (bytes) => {
      const fs = createMemoryFileSystem();
      await fs.mkdir(storeLayout(root).trust.replace(/\/[^/]+$/, ''));
      await fs.writeFile(path, bytes);
      let expected: TrustConfig | Error;
      try { expected = parseTrust(bytes); } catch (e) { expected = e as Error; }
      if (expected instanceof Error) await assert.rejects(loadTrust(fs, root), { name: 'TrustInvalidError', message: expected.message });
      else assert.deepEqual(await loadTrust(fs, root), expected);
    }), { numRuns: 200 });
  });

  it('an absent file trusts no key; an unreadable one is refused by name', async () => {
    const fs = createMemoryFileSystem();
    assert.deepEqual(await loadTrust(fs, root), { keys: [] });
    await fs.mkdir(path);
    await assert.rejects(loadTrust(fs, root), (e: Error) => e instanceof TrustInvalidError && e.message.startsWith(`Cannot read trust configuration "${path}": `));
  });
});
