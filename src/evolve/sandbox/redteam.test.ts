// Red team of the sandbox (issue 10): each exploit a candidate could try at run time, run for real as root
// on this host, must fail, be cut off by its limit, and leave the host as it was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HIDE } from './index.js';
import { hostPidsWith, sandboxKit, sandboxMissing, type SandboxKit } from '../../testkit/evolve/sandbox.js';

const connect = (host: string, port: number): string =>
  `const s=require("net").connect(${port},"${host}");s.setTimeout(2000);` +
  's.on("connect",()=>{console.log("connected");process.exit(0)});s.on("error",e=>{console.log(e.code);process.exit(0)});s.on("timeout",()=>{console.log("timeout");process.exit(0)})';

describe('sandbox red team', { skip: sandboxMissing() }, () => {
  let kit: SandboxKit;
  let server: Server;
  let port = 0;
  // A key folder and a key file that uid 65534 could read if they were not hidden (the test checks that).
  let keys = '';
  let keyFile = '';
  let loose = '';
  before(async () => {
    keys = mkdtempSync(join(tmpdir(), 'dialogos-sandbox-keys-'));
    keyFile = join(keys, 'signing.key');
    loose = `${keys}-loose.pem`;
    chmodSync(keys, 0o755);
    writeFileSync(keyFile, 'PRIVATE KEY 1\n', { mode: 0o644 });
    writeFileSync(loose, 'PRIVATE KEY 2\n', { mode: 0o644 });
    kit = await sandboxKit({ hide: [...DEFAULT_HIDE, keys, loose] });
    server = createServer((s) => s.end('secret\n'));
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    server?.close();
    kit?.close();
    if (keys) rmSync(keys, { recursive: true, force: true });
    if (loose) rmSync(loose, { force: true });
  });

  test('network access: a TCP listener on the host\'s own addresses cannot be reached, only lo exists', async () => {
    const addrs = Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4').map((a) => a!.address);
    assert.ok(addrs.length > 0);
    for (const host of addrs) {
      const r = await kit.run([process.execPath, '-e', connect(host, port)]);
      assert.notEqual(r.stdout.trim(), 'connected', `connected to the host's ${host}:${port}`);
      assert.match(r.stdout, /ENETUNREACH|ECONNREFUSED|timeout/, `${host}: ${r.stdout} ${r.stderr}`);
    }
    const links = await kit.run(['cat', '/proc/net/dev']);
    assert.deepEqual(links.stdout.split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(':')[0]), ['lo']);
  });

  test('reading keys: a key folder and a key file the run\'s uid could read are hidden (absent, empty)', async () => {
    const bare = spawnSync(kit.jail, ['0', '65534', '65534', 'cat', keyFile, loose], { encoding: 'utf8' });
    assert.equal(bare.stdout, 'PRIVATE KEY 1\nPRIVATE KEY 2\n', 'uid 65534 can read them outside the sandbox');
    const r = await kit.run(['sh', '-c', `cat ${keyFile} ${loose} 2>&1; ls -A ${keys}; echo end`]);
    assert.doesNotMatch(r.stdout, /PRIVATE KEY/);
    assert.match(r.stdout, /No such file or directory\nend\n$/);
  });

  test('reading keys: a key file in a hidden path (/root, /etc/ssh, /etc/shadow) reads as absent or empty', async () => {
    const key = `/root/.dialogos-sandbox-key-${process.pid}`;
    writeFileSync(key, 'PRIVATE KEY\n', { mode: 0o644 });
    try {
      const r = await kit.run(['sh', '-c', `cat ${key} /etc/shadow 2>&1; ls -A /root /etc/ssh; echo end`]);
      assert.doesNotMatch(r.stdout, /PRIVATE KEY|^root:.*:/m);
      assert.match(r.stdout, /No such file or directory/);
      assert.match(r.stdout, /end\n$/);
    } finally {
      rmSync(key, { force: true });
    }
  });

  test('fork bomb: `:(){ :|:& };:` ends on the pids limit and the host is fine afterwards', async () => {
    const marker = `bomb${process.pid}`;
    const r = await kit.run(['sh', '-c', `${marker}() { ${marker} | ${marker} & }; ${marker}; sleep 3`], { limits: { pids: 32, wallMs: 6000 } });
    assert.equal(r.limitHit, 'pids', JSON.stringify({ ...r, stdout: '', stderr: r.stderr.slice(0, 300) }));
    assert.deepEqual(hostPidsWith(marker), []);
    const ok = await kit.run(['echo', 'fine']);
    assert.equal(ok.stdout, 'fine\n');
  });

  test('filling memory: a 1 GiB allocation is killed with limitHit memory', async () => {
    const r = await kit.run([process.execPath, '-e', 'const b=Buffer.alloc(1<<30,1);console.log(b.length)'], { limits: { memoryBytes: 192 << 20 } });
    assert.equal(r.limitHit, 'memory', JSON.stringify({ ...r, stderr: r.stderr.slice(0, 300) }));
    assert.equal(r.stdout, '');
    assert.ok(r.peakMemoryBytes! <= 192 << 20, `peak ${r.peakMemoryBytes}`);
  });

  test('filling disk: a file past fileBytes gets SIGXFSZ, /tmp and the tree are bounded by tmpBytes', async () => {
    const big = await kit.run(['dd', 'if=/dev/zero', 'of=big', 'bs=1M', 'count=4'], { limits: { fileBytes: 1 << 20 } });
    assert.equal(big.signal, 'SIGXFSZ');
    assert.equal(big.limitHit, 'file');
    for (const where of ['/tmp', '.']) {
      const r = await kit.run(['sh', '-c', `for i in 1 2 3 4 5 6; do head -c 1048576 /dev/zero > ${where}/f$i || exit 9; done`], { limits: { tmpBytes: 3 << 20 } });
      assert.equal(r.exitCode, 9, `${where}: ${JSON.stringify(r)}`);
      assert.match(r.stderr, /No space left on device/);
    }
  });

  test('ptrace of the runner: PTRACE_ATTACH and process_vm_readv fail with EPERM, the host runner is invisible', async () => {
    const child = await kit.run([kit.probe, 'ptrace']);
    assert.equal(child.stdout, 'ptrace: Operation not permitted\nprocess_vm_readv: Operation not permitted\n', child.stderr);
    const host = await kit.run([kit.probe, 'ptrace', String(process.pid)]);
    assert.doesNotMatch(host.stdout, /: ok/);
    const ps = await kit.run(['sh', '-c', 'ls /proc | grep -c "^[0-9]"']);
    assert.ok(Number(ps.stdout) <= 4, `the run sees ${ps.stdout.trim()} processes`);
  });

  test('escaping the namespaces: mount, unshare and clone(CLONE_NEWUSER) fail with EPERM', async () => {
    for (const call of ['mount', 'unshare', 'clone']) {
      const r = await kit.run([kit.probe, call]);
      assert.equal(r.stdout, `${call}: Operation not permitted\n`, r.stderr);
    }
  });

  test('outliving the budget: the wall budget kills a sleep loop and every child', async () => {
    const marker = `wall${process.pid}`;
    const t0 = Date.now();
    const r = await kit.run(['sh', '-c', `(while :; do sleep 0.1; done; : ${marker}) & (sh -c "sleep 1000; : ${marker}" &) ; while :; do sleep 0.1; done`], { limits: { wallMs: 1500 } });
    assert.equal(r.limitHit, 'wall');
    assert.ok(Date.now() - t0 < 6000, `took ${Date.now() - t0} ms`);
    assert.ok(r.wallMs >= 1500);
    assert.deepEqual(hostPidsWith(marker), []);
  });

  test('raising its own limits: ulimit -f cannot go past fileBytes, setuid binaries give nothing (no_new_privs)', async () => {
    const probe = 'ulimit -f unlimited 2>&1; ulimit -f; grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status; su -c id root </dev/null 2>&1 | head -1';
    const r = await kit.run(['sh', '-c', probe], { limits: { fileBytes: 1 << 20 } });
    assert.match(r.stdout, /^.*\n?2048\nNoNewPrivs:\t1\nSeccomp:\t2\n/);
    assert.doesNotMatch(r.stdout, /uid=0/);
  });
});
