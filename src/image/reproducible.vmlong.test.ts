// Opt-in long suite (about 10 min of CPU, no VM): the SHIPPED image, built twice from cold caches, is the
// same bytes. Each build is exactly `dialogos image build` (src/cli/image.ts with its defaults: native
// init and kexec from native/build.sh, the bundled boot stage, dialogos-mini trained from the source, the
// generation's code index) with its own output, work folder and cache; only the signing key is shared,
// because it is an input, not a cache (a missing key is made at random on the first build). On a
// mismatch the failure names the region of the disk and the files that differ (reproducible-diff.ts).
// src/image/build.test.ts covers the same builder with stand-ins, quickly, on every unit run.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runImageBuild } from '../cli/image.js';
import { digestFileOf, DEFAULT_MODEL_PATH } from './build.js';
import { openDataPartition } from './disk-access.js';
import { compareImages } from '../testkit/image/reproducible-diff.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const BUILD_MS = 40 * 60_000;

describe('the shipped image is reproducible (long)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'image-repro-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const key = join(dir, 'build.key');
  const flags = (name: string) => ({
    out: join(dir, name, 'dialogos.img'), work: join(dir, name, 'work'), cache: join(dir, name, 'cache'), key, force: true,
  });

  it('two cold builds of `dialogos image build` give byte-identical disks', { timeout: 2 * BUILD_MS }, async () => {
    for (const name of ['a', 'b']) {
      assert.equal(existsSync(join(dir, name)), false, `${name}: the build starts without a cache`);
      assert.equal(await runImageBuild(flags(name), repo), 0, `build ${name}`);
    }
    const [a, b] = [flags('a').out, flags('b').out];
    assert.equal(readFileSync(digestFileOf(a), 'utf8'), readFileSync(digestFileOf(b), 'utf8'), 'the inputs digests');
    const differences = await compareImages(a, b);
    assert.deepEqual(differences, [], `the two images differ:\n${differences.join('\n')}`);
  });

  it('the image compared is the shipped one: it carries dialogos-mini and the code index', async () => {
    const data = openDataPartition(flags('a').out);
    const [gen] = await data.readdir('/dialogos/store/gens');
    const tree = `/dialogos/store/gens/${gen}/tree`;
    // dialogos-mini is small (about 540 KB at 500 steps); a stand-in would be a few hundred bytes.
    const model = (await data.stat(`${tree}/${DEFAULT_MODEL_PATH}`)).size;
    assert.ok(model > 100_000, `${DEFAULT_MODEL_PATH} is ${model} bytes: not a trained model`);
    const index = (await data.stat(`${tree}/mind/index.json`)).size;
    assert.ok(index > 100_000, `mind/index.json is ${index} bytes: not the generation's code index`);
    assert.ok(existsSync(join(flags('a').cache, 'dialogos-mini')), 'the model was trained into this build\'s own cache');
  });
});
