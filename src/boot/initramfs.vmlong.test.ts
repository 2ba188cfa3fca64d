// Boots a minimal initramfs (native init, busybox, Node, the boot modules, the real stage over a JSON test
// store) in QEMU/TCG and follows one boot: menu pick of a corrupt generation -> refusal -> fallback to the
// default, which carries a kernel -> kexec -> the stage in the new kernel boots it (no second try) ->
// switch_root -> main runs from a read-only /dialogos -> SIGUSR2 to PID 1 powers the VM off. Opt-in (~40 s).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { requireHost } from '../testkit/prerequisite.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const kver = existsSync('/lib/modules') ? readdirSync('/lib/modules').sort().at(-1) : undefined;
const kernel = kver ? `/boot/vmlinuz-${kver}` : '';
const ready = process.getuid?.() === 0 && !!kver && existsSync(kernel) && !spawnSync('qemu-system-x86_64', ['--version']).error;

function sh(cmd: string, cwd?: string): string {
  const r = spawnSync('sh', ['-c', cmd], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${cmd}\n${r.stderr}`);
  return r.stdout;
}

function buildInitramfs(dir: string): string {
  const root = join(dir, 'root');
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/lib/dialogos', 'dev', 'proc', 'sys', 'run', 'data', 'newroot']) mkdirSync(join(root, d), { recursive: true });
  sh(`sh ${repo}native/build.sh ${dir}/native`);
  copyFileSync(`${dir}/native/init`, `${root}/init`);
  copyFileSync(`${dir}/native/kexec`, `${root}/usr/lib/dialogos/kexec`);
  sh(`chmod 755 ${root}/init ${root}/usr/lib/dialogos/kexec`);
  sh(`${repo}node_modules/.bin/esbuild ${repo}dist/testkit/boot/vm-test-stage.js --bundle --platform=node --format=esm --outfile=${root}/usr/lib/dialogos/stage.mjs --log-level=warning`);
  copyFileSync('/bin/busybox', `${root}/bin/busybox`);
  sh(`chmod 755 ${root}/bin/busybox`);
  for (const l of ['sh', 'mount', 'stty']) symlinkSync('busybox', `${root}/bin/${l}`);
  symlinkSync('../bin/busybox', `${root}/sbin/modprobe`);
  copyFileSync(process.execPath, `${root}/usr/bin/node`);
  sh(`chmod 755 ${root}/usr/bin/node`);
  for (const lib of sh(`ldd ${process.execPath} | grep -o '/[^ ]*'`).split('\n').filter(Boolean)) {
    mkdirSync(join(root, dirname(lib)), { recursive: true });
    sh(`cp -L ${lib} ${root}${lib}`);
  }
  const mods = sh(`modprobe -a -S ${kver} --show-depends virtio_pci virtio_blk ext4 crc32c_generic virtio_rng | awk '/^insmod/{print $2}'`);
  for (const m of mods.split('\n').filter(Boolean)) {
    mkdirSync(join(root, dirname(m)), { recursive: true });
    copyFileSync(m, join(root, m));
  }
  sh(`depmod -b ${root} ${kver}`);
  sh(`mknod -m 600 ${root}/dev/console c 5 1 && mknod -m 666 ${root}/dev/null c 1 3`);
  sh(`cd ${root} && find . | sort | cpio -o -H newc --quiet | lz4 -l -q > ${dir}/initrd.lz4`);
  return `${dir}/initrd.lz4`;
}

const MAIN = `const fs = require('node:fs');
const mounts = fs.readFileSync('/proc/self/mounts', 'utf8');
const ro = / \\/dialogos ext4 ro[,\\s]/.test(mounts) && / \\/usr \\S+ ro[,\\s]/.test(mounts);
const tries = fs.readFileSync('/data/dialogos/store/tries.log', 'utf8').trim().split('\\n');
console.log('vmtest main gen=' + process.env.DIALOGOS_GENERATION + ' trial=' + process.env.DIALOGOS_TRIAL + ' ro=' + ro +
  ' tries=' + JSON.stringify(tries) + ' argv=' + JSON.stringify(process.argv.slice(2)));
process.on('SIGTERM', () => { console.log('vmtest main got SIGTERM'); process.exit(0); });
setTimeout(() => process.kill(1, 'SIGUSR2'), 200);
setInterval(() => {}, 1000);
`;

function buildData(dir: string, initrd: string): string {
  const gens = join(dir, 'data/dialogos/store/gens');
  const gen = (id: string, version: number, kernelField: object | null): void => {
    mkdirSync(join(gens, id, 'tree/boot'), { recursive: true });
    writeFileSync(join(gens, id, 'tree/main.js'), MAIN);
    writeFileSync(join(gens, id, 'manifest.json'), JSON.stringify({ schema: 1, version, entry: { main: 'main.js', args: [`--from=${id}`] }, kernel: kernelField }));
  };
  gen('g1-aaaaaaaaaaaa', 1, null);
  gen('g2-bbbbbbbbbbbb', 2, null);
  writeFileSync(join(gens, 'g2-bbbbbbbbbbbb/CORRUPT'), '');
  gen('g3-cccccccccccc', 3, { image: 'boot/vmlinuz', initrd: 'boot/initrd', cmdline: 'console=ttyS0 quiet panic=-1' });
  copyFileSync(kernel, join(gens, 'g3-cccccccccccc/tree/boot/vmlinuz'));
  copyFileSync(initrd, join(gens, 'g3-cccccccccccc/tree/boot/initrd'));
  const rec = (version: number, status: string) => ({ version, status, triesLeft: status === 'staged' ? 3 : 0, priority: 0, pinned: false, recovery: false });
  const state = { schema: 1, default: 'g3-cccccccccccc', oneShot: null, floor: 0, lastGood: 'g1-aaaaaaaaaaaa', trial: null, booted: null, history: [],
    generations: { 'g1-aaaaaaaaaaaa': rec(1, 'good'), 'g2-bbbbbbbbbbbb': rec(2, 'good'), 'g3-cccccccccccc': rec(3, 'staged') } };
  writeFileSync(join(dir, 'data/dialogos/store/state.json'), JSON.stringify(state));
  writeFileSync(join(dir, 'data/dialogos/boot.json'), '{"menuTimeoutMs":20000}');
  sh(`mkfs.ext4 -q -F -L DIALOGOS_DATA -d ${dir}/data ${dir}/data.img 200M`);
  return `${dir}/data.img`;
}

test('initramfs boot: menu, refusal, fallback, kexec, switch_root, power off', { timeout: 600_000 }, async (t) => {
  if (requireHost(t, 'root, qemu and a kernel', ready, 'needs root, qemu-system-x86_64 and a kernel in /boot')) return;
  const dir = mkdtempSync(join(tmpdir(), 'dialogos-vm-'));
  try {
    const initrd = buildInitramfs(dir);
    const disk = buildData(dir, initrd);
    const q = spawn('qemu-system-x86_64', ['-accel', 'tcg', '-m', '512', '-nographic', '-no-reboot', '-kernel', kernel, '-initrd', initrd,
      '-append', 'console=ttyS0 quiet panic=-1', '-drive', `file=${disk},format=raw,if=virtio`, '-device', 'virtio-rng-pci'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let picked = false;
    const exit = new Promise<number | null>((resolve) => q.on('close', resolve));
    q.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!picked && /\) g1-aaaaaaaaaaaa/.test(out)) { picked = true; q.stdin.write('2'); } // 1) g3-cccccccccccc 2) g2-bbbbbbbbbbbb 3) g1-aaaaaaaaaaaa
    });
    const timer = setTimeout(() => q.kill('SIGKILL'), 300_000);
    const code = await exit;
    clearTimeout(timer);
    const lines = [
      'dialogos: menu pick 2: g2-bbbbbbbbbbbb',
      'dialogos: refusing generation g2-bbbbbbbbbbbb: Cannot boot generation "g2-bbbbbbbbbbbb": file "main.js" digest does not match the manifest',
      'dialogos: fallback from g2-bbbbbbbbbbbb:',
      'dialogos: booting generation g3-cccccccccccc (fallback, try 1)',
      "dialogos: loading generation g3-cccccccccccc's own kernel with kexec",
      'dialogos: boot stage',
      'dialogos: booting generation g3-cccccccccccc (kexec, try 1)',
      'dialogos: starting generation g3-cccccccccccc: /usr/bin/node (trial)',
      'vmtest main gen=g3-cccccccccccc trial=1 ro=true tries=["g3-cccccccccccc fallback"] argv=["--from=g3-cccccccccccc"]',
      'dialogos: power off: stopping all processes',
      'vmtest main got SIGTERM',
    ];
    let at = -1;
    for (const l of lines) {
      const i = out.indexOf(l, at + 1);
      assert.ok(i > at, `"${l}" missing or out of order in the console:\n${out}`);
      at = i;
    }
    const modules = /modules not loaded \(built in or absent\):([^\n]*)/.exec(out)?.[1] ?? '';
    for (const m of ['virtio_blk', 'ext4', 'crc32c_generic', 'virtio_rng']) assert.ok(!modules.split(' ').includes(m), `${m} was not loaded: ${modules}`);
    assert.equal(code, 0, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
