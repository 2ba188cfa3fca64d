import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSystemCompliance } from '../testkit/gen/fs-compliance.js';
import { createNodeFileSystem } from './fs-node.js';
import { createMemoryFileSystem } from './fs-memory.js';
import { withCrashAt } from './fs-crash.js';

fileSystemCompliance('node', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dialogos-fs-'));
  return { fs: createNodeFileSystem(), root, cleanup: () => rm(root, { recursive: true, force: true }) };
});
fileSystemCompliance('memory', async () => ({ fs: createMemoryFileSystem(), root: '/work', cleanup: async () => {} }));

describe('withCrashAt', () => {
  it('lets k-1 write steps through, fails step k and everything after', async () => {
    const mem = createMemoryFileSystem();
    const fs = withCrashAt(mem, 3);
    await fs.mkdir('/a');
    await fs.writeFile('/a/x', '1');
    assert.equal(new TextDecoder().decode(await fs.readFile('/a/x')), '1');
    await assert.rejects(fs.rename('/a/x', '/a/y'), { name: 'SimulatedCrashError' });
    await assert.rejects(fs.readFile('/a/x'), { name: 'SimulatedCrashError' });
    assert.equal(fs.crashed, true);
    assert.equal(await mem.exists('/a/x'), true);
    assert.equal(await mem.exists('/a/y'), false);
  });
  it('tears the write cut by the crash, and with loseUnsynced empties files not yet synced', async () => {
    const mem = createMemoryFileSystem();
    const fs = withCrashAt(mem, 4, { loseUnsynced: true });
    await fs.writeFile('/synced', 'aaaa');
    await fs.fsyncFile('/synced');
    await fs.writeFile('/unsynced', 'bbbb');
    await assert.rejects(fs.writeFile('/torn', 'cccc'), { name: 'SimulatedCrashError' });
    const text = async (p: string) => new TextDecoder().decode(await mem.readFile(p));
    assert.deepEqual([await text('/synced'), await text('/unsynced'), await text('/torn')], ['aaaa', '', '']);
    const torn = withCrashAt(createMemoryFileSystem(), 1);
    await assert.rejects(torn.writeFile('/t', 'cccc'), { name: 'SimulatedCrashError' });
  });
  it('counts steps without crashing when k is Infinity', async () => {
    const fs = withCrashAt(createMemoryFileSystem(), Infinity);
    await fs.mkdir('/a');
    await fs.fsyncDir('/a');
    assert.equal(fs.steps, 2);
    assert.equal(fs.crashed, false);
  });
});
