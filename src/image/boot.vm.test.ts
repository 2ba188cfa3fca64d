// One TCG boot of a built image through OVMF -> systemd-boot -> UKI -> the initramfs's /init (a stand-in
// that prints a marker and powers off): proves the GPT, ESP, loader.conf, UKI sections and the cpio,
// and that systemd-boot picked the boot-counted "b" entry first and counted the try (b+3 -> b+2-1).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildImage } from './build.js';
import { openEsp } from './disk-access.js';
import { ukiEntryName } from './esp.js';
import { createProgress } from './progress.js';
import { buildStandinNative, standinGen, STANDIN_MARKER, writeStandinStage } from '../testkit/image/standins.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

/** Runs QEMU until it exits (the stand-in powers off) or `limitMs` passes; returns the serial output. */
function boot(image: string, vars: string, limitMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const q = spawn('qemu-system-x86_64', [
      '-accel', 'tcg', '-m', '512', '-machine', 'q35',
      '-drive', `if=pflash,format=raw,readonly=on,file=${OVMF_CODE}`, '-drive', `if=pflash,format=raw,file=${vars}`,
      '-drive', `file=${image},format=raw,if=virtio`, '-device', 'virtio-rng-pci',
      '-serial', 'stdio', '-display', 'none', '-no-reboot',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    q.stdout.on('data', (b: Buffer) => { out += b.toString('latin1'); });
    q.stderr.on('data', (b: Buffer) => { out += b.toString('latin1'); });
    const timer = setTimeout(() => { q.kill('SIGKILL'); reject(new Error(`QEMU did not power off within ${limitMs} ms; console:\n${out.slice(-2000)}`)); }, limitMs);
    q.on('error', (e) => { clearTimeout(timer); reject(e); });
    q.on('close', () => { clearTimeout(timer); resolve(out); });
  });
}

describe('image boots under OVMF (TCG)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'image-boot-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reaches /init through systemd-boot and the UKI, trying the counted entry first', async () => {
    const r = await buildImage({
      sourceRoot: repo, out: join(dir, 'dialogos.img'), workDir: join(dir, 'work'), cacheDir: join(dir, 'cache'),
      keyFile: join(dir, 'build.key'), gen: standinGen, native: await buildStandinNative(), stage: writeStandinStage(dir),
      compression: 'zstd:3', espSize: 128 * 1024 * 1024, dataSize: 256 * 1024 * 1024, defaultModel: false, codeIndex: false, progress: createProgress(() => {}),
    });
    const vars = join(dir, 'vars.fd');
    copyFileSync(OVMF_VARS, vars);
    const console = await boot(r.image, vars, 240_000);
    assert.match(console, new RegExp(`${STANDIN_MARKER} node=yes stage=yes`));
    const kver = (await openEsp(r.image).list('/EFI/Linux'))[0]!.replace(/^dialogos-(.*)-a\.efi$/, '$1');
    assert.deepEqual(await openEsp(r.image).list('/EFI/Linux'), [ukiEntryName(kver, 'a'), `${ukiEntryName(kver, 'b').replace('.efi', '')}+2-1.efi`]);
  });
});
