// Fixtures shared by the store's tests: a memory store with a trusted key and generations built
// from small trees.
import { createMemoryFileSystem, type MemoryFileSystem } from '../../gen/fs-memory.js';
import type { FileSystem } from '../../gen/fs.js';
import { generateSigningKey, trustEntry, type SigningKey, type TrustConfig } from '../../gen/keys.js';
import { buildManifestBytes, writeGeneration, type GenerationSpec } from '../../gen/build.js';
import { Store } from '../../gen/store.js';
import type { LockOwner } from '../../gen/lock.js';

export const ROOT = '/data/dialogos';

let cachedKey: SigningKey | null = null;
/** One signing key per test process (keygen is cheap, but stable ids help debugging). */
export function testKey(): SigningKey {
  cachedKey ??= generateSigningKey();
  return cachedKey;
}

export function testTrust(key = testKey()): TrustConfig {
  return { keys: [trustEntry(key, 'test')] };
}

/** A lock owner whose other pids are all dead, so crashed test stores never stay locked. */
export const testOwner: LockOwner = { pid: 4242, bootId: 'test-boot', isAlive: () => false };

export function specFor(version: number, extra: Partial<GenerationSpec> = {}): Omit<GenerationSpec, 'treeDir'> {
  return {
    version,
    parent: null,
    rollbackFloor: 0,
    created: '2026-01-01T00:00:00Z',
    provenance: { builder: 'test', sourceDigest: `src-${version}`, toolchain: { node: '20' }, command: 'test' },
    entry: { main: 'main.mjs', args: [] },
    kernel: null,
    health: { windowSeconds: 60, checks: [] },
    ...extra,
  };
}

export async function writeTree(fs: FileSystem, dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = `${dir}/${path}`;
    await fs.mkdir(full.slice(0, full.lastIndexOf('/')));
    await fs.writeFile(full, content, { mode: path.endsWith('.sh') ? 0o755 : 0o644 });
  }
}

export interface TestStore {
  fs: MemoryFileSystem;
  store: Store;
  key: SigningKey;
  trust: TrustConfig;
  /** Builds and adds a generation; returns its id. */
  add(version: number, extra?: Partial<GenerationSpec>, files?: Record<string, string>): Promise<string>;
}

let clock = 0;
export const testNow = (): string => new Date(Date.UTC(2026, 0, 1) + ++clock * 1000).toISOString();

export async function makeStore(fs: MemoryFileSystem = createMemoryFileSystem()): Promise<TestStore> {
  const key = testKey();
  const trust = testTrust(key);
  await fs.mkdir(`${ROOT}/keys`);
  await fs.writeFile(`${ROOT}/keys/trust.json`, JSON.stringify(trust));
  const store = new Store(fs, ROOT, { owner: testOwner, now: testNow });
  const add = async (version: number, extra: Partial<GenerationSpec> = {}, files?: Record<string, string>): Promise<string> => {
    const src = `/src/v${version}-${clock++}`;
    await writeTree(fs, src, files ?? { 'main.mjs': `console.log(${version})`, 'lib/util.mjs': 'export {}', 'bin/run.sh': '#!/bin/sh' });
    return writeGeneration(fs, ROOT, { ...specFor(version, extra), treeDir: src }, key, { owner: testOwner, now: testNow });
  };
  return { fs, store, key, trust, add };
}

export { buildManifestBytes };
