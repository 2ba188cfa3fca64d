// Stand-ins for the subsystems the image builder calls (src/gen, native/, src/boot) while testing the
// builder itself: a static C init that prints a marker and powers off, a trivial stage, and a store
// writer that lays out a signed generation the simple way. Not used by the real build.
import { generateKeyPairSync, createPrivateKey, createPublicKey, sign, createHash } from 'node:crypto';
import { cpSync, mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execTool } from '../../image/exec.js';
import type { GenBinding, NativeBinaries } from '../../image/inputs.js';

export const STANDIN_MARKER = 'DIALOGOS-STANDIN-INIT-OK';

const INIT_C = `
#include <stdio.h>
#include <unistd.h>
#include <sys/reboot.h>
#include <sys/mount.h>
#include <sys/stat.h>
int main(void) {
  struct stat st;
  mount("proc", "/proc", "proc", 0, 0);
  printf("\\n${STANDIN_MARKER} node=%s stage=%s\\n",
    stat("/usr/bin/node", &st) == 0 ? "yes" : "no",
    stat("/usr/lib/dialogos/stage.mjs", &st) == 0 ? "yes" : "no");
  fflush(stdout);
  sync();
  reboot(RB_POWER_OFF);
  return 0;
}
`;

/** Compiles the stand-in init (and uses it as kexec too) with musl-gcc -static into a temp folder. */
export async function buildStandinNative(): Promise<NativeBinaries> {
  const dir = mkdtempSync(join(tmpdir(), 'dialogos-standin-'));
  writeFileSync(join(dir, 'init.c'), INIT_C);
  await execTool('musl-gcc', ['-static', '-Os', '-s', '-o', join(dir, 'init'), join(dir, 'init.c')]);
  return { init: join(dir, 'init'), kexec: join(dir, 'init') };
}

export function writeStandinStage(dir: string): string {
  const f = join(dir, 'stage.mjs');
  writeFileSync(f, "console.log('stand-in stage');\n");
  return f;
}

/** A store writer with the layout of docs/ARCHITECTURE.md, simplified (no canonical-JSON guarantees). */
export const standinGen: GenBinding = {
  async generateKeyFile() {
    const { privateKey } = generateKeyPairSync('ed25519');
    return Buffer.from(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  },
  async trustJson(keyFile, name) {
    const pub = createPublicKey(createPrivateKey(keyFile)).export({ format: 'der', type: 'spki' }).subarray(-32);
    const keyId = createHash('sha256').update(pub).digest('hex').slice(0, 16);
    return JSON.stringify({ keys: [{ keyId, name, publicKey: pub.toString('base64') }] }) + '\n';
  },
  async writeInitialGeneration({ storeRoot, treeDir, keyFile, provenance, created, entry, health }) {
    const manifest = JSON.stringify({ schema: 1, version: 1, parent: null, rollbackFloor: 0, created, provenance, entry, kernel: null, health, files: [] });
    const id = `g1-${createHash('sha256').update(manifest).digest('hex').slice(0, 12)}`;
    const storeDir = join(storeRoot, 'store');
    const dir = join(storeDir, 'gens', id);
    mkdirSync(dir, { recursive: true });
    cpSync(treeDir, join(dir, 'tree'), { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), manifest);
    const sig = sign(null, Buffer.from(manifest), createPrivateKey(keyFile)).toString('base64');
    writeFileSync(join(dir, 'manifest.sig'), JSON.stringify({ alg: 'ed25519', keyId: 'standin', sig }));
    writeFileSync(join(storeDir, 'state.json'), JSON.stringify({ schema: 1, default: id }));
    return id;
  },
};
