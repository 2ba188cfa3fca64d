// dialogos-mini is found where it ships: a trained one first, then the generation's, then on a build host
// the checkout's models/ and image build output; the store serves it under its name; none = an error
// that names every place.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DefaultModelMissingError, findDefaultModel, locateDefaultModel } from './default-model.js';
import { llmPaths } from './paths.js';
import { ModelStore } from './store.js';
import { writeTinyModel } from '../testkit/llm/tiny-model.js';

const CHECKOUT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

test('the places, in order: trained, shipped, then (build host, shipped not overridden) the checkout', () => {
  const host = llmPaths('/tmp/inst', {});
  assert.deepEqual(host.defaultModelFiles, [
    '/tmp/inst/train/dialogos-mini.gguf', join(CHECKOUT, 'models', 'dialogos-mini.gguf'), join(CHECKOUT, 'build', 'work', 'dialogos-mini.gguf'),
  ]);
  assert.equal(host.trainDir, '/tmp/inst/train');
  const machine = llmPaths(undefined, {});
  assert.deepEqual(machine.defaultModelFiles.slice(0, 2), ['/data/dialogos/train/dialogos-mini.gguf', '/dialogos/models/dialogos-mini.gguf']);
  // A checkout running without --state (a developer's `./dialogos model score`) still finds its own build.
  assert.ok(machine.defaultModelFiles.includes(join(CHECKOUT, 'build', 'work', 'dialogos-mini.gguf')));
  // The generation's service spec names its shipped folder: only the trained and shipped places count.
  assert.deepEqual(llmPaths(undefined, { DIALOGOS_SHIPPED_MODELS: '/dialogos/models' }).defaultModelFiles, ['/data/dialogos/train/dialogos-mini.gguf', '/dialogos/models/dialogos-mini.gguf']);
  assert.deepEqual(llmPaths('/s', {}, '/x').defaultModelFiles, ['/s/train/dialogos-mini.gguf', '/x/dialogos-mini.gguf']);
});

test('the first existing place wins; none is an error naming every place and how to get one', () => {
  const p = llmPaths('/tmp/inst', {});
  const only = (f: string) => (x: string) => x === f;
  assert.deepEqual(findDefaultModel(p, only(p.defaultModelFiles[2]!)), { file: p.defaultModelFiles[2], place: 'checkout' });
  assert.deepEqual(findDefaultModel(p, () => true), { file: '/tmp/inst/train/dialogos-mini.gguf', place: 'trained' });
  assert.equal(locateDefaultModel(p, () => false), null);
  assert.throws(() => findDefaultModel(p, () => false), (e: Error) => {
    assert.ok(e instanceof DefaultModelMissingError);
    assert.equal(e.name, 'DefaultModelMissingError');
    for (const f of p.defaultModelFiles) assert.ok(e.message.includes(`"${f}"`), `${f} named in: ${e.message}`);
    assert.match(e.message, /dialogos image build.*dialogos model train/);
    return true;
  });
});

test('the store serves dialogos-mini from the shipped folder, and a trained one over it (read-only both)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dialogos-mini-'));
  try {
    const shipped = join(dir, 'shipped');
    await mkdir(shipped);
    const paths = llmPaths(dir, {}, shipped);
    const store = new ModelStore(paths);
    assert.deepEqual(await store.list(), []);
    await writeTinyModel(join(shipped, 'dialogos-mini.gguf'), { seed: 1 });
    await writeTinyModel(join(shipped, 'other.gguf'), { seed: 2 });
    let mini = (await store.list()).find((m) => m.name === 'dialogos-mini')!;
    assert.equal(mini.source, 'shipped');
    assert.equal(mini.file, join(shipped, 'dialogos-mini.gguf'));
    await mkdir(paths.trainDir);
    await writeTinyModel(join(paths.trainDir, 'dialogos-mini.gguf'), { seed: 3 });
    const all = await store.list();
    assert.deepEqual(all.map((m) => m.name).sort(), ['dialogos-mini', 'other']);
    mini = all.find((m) => m.name === 'dialogos-mini')!;
    assert.equal(mini.source, 'trained');
    assert.equal(mini.file, join(paths.trainDir, 'dialogos-mini.gguf'));
    await assert.rejects(store.remove('dialogos-mini'), /read-only: .*train\/dialogos-mini\.gguf/);
    await writeFile(join(paths.trainDir, 'dialogos-mini.gguf'), 'not a gguf');
    assert.equal((await store.list()).some((m) => m.name === 'dialogos-mini'), false, 'a broken file is left out, not served');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
