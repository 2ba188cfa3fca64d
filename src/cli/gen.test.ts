import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeFileSystem, generateSigningKey, trustEntry, writeGeneration } from '../gen/index.js';
import { runGen, type GenIo } from './gen.js';

let dir = '';
const ids: string[] = [];

function io(): GenIo & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', env: {} as Record<string, string | undefined>, out: (t: string) => { o.stdout += t; }, err: (t: string) => { o.stderr += t; } };
  return o;
}
async function gen(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const x = io();
  const code = await runGen([...argv, '--store', join(dir, 'data')], x);
  return { code, stdout: x.stdout, stderr: x.stderr };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dialogos-cli-gen-'));
  const fs = createNodeFileSystem();
  const key = generateSigningKey();
  await mkdir(join(dir, 'data/keys'), { recursive: true });
  await writeFile(join(dir, 'data/keys/trust.json'), JSON.stringify({ keys: [trustEntry(key, 'test')] }));
  for (const v of [1, 2]) {
    await mkdir(join(dir, `src${v}`), { recursive: true });
    await writeFile(join(dir, `src${v}/main.mjs`), `console.log(${v})`);
    ids.push(await writeGeneration(fs, join(dir, 'data'), {
      treeDir: join(dir, `src${v}`), version: v, parent: null, rollbackFloor: 0, created: '2026-01-01T00:00:00Z',
      provenance: { builder: 't', sourceDigest: 's', toolchain: {}, command: 'c' }, entry: { main: 'main.mjs', args: [] },
      kernel: null, health: { windowSeconds: 30, checks: [] },
    }, key));
  }
});
after(() => rm(dir, { recursive: true, force: true }));

describe('dialogos gen', () => {
  it('lists generations as a table and as JSON', async () => {
    const [a] = ids as [string, string];
    assert.equal((await gen('bless', a)).code, 0);
    const t = await gen('ls');
    assert.equal(t.code, 0);
    assert.match(t.stdout, /^ID\s+VERSION\s+STATUS/);
    assert.match(t.stdout, new RegExp(`${a}\\s+1\\s+good\\s+0\\s+0\\s+L`));
    const j = JSON.parse((await gen('ls', '--json')).stdout);
    assert.equal(j.generations[a].status, 'good');
  });
  it('stages, switches once, shows, pins and gcs', async () => {
    const [a, b] = ids as [string, string];
    assert.equal((await gen('stage', b, '--tries', '2')).code, 0);
    assert.match((await gen('ls')).stdout, new RegExp(`${b}\\s+2\\s+staged\\s+2\\s+0\\s+D`));
    assert.equal((await gen('switch', a, '--once')).code, 0);
    const show = JSON.parse((await gen('show', b, '--json')).stdout);
    assert.equal(show.verified, 'ok');
    assert.equal(show.manifest.files, 1);
    assert.equal((await gen('pin', a)).code, 0);
    const dry = JSON.parse((await gen('gc', '--dry-run', '--json')).stdout);
    assert.deepEqual(dry.removed, []);
    assert.equal((await gen('fsck')).stdout, 'clean\n');
  });
  it('marks bad with a reason and refuses to switch to it', async () => {
    const [, b] = ids as [string, string];
    assert.equal((await gen('bad', b)).code, 2, '--reason is required');
    assert.equal((await gen('bad', b, '--reason', 'health check failed')).code, 0);
    const r = await gen('switch', b);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /marked bad \(health check failed\)/);
  });
  it('uses exit 3 for unknown generations and 2 for usage errors', async () => {
    assert.equal((await gen('stage', 'g9-000000000000')).code, 3);
    assert.equal((await gen('show', 'g9-000000000000')).code, 3);
    assert.equal((await gen('stage', 'nonsense')).code, 2);
    assert.equal((await gen('stage', ids[0]!, '--tries', 'x')).code, 2);
    assert.equal((await gen('gc', '--keep', '-1')).code, 2);
    assert.equal((await gen('frobnicate')).code, 2);
  });
  it('reports fsck problems with exit 1 and repairs them', async () => {
    await mkdir(join(dir, 'data/store/staging/add-left'), { recursive: true });
    const r = await gen('fsck');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /orphan-staging\tadd-left/);
    assert.equal((await gen('fsck', '--repair')).code, 0);
    assert.equal((await gen('fsck')).code, 0);
  });
});
