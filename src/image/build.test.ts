// The whole builder with stand-ins for init, kexec, stage and the store writer (their real versions
// come from native/, src/boot and src/gen): two cold builds give the same bytes, and staleness follows
// the inputs.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildImage, digestFileOf, isImageStale, type ImageBuildOptions } from './build.js';
import { openDataPartition, openEsp } from './disk-access.js';
import { ukiEntryName } from './esp.js';
import { findHostInputs } from './host.js';
import { createProgress } from './progress.js';
import { buildStandinNative, standinGen, writeStandinStage } from '../testkit/image/standins.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

describe('buildImage (stand-in init, stage and store writer)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'image-build-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const lines: string[] = [];

  async function options(name: string): Promise<ImageBuildOptions> {
    return {
      sourceRoot: repo, out: join(dir, name, 'dialogos.img'), workDir: join(dir, name, 'work'), cacheDir: join(dir, name, 'cache'),
      keyFile: join(dir, 'build.key'), gen: standinGen, native: await native, stage: join(dir, 'stage.mjs'),
      compression: 'zstd:3', espSize: 128 * 1024 * 1024, dataSize: 256 * 1024 * 1024, defaultModel: false, codeIndex: false,
      progress: createProgress((l) => lines.push(l)),
    };
  }
  const native = buildStandinNative();
  writeStandinStage(dir);

  it('gives byte-identical images from two cold builds', async () => {
    const a = await buildImage(await options('a'));
    const b = await buildImage(await options('b'));
    assert.equal(a.initramfsCached, false);
    assert.equal(b.initramfsCached, false);
    assert.equal(a.digest, b.digest);
    assert.equal(await sha256File(a.image), await sha256File(b.image));
    assert.ok(lines.some((l) => /^image: initramfs\s+\d+\.\d+s \(total/.test(l)), lines.join('\n'));
    assert.equal(readFileSync(digestFileOf(a.image), 'utf8').trim(), a.digest);
  });

  it('lays out the ESP entries and the data partition the boot chain expects', async () => {
    const image = join(dir, 'a', 'dialogos.img');
    const esp = openEsp(image);
    const { kver } = findHostInputs();
    assert.deepEqual(await esp.list('/EFI/Linux'), [ukiEntryName(kver, 'a'), ukiEntryName(kver, 'b', 3)]);
    assert.ok(await esp.exists('/EFI/BOOT/BOOTX64.EFI'));
    assert.match((await esp.readFile('/loader/loader.conf')).toString(), /^timeout 0$/m);
    const data = openDataPartition(image);
    assert.deepEqual(JSON.parse(Buffer.from(await data.readFile('/dialogos/boot.json')).toString()), { menuTimeoutMs: 1000 });
    assert.ok(await data.exists('/dialogos/keys/trust.json'));
    const gens = await data.readdir('/dialogos/store/gens');
    assert.equal(gens.length, 1);
    assert.ok(await data.exists(`/dialogos/store/gens/${gens[0]}/tree/bin/dialogos.mjs`));
  });

  it('is stale only when an input changes, and reuses the cached initramfs', async () => {
    const o = await options('a');
    assert.equal(await isImageStale(o), false);
    writeFileSync(join(dir, 'stage.mjs'), "console.log('stand-in stage, edited');\n");
    assert.equal(await isImageStale(o), true);
    writeStandinStage(dir);
    assert.equal(await isImageStale(o), false);
    const warm = await buildImage(o);
    assert.equal(warm.initramfsCached, true);
    assert.equal(await sha256File(warm.image), await sha256File(join(dir, 'b', 'dialogos.img')));
  });
});
