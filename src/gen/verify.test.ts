import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile, symlink, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryFileSystem } from './fs-memory.js';
import { createNodeFileSystem } from './fs-node.js';
import { generateSigningKey, trustEntry } from './keys.js';
import { storeLayout } from './layout.js';
import { encodeSignature, signManifest } from './signature.js';
import { isGenError } from './errors.js';
import { makeStore, ROOT, specFor, testOwner, writeTree } from '../testkit/gen/test-store.js';
import { writeGeneration } from './build.js';
import { createVerifier, verifyGeneration, walkTree } from './verify.js';

const L = storeLayout(ROOT);

describe('verifyGeneration', () => {
  it('accepts an intact generation and returns its manifest and tree', async () => {
    const t = await makeStore();
    const id = await t.add(5);
    const v = await verifyGeneration(t.fs, ROOT, id, t.trust);
    assert.equal(v.manifest.version, 5);
    assert.equal(v.treeDir, `${ROOT}/store/gens/${id}/tree`);
  });
  it('refuses each kind of damage with a message naming the file and the mismatch', async () => {
    const damage: [string, (fs: ReturnType<typeof createMemoryFileSystem>, id: string) => Promise<void>, string, RegExp][] = [
      ['changed content', (fs, id) => fs.writeFile(`${L.tree(id)}/main.mjs`, 'console.log(6)'), 'GenerationCorruptError', /"main.mjs" has sha256/],
      ['changed size', (fs, id) => fs.writeFile(`${L.tree(id)}/main.mjs`, 'x'), 'GenerationCorruptError', /"main.mjs" has size 1/],
      ['extra file', (fs, id) => fs.writeFile(`${L.tree(id)}/evil`, 'x'), 'GenerationCorruptError', /"evil" is not in the manifest/],
      ['extra dir', (fs, id) => fs.mkdir(`${L.tree(id)}/lib/x`), 'GenerationCorruptError', /"lib\/x" is not in the manifest/],
      ['missing file', (fs, id) => fs.rm(`${L.tree(id)}/lib/util.mjs`), 'GenerationCorruptError', /"lib\/util.mjs" is missing/],
      ['symlink', async (fs, id) => { await fs.rm(`${L.tree(id)}/main.mjs`); await fs.symlink('/etc/passwd', `${L.tree(id)}/main.mjs`); }, 'GenerationCorruptError', /"main.mjs" is a symlink/],
      ['symlinked dir', async (fs, id) => { await fs.rm(`${L.tree(id)}/lib`); await fs.symlink('/', `${L.tree(id)}/lib`); }, 'GenerationCorruptError', /"lib"/],
      ['device', async (fs, id) => { await fs.rm(`${L.tree(id)}/main.mjs`); await fs.mknod(`${L.tree(id)}/main.mjs`); }, 'GenerationCorruptError', /"main.mjs" is a other/],
      ['setuid', (fs, id) => fs.chmod(`${L.tree(id)}/bin/run.sh`, 0o4755), 'GenerationCorruptError', /"bin\/run.sh" has mode 4755/],
      ['no tree', (fs, id) => fs.rm(L.tree(id)), 'GenerationCorruptError', /"tree" is missing/],
      ['no signature', (fs, id) => fs.rm(L.signature(id)), 'UnsignedGenerationError', /not|missing/],
      ['garbage signature', (fs, id) => fs.writeFile(L.signature(id), '{"alg":"rsa"}'), 'SignatureInvalidError', /malformed/],
      ['edited manifest', async (fs, id) => {
        const b = await fs.readFile(L.manifest(id)); b[10] = b[10]! ^ 1; await fs.writeFile(L.manifest(id), b);
      }, 'GenerationCorruptError', /does not match the id/],
      ['no manifest', (fs, id) => fs.rm(L.manifest(id)), 'GenerationMissingError', /not in the store/],
      ['no directory', (fs, id) => fs.rm(L.genDir(id)), 'GenerationMissingError', /not in the store/],
    ];
    for (const [what, hurt, name, message] of damage) {
      const t = await makeStore();
      const id = await t.add(5);
      await hurt(t.fs, id);
      await assert.rejects(verifyGeneration(t.fs, ROOT, id, t.trust), (e: Error) => {
        assert.equal(e.name, name, `${what}: ${e.message}`);
        assert.match(e.message, message, what);
        assert.match(e.message, new RegExp(id), what);
        return true;
      });
    }
  });
  it('createVerifier reports failures as values and remembers what passed', async () => {
    const t = await makeStore();
    const a = await t.add(5);
    const b = await t.add(6);
    await t.fs.writeFile(`${L.tree(b)}/main.mjs`, 'evil');
    const v = createVerifier(t.fs, ROOT, t.trust);
    assert.equal(await v.verify(a), null);
    assert.equal((await v.verify(b))?.name, 'GenerationCorruptError');
    assert.equal((await v.verify('nonsense'))?.name, 'GenerationIdInvalidError');
    assert.deepEqual([...v.verified.keys()], [a]);
    assert.equal(v.verified.get(a)?.manifest.version, 5);
  });
  it('refuses a manifest swapped in from another generation', async () => {
    const t = await makeStore();
    const a = await t.add(5);
    const b = await t.add(6);
    await t.fs.writeFile(L.manifest(a), await t.fs.readFile(L.manifest(b)));
    await t.fs.writeFile(L.signature(a), await t.fs.readFile(L.signature(b)));
    await assert.rejects(verifyGeneration(t.fs, ROOT, a, t.trust), { name: 'GenerationCorruptError', message: /does not match the id/ });
  });
  it('refuses a generation signed by a key outside the trust configuration', async () => {
    const t = await makeStore();
    const id = await t.add(5);
    const other = generateSigningKey();
    await assert.rejects(verifyGeneration(t.fs, ROOT, id, { keys: [trustEntry(other, 'other')] }), { name: 'UntrustedKeyError' });
    // re-signed by the stranger: still untrusted, not accepted
    await t.fs.writeFile(L.signature(id), encodeSignature(signManifest(await t.fs.readFile(L.manifest(id)), other.privateKeyPem)));
    await assert.rejects(verifyGeneration(t.fs, ROOT, id, t.trust), { name: 'UntrustedKeyError' });
  });
  it('throws only named errors whatever bytes a hostile disk holds', async () => {
    const t = await makeStore();
    const id = await t.add(5);
    const files = [...(await walkTree(t.fs, L.genDir(id)))].filter(([, s]) => s.kind === 'file').map(([p]) => `${L.genDir(id)}/${p}`);
    await fc.assert(fc.asyncProperty(fc.constantFrom(...files), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), async (path, pos, flip, truncate) => {
      const orig = await t.fs.readFile(path);
      const b = truncate ? orig.slice(0, pos % (orig.length + 1)) : new Uint8Array(orig);
      if (!truncate && b.length > 0) b[pos % b.length] = b[pos % b.length]! ^ flip;
      await t.fs.writeFile(path, b);
      try {
        await verifyGeneration(t.fs, ROOT, id, t.trust);
        assert.deepEqual(b, orig, 'damaged generation verified');
      } catch (e) {
        assert.ok(isGenError(e), (e as Error).stack);
      } finally {
        await t.fs.writeFile(path, orig);
      }
    }), { numRuns: 300 });
    await verifyGeneration(t.fs, ROOT, id, t.trust);
  });
  it('verifies on the real file system and refuses a symlink there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialogos-verify-'));
    try {
      const fs = createNodeFileSystem();
      const key = generateSigningKey();
      await writeTree(fs, `${dir}/src`, { 'main.mjs': 'x', 'a/b.txt': 'y'.repeat(3_000_000) });
      const id = await writeGeneration(fs, `${dir}/data`, { ...specFor(1), treeDir: `${dir}/src` }, key, { owner: testOwner });
      const trust = { keys: [trustEntry(key, 'k')] };
      await verifyGeneration(fs, `${dir}/data`, id, trust);
      const tree = storeLayout(`${dir}/data`).tree(id);
      await unlink(`${tree}/main.mjs`);
      await writeFile(`${dir}/outside`, 'x');
      await symlink(`${dir}/outside`, `${tree}/main.mjs`);
      await assert.rejects(verifyGeneration(fs, `${dir}/data`, id, trust), { name: 'GenerationCorruptError', message: /symlink/ });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
