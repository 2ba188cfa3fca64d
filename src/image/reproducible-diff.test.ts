// The comparison helper of reproducible.vmlong.test.ts on small disks made here in seconds: a real GPT,
// a FAT ESP and an ext4 data partition holding a store with one generation and its manifest.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Manifest } from '../gen/types.js';
import { makeExt4 } from './data-partition.js';
import { copyInto, createDisk, layoutFor, MiB } from './disk.js';
import { execTool } from './exec.js';
import { compareImages, differingRegions, regionsOf } from '../testkit/image/reproducible-diff.js';
import { manifestDifferences } from '../testkit/image/reproducible-files.js';
import { normalizeMtimes } from './walk.js';

const GEN = 'g1-0123456789ab';
const EPOCH = 1704067200;
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const manifest = (files: Record<string, string>): Manifest => ({
  schema: 1, version: 1, parent: null, rollbackFloor: 0, created: '2024-01-01T00:00:00.000Z',
  provenance: { builder: 'test', sourceDigest: 'x', toolchain: {}, command: 'test' } as unknown as Manifest['provenance'],
  entry: { command: 'node', args: [] } as unknown as Manifest['entry'], kernel: null, health: { windowSeconds: 1, checks: [] },
  files: Object.entries(files).map(([path, text]) => ({ path, sha256: sha(text), size: text.length, mode: 0o644 })),
});

/** A 12 MiB disk: ESP (FAT, 2 MiB) with `esp` files, data (ext4, 8 MiB) with a store holding `tree`. */
async function disk(dir: string, name: string, esp: Record<string, string>, tree: Record<string, string>): Promise<string> {
  const layout = layoutFor(2 * MiB, 8 * MiB);
  const out = join(dir, `${name}.img`);
  await createDisk(layout, 'seed', out);
  const fat = join(dir, `${name}.vfat`);
  await execTool('mkfs.vfat', ['-C', '--invariant', '-i', '12345678', fat, '2048']);
  for (const [path, text] of Object.entries(esp)) {
    writeFileSync(join(dir, 'f'), text);
    utimesSync(join(dir, 'f'), EPOCH, EPOCH);
    await execTool('mcopy', ['-m', '-i', fat, join(dir, 'f'), `::${path}`]);
  }
  await copyInto(fat, out, layout.espOffset);
  const staging = join(dir, `${name}-data`);
  const gen = join(staging, 'dialogos', 'store', 'gens', GEN);
  mkdirSync(join(gen, 'tree'), { recursive: true });
  for (const [path, text] of Object.entries(tree)) writeFileSync(join(gen, 'tree', path), text);
  writeFileSync(join(gen, 'manifest.json'), JSON.stringify(manifest(tree)));
  writeFileSync(join(staging, 'dialogos', 'boot.json'), '{}\n');
  normalizeMtimes(staging, EPOCH);
  await makeExt4(staging, { file: out, offset: layout.dataOffset }, layout.dataSize, 'seed', EPOCH);
  return out;
}

describe('comparing two disk images', () => {
  const dir = mkdtempSync(join(tmpdir(), 'image-diff-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts a disk into its GPT, partitions, gaps and backup GPT', () => {
    const parts = [
      { index: 2, name: 'dialogos-data', typeGuid: 'x', offset: 3 * MiB, size: 8 * MiB },
      { index: 1, name: 'ESP', typeGuid: 'y', offset: MiB, size: MiB },
    ];
    assert.deepEqual(regionsOf(parts, 12 * MiB).map((r) => [r.name, r.start / MiB, r.end / MiB]), [
      ['protective MBR and primary GPT', 0, 1], ['partition 1 "ESP"', 1, 2], ['gap before dialogos-data', 2, 3],
      ['partition 2 "dialogos-data"', 3, 11], ['backup GPT', 11, 12],
    ]);
  });

  it('finds the first differing byte and counts the differing 4 KiB blocks of each region', () => {
    const a = Buffer.alloc(3 * MiB);
    const b = Buffer.from(a);
    b[MiB + 5] = 1;
    b[MiB + 4096 * 3] = 1;
    b[MiB + 4096 * 3 + 7] = 2;
    writeFileSync(join(dir, 'a.bin'), a);
    writeFileSync(join(dir, 'b.bin'), b);
    const regions = [{ name: 'one', start: 0, end: MiB }, { name: 'two', start: MiB, end: 3 * MiB }];
    assert.deepEqual(differingRegions(join(dir, 'a.bin'), join(dir, 'b.bin'), regions), [{ region: 'two', firstOffset: MiB + 5, blocks: 2 }]);
  });

  it('names the tree files two manifests disagree on', () => {
    const a = manifest({ 'a.txt': 'one', 'b.txt': 'two' });
    const b = { ...manifest({ 'a.txt': 'one', 'b.txt': 'TWO', 'c.txt': 'new' }), version: 2 };
    assert.deepEqual(manifestDifferences(a, b).map((l) => l.replace(/: [0-9a-f]{64}.*$/, '')), [
      'manifest field "version": 1 vs 2', 'tree file "b.txt"', 'tree file "c.txt" only in the second image',
    ]);
  });

  it('says nothing for identical disks and names the partition and the files otherwise', async () => {
    const a = await disk(dir, 'a', { '/x.txt': 'loader' }, { 'a.txt': 'one', 'b.txt': 'two' });
    const same = await disk(dir, 'same', { '/x.txt': 'loader' }, { 'a.txt': 'one', 'b.txt': 'two' });
    assert.deepEqual(await compareImages(a, same), []);
    const other = await disk(dir, 'other', { '/x.txt': 'LOADER' }, { 'a.txt': 'one', 'b.txt': 'TWO' });
    const lines = await compareImages(a, other);
    const text = lines.join('\n');
    assert.match(text, /^partition 1 "ESP": \d+ 4 KiB blocks differ/m);
    assert.match(text, /^ {2}file "\/x\.txt" differs \(6 vs 6 bytes\)$/m);
    assert.match(text, /^partition 2 "dialogos-data": \d+ 4 KiB blocks differ/m);
    assert.match(text, new RegExp(`^  generation ${GEN}: tree file "b\\.txt": `, 'm'));
    assert.match(text, new RegExp(`^  file "/dialogos/store/gens/${GEN}/manifest\\.json" differs`, 'm'));
    assert.doesNotMatch(text, /a\.txt|boot\.json|GPT/);
  });
});
