// The sandbox runner as root on this host: the candidate's view of the tree, what it may write, its
// environment, its out dir, its CPU accounting and output bounds, and the errors of bad requests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createSandboxRunner } from './index.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostPidsWith, sandboxKit, sandboxMissing, type RunExtra, type SandboxKit } from '../../testkit/evolve/sandbox.js';
import { SANDBOX_TREE } from './index.js';
import type { Cgroups } from '../../core/services/index.js';

describe('sandbox runner', { skip: sandboxMissing() }, () => {
  let kit: SandboxKit;
  let upper: string[] = [];
  before(async () => {
    kit = await sandboxKit({ beforeCleanup: async ({ upper: u }) => { upper = listTree(u); } });
  });
  after(() => kit?.close());

  const listTree = (d: string, pre = ''): string[] => readdirSync(d, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listTree(join(d, e.name), `${pre}${e.name}/`) : [`${pre}${e.name}`]));

  test('a run sees the candidate\'s file over the parent\'s, its deletions, and the parent stays byte-identical', async () => {
    const before = kit.snapshot();
    const r = await kit.run(['sh', '-c', 'pwd; cat src/x/a.ts; ls src/x; echo more >> src/x/a.ts'], {
      changes: [
        { path: 'src/x/a.ts', before: 'export const a = 1;\n', after: 'export const a = 2;\n' },
        { path: 'src/x/gone.ts', before: 'export const gone = true;\n', after: null },
      ],
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, `${SANDBOX_TREE}\nexport const a = 2;\na.ts\n`);
    assert.deepEqual(kit.snapshot(), before);
  });

  test('a changed script keeps the parent\'s mode and runs', async () => {
    const r = await kit.run(['./bin/hello.sh'], { changes: [{ path: 'bin/hello.sh', before: '#!/bin/sh\necho parent\n', after: '#!/bin/sh\necho changed\n' }] });
    assert.equal(r.stdout, 'changed\n', r.stderr);
  });

  test('a write to the tree lands in the upper dir only', async () => {
    const before = kit.snapshot();
    const r = await kit.run(['sh', '-c', 'echo new > src/x/new.ts && echo changed > src/x/a.ts && mkdir -p dist && echo js > dist/a.js && cat src/x/a.ts']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'changed\n');
    assert.deepEqual(kit.snapshot(), before);
    for (const f of ['src/x/new.ts', 'src/x/a.ts', 'dist/a.js']) assert.ok(upper.includes(f), `${f} in the upper dir: ${upper.join(' ')}`);
  });

  test('writes outside the candidate\'s view fail: the parent tree, /etc, /var/tmp, /dev/shm, the sandbox state', async () => {
    // open/ is world-writable on the host: only the read-only view keeps the run out of it.
    const open = join(kit.dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const targets = [join(kit.lower, 'src/x/a.ts'), '/etc/dialogos-sandbox-probe', '/var/tmp/x', '/dev/shm/x', join(kit.state, 'x'), '/x', join(open, 'x')];
    const script = targets.map((t) => `if echo pwned > "${t}" 2>/dev/null; then echo "wrote ${t}"; fi`).join('; ');
    const before = kit.snapshot();
    const r = await kit.run(['sh', '-c', `${script}; echo done`]);
    assert.equal(r.stdout, 'done\n', r.stderr);
    assert.deepEqual(kit.snapshot(), before);
    assert.deepEqual(readdirSync(open), []);
  });

  test('environment sniffing finds only the environment given: no HOME, no PATH beyond it, no SBX_ setup variables', async () => {
    const r = await kit.run(['/usr/bin/env'], { env: { ONLY: 'this' } });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'ONLY=this\n');
    const id = await kit.run(['id', '-u']);
    assert.equal(id.stdout, '65534\n');
  });

  test('the out dir is writable inside and everything in it belongs to its owner again afterwards', async () => {
    const out = join(kit.dir, 'out');
    mkdirSync(out);
    const r = await kit.run(['sh', '-c', `mkdir "${out}/d" && echo result > "${out}/d/r.json"`], { outDir: out });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(readFileSync(join(out, 'd', 'r.json'), 'utf8'), 'result\n');
    for (const p of [out, join(out, 'd'), join(out, 'd', 'r.json')]) assert.equal(statSync(p).uid, 0, p);
  });

  test('cpuMs of a busy loop is plausible and output past the bound is cut with a marker', async () => {
    // Spins until it has used 300 ms of its own CPU (a wall-clock loop gets less on a loaded host).
    const spin = 'const c=()=>{const u=process.cpuUsage();return (u.user+u.system)/1000};while(c()<300);process.stdout.write("x".repeat(3<<20))';
    const r = await kit.run([process.execPath, '-e', spin]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(r.cpuMs > 250 && r.cpuMs < 10_000, `cpuMs ${r.cpuMs} for 300 ms of spinning`);
    const idle = await kit.run(['true']);
    assert.ok(idle.cpuMs < 50 && idle.wallMs < 1000, `the setup's CPU and time are not the command's: ${idle.cpuMs} ms CPU, ${idle.wallMs} ms`);
    assert.ok(r.peakMemoryBytes !== null && r.peakMemoryBytes > 1 << 20, `peak ${r.peakMemoryBytes}`);
    assert.ok(r.stdout.length < (1 << 20) + 200);
    assert.match(r.stdout, /\[sandbox: output truncated after 1048576 bytes, \d+ more dropped\]/);
  });

  test('bad requests are refused before anything runs', async () => {
    const bad: RunExtra[] = [
      { changes: [{ path: '../escape', before: null, after: 'x' }] },
      { changes: [{ path: '/etc/passwd', before: null, after: 'x' }] },
      { cwd: '../..' },
      { env: { 'A=B': 'x' } },
      { limits: { wallMs: 0 } },
      { outDir: '/nonexistent/out' },
      { tree: { lower: '/a:b', changes: [] } },
      { tree: { lower: '/nonexistent/tree', changes: [] } },
    ];
    for (const b of bad) await assert.rejects(kit.run(['true'], b), { name: 'SandboxRequestError' }, JSON.stringify(b));
    await assert.rejects(kit.run([]), { name: 'SandboxRequestError' });
    assert.deepEqual(readdirSync(kit.state), []);
  });

  test('a view that cannot be built is a SandboxSetupError naming the step (an out dir under a hidden path)', async () => {
    const out = `/root/.dialogos-sandbox-out-${process.pid}`;
    mkdirSync(out, { recursive: true });
    try {
      await assert.rejects(kit.run(['true'], { outDir: out }), { name: 'SandboxSetupError', message: /Cannot set up the sandbox for "true": cannot show the out dir at \/root\// });
      assert.equal(statSync(out).uid, 0, 'the out dir is given back');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('cgroups without a pids controller, or none at all, are a SandboxUnavailableError that says so', async () => {
    const req = { tree: { lower: kit.lower, changes: [] }, argv: ['true'], env: {}, limits: { wallMs: 1000, memoryBytes: 1 << 26, pids: 8, fileBytes: 1 << 20, tmpBytes: 1 << 20 } };
    const fake = (available: boolean, controllers: string[]): Cgroups => ({
      description: `test cgroups (${controllers.join(' ')})`, available, reason: 'no hierarchy in this test', controllers,
      create: async () => ({ procs: [], limits: { mode: 'none', applied: {}, unsupported: [] } }), attach: async () => undefined,
      procs: async () => [], oomKills: async () => 0, killAll: async () => undefined, remove: async () => undefined,
    });
    await assert.rejects(createSandboxRunner({ jail: kit.jail, stateDir: join(kit.dir, 's3'), cgroups: fake(true, ['memory']) }).run(req),
      { name: 'SandboxUnavailableError', message: /missing the pids cgroup controller \(test cgroups \(memory\)\)/ });
    await assert.rejects(createSandboxRunner({ jail: kit.jail, stateDir: join(kit.dir, 's4'), cgroups: fake(false, []) }).run(req),
      { name: 'SandboxUnavailableError', message: /missing cgroups \(no hierarchy in this test\)/ });
  });

  test('a missing jail is a SandboxUnavailableError that names it and how to build it', async () => {
    const r = createSandboxRunner({ jail: join(kit.dir, 'no-jail'), stateDir: join(kit.dir, 'state2') });
    await assert.rejects(r.run({ tree: { lower: kit.lower, changes: [] }, argv: ['true'], env: {}, limits: { wallMs: 1000, memoryBytes: 1 << 26, pids: 8, fileBytes: 1 << 20, tmpBytes: 1 << 20 } }),
      { name: 'SandboxUnavailableError', message: /the jail binary ".*no-jail" \(build it: native\/build.sh OUTDIR jail\)/ });
  });
});

describe('sandbox clean-up after kill -9 of its runner', { skip: sandboxMissing() }, () => {
  test('a caller\'s hook that throws still leaves no run dir, mount or process behind', async () => {
    const kit = await sandboxKit({ beforeCleanup: async () => { throw new Error('caller failed'); } });
    try {
      const marker = `hook${process.pid}`;
      await assert.rejects(kit.run(['sh', '-c', `(sleep 1000; : ${marker}) & echo started`]), /caller failed/);
      assert.deepEqual(readdirSync(kit.state), []);
      assert.deepEqual(hostPidsWith(marker), []);
      assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(kit.state), false);
    } finally {
      kit.close();
    }
  });

  test('a stale run (its runner killed) is killed, unmounted and removed at the next start', async () => {
    const kit = await sandboxKit();
    try {
      const marker = `stale${process.pid}`;
      const index = new URL('./index.js', import.meta.url).href;
      const script = `const { createSandboxRunner } = await import(${JSON.stringify(index)});
        await createSandboxRunner({ jail: ${JSON.stringify(kit.jail)}, stateDir: ${JSON.stringify(kit.state)} }).run({ tree: { lower: ${JSON.stringify(kit.lower)}, changes: [] },
          argv: ['sh', '-c', 'sleep 1000; : ${marker}'], env: { PATH: '/usr/bin:/bin' },
          limits: { wallMs: 60000, memoryBytes: 1 << 27, pids: 16, fileBytes: 1 << 20, tmpBytes: 1 << 20 } });`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
      const until = Date.now() + 20_000;
      // The jailed command itself: its argv, NUL-separated, as /proc shows it.
      const jailed = `sh\0-c\0sleep 1000; : ${marker}`;
      while (!hostPidsWith(jailed).length && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      assert.ok(hostPidsWith(jailed).length, 'the stale run started');
      child.kill('SIGKILL');
      await once(child, 'exit');
      const [stale] = readdirSync(kit.state);
      assert.ok(stale, 'the killed runner left its run dir');
      assert.ok(mounted(join(kit.state, stale)), 'and its tmpfs');
      const r = await kit.run(['true']);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.deepEqual(hostPidsWith(marker), []);
      assert.deepEqual(readdirSync(kit.state), []);
      assert.equal(mounted(join(kit.state, stale)), false);
    } finally {
      kit.close();
    }
  });
});

const mounted = (dir: string): boolean => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === dir);
