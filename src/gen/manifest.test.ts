import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalBytes } from './canonical.js';
import { parseManifest, isSafeRelativePath, MANIFEST_MAX_BYTES } from './manifest.js';
import { generationId, parseGenerationId, isGenerationId } from './id.js';
import { specFor } from '../testkit/gen/test-store.js';
import type { Manifest } from './types.js';

const hex64 = 'a'.repeat(64);
const valid = (): Manifest => ({
  schema: 1,
  ...specFor(3),
  files: [
    { path: 'bin/run.sh', sha256: hex64, size: 9, mode: 0o755 },
    { path: 'main.mjs', sha256: hex64, size: 0, mode: 0o644 },
  ],
});
const bytesOf = (m: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(m));
const refuses = (m: unknown, field: RegExp): void => {
  assert.throws(() => parseManifest(bytesOf(m)), (e: Error & { field?: string }) => e.name === 'ManifestInvalidError' && field.test(e.field ?? ''));
};

describe('parseManifest', () => {
  it('accepts a valid manifest and returns it unchanged', () => {
    assert.deepEqual(parseManifest(canonicalBytes(valid())), valid());
  });
  it('refuses unsafe paths with the field named', () => {
    for (const path of ['../x', '/etc/passwd', 'a//b', 'a/./b', 'a/', '', 'a\\b', 'a\0b', 'x/../../y', '.']) {
      const m = valid();
      m.files[0]!.path = path;
      refuses(m, /^files\[0\]\.path$/);
    }
    const m = valid();
    m.entry.main = '../../bin/sh';
    refuses(m, /^entry\.main$/);
  });
  it('refuses unsorted or duplicate file lists', () => {
    const m = valid();
    m.files.reverse();
    refuses(m, /^files\[1\]\.path$/);
    const d = valid();
    d.files[1]!.path = d.files[0]!.path;
    refuses(d, /^files\[1\]\.path$/);
  });
  it('refuses bad digests, modes, sizes, unknown keys and wrong schema', () => {
    const cases: [(m: Manifest) => void, RegExp][] = [
      [(m) => (m.files[0]!.sha256 = 'A'.repeat(64)), /sha256/],
      [(m) => (m.files[0]!.sha256 = 'a'.repeat(63)), /sha256/],
      [(m) => (m.files[0]!.mode = 0o4755), /mode/],
      [(m) => (m.files[0]!.size = -1), /size/],
      [(m) => (m.files[0]!.size = 2 ** 60), /size/],
      [(m) => (m.files[0]!.size = 1.5), /size/],
      [(m) => ((m as unknown as Record<string, unknown>).extra = 1), /^\(root\)$/],
      [(m) => ((m.files[0] as unknown as Record<string, unknown>).owner = 0), /^files\[0\]$/],
      [(m) => ((m as unknown as Record<string, unknown>).schema = 2), /^schema$/],
      [(m) => (m.parent = 'not-an-id'), /^parent$/],
    ];
    for (const [mutate, field] of cases) {
      const m = valid();
      mutate(m);
      refuses(m, field);
    }
  });
  it('refuses oversized input before parsing it', () => {
    assert.throws(() => parseManifest(new Uint8Array(MANIFEST_MAX_BYTES + 1)), { name: 'ManifestInvalidError' });
  });
  it('throws only ManifestInvalidError on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (b) => {
      try {
        parseManifest(b);
      } catch (e) {
        assert.equal((e as Error).name, 'ManifestInvalidError');
      }
    }), { numRuns: 2000 });
  });
  it('throws only ManifestInvalidError on mutated valid manifests', () => {
    const pathsOf = (v: unknown, at: (string | number)[] = []): (string | number)[][] => {
      if (v === null || typeof v !== 'object') return [at];
      return [at, ...Object.entries(v).flatMap(([k, x]) => pathsOf(x, [...at, Array.isArray(v) ? Number(k) : k]))];
    };
    const all = pathsOf(valid()).filter((p) => p.length > 0);
    fc.assert(fc.property(fc.constantFrom(...all), fc.oneof(fc.jsonValue(), fc.constant(undefined)), (path, value) => {
      const m = structuredClone(valid()) as unknown as Record<string | number, unknown>;
      let o = m;
      for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
      if (value === undefined) delete o[path[path.length - 1]!];
      else o[path[path.length - 1]!] = value;
      try {
        const parsed = parseManifest(bytesOf(m));
        assert.deepEqual(parseManifest(canonicalBytes(parsed)), parsed);
      } catch (e) {
        assert.equal((e as Error).name, 'ManifestInvalidError', (e as Error).stack);
      }
    }), { numRuns: 3000 });
  });
  it('round-trips generated valid manifests through canonical bytes', () => {
    const seg = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
    const file = fc.record({
      path: fc.array(seg, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')),
      sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
      size: fc.nat(),
      mode: fc.integer({ min: 0, max: 0o777 }),
    });
    fc.assert(fc.property(fc.uniqueArray(file, { selector: (f) => f.path, maxLength: 8 }), fc.nat(), (files, version) => {
      files = files.map((f) => ({ ...f })).sort((a, b) => (a.path < b.path ? -1 : 1));
      const m: Manifest = { ...valid(), version, files };
      const bytes = canonicalBytes(m);
      assert.deepEqual(parseManifest(bytes), m);
      assert.deepEqual(canonicalBytes(parseManifest(bytes)), bytes);
    }));
  });
});

describe('isSafeRelativePath', () => {
  it('never accepts a path that escapes the tree', () => {
    fc.assert(fc.property(fc.string(), (p) => {
      if (isSafeRelativePath(p)) {
        assert.ok(!p.startsWith('/') && !p.split('/').includes('..'));
      }
    }));
  });
});

describe('generation ids', () => {
  it('are g<version>-<12 hex of sha256> and parse back', () => {
    const id = generationId(new TextEncoder().encode('x'), 42);
    assert.match(id, /^g42-[0-9a-f]{12}$/);
    assert.equal(id, 'g42-2d711642b726');
    assert.deepEqual(parseGenerationId(id), { version: 42, digest: '2d711642b726' });
  });
  it('refuses anything else with GenerationIdInvalidError', () => {
    for (const bad of ['g42', 'g42-2D711642B726', 'g-1-2d711642b726', 'g01-2d711642b726', '../g1-2d711642b726', 'g99999999999999999-2d711642b726']) {
      assert.throws(() => parseGenerationId(bad), { name: 'GenerationIdInvalidError' });
      assert.equal(isGenerationId(bad), false);
    }
    fc.assert(fc.property(fc.string(), (s) => {
      try {
        parseGenerationId(s);
      } catch (e) {
        assert.equal((e as Error).name, 'GenerationIdInvalidError');
      }
    }));
  });
});
