// The shared behaviour every FileSystem implementation must show; run against the real file system
// (in a tmp dir) and the in-memory one, so the memory model used by the crash tests stays honest.
// Not exported from index.ts: it pulls in node:test, which the boot stage must not load.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { FileSystem } from '../../gen/fs.js';
import { hashFile } from '../../gen/verify.js';

export interface ComplianceFixture {
  fs: FileSystem;
  /** An empty directory to work in. */
  root: string;
  cleanup(): Promise<void>;
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const codeOf = (err: unknown): unknown => (err as { code?: unknown }).code;

/** Registers the compliance suite for one implementation. */
export function fileSystemCompliance(name: string, setup: () => Promise<ComplianceFixture>): void {
  describe(`FileSystem compliance: ${name}`, async () => {
    const fx = await setup();
    const { fs } = fx;
    let n = 0;
    const dir = async (): Promise<string> => {
      const d = `${fx.root}/t${n++}`;
      await fs.mkdir(d);
      return d;
    };
    after(() => fx.cleanup());

    it('writes, truncates, appends and reads', async () => {
      const d = await dir();
      await fs.writeFile(`${d}/a`, 'hello world');
      await fs.writeFile(`${d}/a`, 'bye');
      await fs.appendFile(`${d}/a`, new Uint8Array([33]));
      assert.equal(text(await fs.readFile(`${d}/a`)), 'bye!');
      await fs.appendFile(`${d}/new`, 'x');
      assert.equal(text(await fs.readFile(`${d}/new`)), 'x');
    });
    it('reads in chunks', async () => {
      const d = await dir();
      await fs.writeFile(`${d}/big`, new Uint8Array(10_000).fill(7));
      const sizes: number[] = [];
      for await (const c of fs.readChunks(`${d}/big`, 4096)) sizes.push(c.length);
      assert.deepEqual(sizes, [4096, 4096, 1808]);
    });
    it('hashes a file in one call where offered, agreeing with its chunks; a missing file is ENOENT', async () => {
      const d = await dir();
      const data = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => i % 251);
      await fs.writeFile(`${d}/h`, data);
      const want = { sha256: createHash('sha256').update(data).digest('hex'), size: data.length };
      assert.deepEqual(await hashFile(fs, `${d}/h`), want);
      if (fs.sha256) {
        assert.deepEqual(await fs.sha256(`${d}/h`), want);
        await assert.rejects(fs.sha256(`${d}/nope`), (e) => codeOf(e) === 'ENOENT');
      }
    });
    it('refuses an exclusive create of an existing file with EEXIST', async () => {
      const d = await dir();
      await fs.writeFile(`${d}/lock`, '1', { exclusive: true });
      await assert.rejects(fs.writeFile(`${d}/lock`, '2', { exclusive: true }), (e) => codeOf(e) === 'EEXIST');
      assert.equal(text(await fs.readFile(`${d}/lock`)), '1');
    });
    it('reports missing files with ENOENT', async () => {
      const d = await dir();
      await assert.rejects(fs.readFile(`${d}/nope`), (e) => codeOf(e) === 'ENOENT');
      await assert.rejects(fs.stat(`${d}/nope`), (e) => codeOf(e) === 'ENOENT');
      await assert.rejects(fs.readdir(`${d}/nope`), (e) => codeOf(e) === 'ENOENT');
      await assert.rejects(fs.writeFile(`${d}/no/such`, 'x'), (e) => codeOf(e) === 'ENOENT');
      assert.equal(await fs.exists(`${d}/nope`), false);
    });
    it('makes directories like mkdir -p and lists them sorted', async () => {
      const d = await dir();
      await fs.mkdir(`${d}/x/y/z`);
      await fs.mkdir(`${d}/x/y`);
      await fs.writeFile(`${d}/x/b`, '');
      await fs.writeFile(`${d}/x/a`, '');
      assert.deepEqual(await fs.readdir(`${d}/x`), ['a', 'b', 'y']);
      assert.equal((await fs.stat(`${d}/x/y`)).kind, 'dir');
    });
    it('renames files over files and directories into place', async () => {
      const d = await dir();
      await fs.writeFile(`${d}/tmp`, 'new');
      await fs.writeFile(`${d}/cur`, 'old');
      await fs.rename(`${d}/tmp`, `${d}/cur`);
      assert.equal(text(await fs.readFile(`${d}/cur`)), 'new');
      assert.equal(await fs.exists(`${d}/tmp`), false);
      await fs.mkdir(`${d}/s/tree`);
      await fs.writeFile(`${d}/s/tree/f`, 'f');
      await fs.mkdir(`${d}/gens`);
      await fs.rename(`${d}/s`, `${d}/gens/g1`);
      assert.equal(text(await fs.readFile(`${d}/gens/g1/tree/f`)), 'f');
      assert.equal(await fs.exists(`${d}/s`), false);
    });
    it('syncs files and directories', async () => {
      const d = await dir();
      await fs.writeFile(`${d}/f`, 'x', { mode: 0o444 });
      await fs.fsyncFile(`${d}/f`);
      await fs.fsyncDir(d);
      await assert.rejects(fs.fsyncFile(`${d}/missing`), (e) => codeOf(e) === 'ENOENT');
    });
    it('keeps modes and sizes, and chmod changes them', async () => {
      const d = await dir();
      await fs.writeFile(`${d}/f`, 'abc', { mode: 0o600 });
      await fs.chmod(`${d}/f`, 0o755);
      assert.deepEqual(await fs.stat(`${d}/f`), { kind: 'file', size: 3, mode: 0o755 });
    });
    it('tells symlinks apart with lstat and follows them with stat', async () => {
      const d = await dir();
      await fs.writeFile(`${d}/target`, 'abcd');
      await fs.symlink('target', `${d}/link`);
      assert.equal((await fs.lstat(`${d}/link`)).kind, 'symlink');
      assert.equal((await fs.stat(`${d}/link`)).kind, 'file');
      assert.equal((await fs.stat(`${d}/link`)).size, 4);
    });
    it('removes trees recursively and ignores missing paths', async () => {
      const d = await dir();
      await fs.mkdir(`${d}/a/b`);
      await fs.writeFile(`${d}/a/b/c`, 'x');
      await fs.rm(`${d}/a`);
      await fs.rm(`${d}/a`);
      assert.deepEqual(await fs.readdir(d), []);
    });
  });
}
