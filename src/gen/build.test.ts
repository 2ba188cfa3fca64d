import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildManifestBytes, listTree, writeGeneration } from './build.js';
import { createMemoryFileSystem } from './fs-memory.js';
import { createNodeFileSystem } from './fs-node.js';
import { storeLayout } from './layout.js';
import { parseManifest } from './manifest.js';
import { Store } from './store.js';
import { ROOT, specFor, testKey, testOwner, writeTree } from '../testkit/gen/test-store.js';

const files = { 'main.mjs': 'console.log(1)', 'z/last.txt': 'z', 'a/first.txt': 'a', 'bin/x.sh': '#!/bin/sh' };

describe('writeGeneration', () => {
  it('is deterministic: same tree and spec give the same id and manifest bytes', async () => {
    const ids: string[] = [];
    const manifests: string[] = [];
    for (let i = 0; i < 2; i++) {
      const fs = createMemoryFileSystem();
      // write in a different order each time: the manifest must not care
      const entries = Object.entries(files);
      await writeTree(fs, '/src', Object.fromEntries(i ? entries.reverse() : entries));
      const id = await writeGeneration(fs, ROOT, { ...specFor(7), treeDir: '/src' }, testKey(), { owner: testOwner });
      ids.push(id);
      manifests.push(Buffer.from(await fs.readFile(storeLayout(ROOT).manifest(id))).toString('hex'));
    }
    assert.equal(ids[0], ids[1]);
    assert.equal(manifests[0], manifests[1]);
    assert.match(ids[0]!, /^g7-[0-9a-f]{12}$/);
  });
  it('lists files sorted with digests and permission bits', async () => {
    const fs = createMemoryFileSystem();
    await writeTree(fs, '/src', files);
    const list = await listTree(fs, '/src');
    assert.deepEqual(list.map((f) => f.path), ['a/first.txt', 'bin/x.sh', 'main.mjs', 'z/last.txt']);
    assert.equal(list[1]!.mode, 0o755);
    assert.equal(list[0]!.sha256, 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
  });
  it('refuses trees holding symlinks or devices', async () => {
    const fs = createMemoryFileSystem();
    await writeTree(fs, '/src', files);
    await fs.symlink('/etc/passwd', '/src/link');
    await assert.rejects(writeGeneration(fs, ROOT, { ...specFor(1), treeDir: '/src' }, testKey()), { name: 'InvalidOperationError', message: /"link" is a symlink/ });
  });
  it('refuses a spec the boot stage would refuse', () => {
    assert.throws(() => buildManifestBytes({ ...specFor(1), entry: { main: '../x', args: [] } }, []), { name: 'ManifestInvalidError' });
  });
  it('writes a generation on the real file system that verifies and matches the source', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialogos-build-'));
    try {
      const fs = createNodeFileSystem();
      await writeTree(fs, `${dir}/src`, files);
      const id = await writeGeneration(fs, `${dir}/data`, { ...specFor(2), treeDir: `${dir}/src` }, testKey(), { owner: testOwner });
      const store = new Store(fs, `${dir}/data`, { owner: testOwner });
      const m = parseManifest(await fs.readFile(store.layout.manifest(id)));
      assert.equal(m.files.length, 4);
      assert.equal((await fs.stat(`${store.layout.tree(id)}/bin/x.sh`)).mode, 0o755);
      assert.equal((await store.readState()).state.generations[id]?.status, 'staged');
      assert.deepEqual(await fs.readdir(store.layout.staging), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
