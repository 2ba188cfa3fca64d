// native/jail.c on its own, built with native/build.sh and run as root: the identity it drops to, the
// limits and flags it sets, the system calls its seccomp list refuses (a C probe shows each succeeds
// without the jail), its supervision mode's status line, and its refusals.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxKit, sandboxMissing, type SandboxKit } from '../../testkit/evolve/sandbox.js';

describe('native/jail.c', { skip: sandboxMissing() }, () => {
  let kit: SandboxKit;
  before(async () => { kit = await sandboxKit(); });
  after(() => kit?.close());

  const jail = (args: string[], fd3 = false) => {
    const r = spawnSync(kit.jail, args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe', fd3 ? 'pipe' : 'ignore'] });
    return { ...r, status3: fd3 ? String(r.output[3] ?? '') : '' };
  };
  const probe = (): string => join(kit.lower, kit.probe);

  test('drops to the uid and gid given, with no groups, no_new_privs, seccomp filtering, RLIMIT_CORE 0', () => {
    const r = jail(['1048576', '65534', '65533', 'sh', '-c', 'id -u; id -g; id -G; grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status; ulimit -c; ulimit -f']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '65534\n65533\n65533\nNoNewPrivs:\t1\nSeccomp:\t2\n0\n2048\n');
  });

  test('ptrace of its own child and process_vm_readv succeed without the jail and fail with EPERM inside it', () => {
    const free = spawnSync(probe(), ['ptrace'], { encoding: 'utf8' });
    assert.equal(free.stdout, 'ptrace: ok\nprocess_vm_readv: ok\n', 'the probe works outside the jail');
    const r = jail(['0', '65534', '65534', probe(), 'ptrace']);
    assert.equal(r.stdout, 'ptrace: Operation not permitted\nprocess_vm_readv: Operation not permitted\n', r.stderr);
  });

  test('mount, unshare, clone into a new user namespace and io_uring fail with EPERM (root outside could do them)', () => {
    const free = spawnSync(probe(), ['clone'], { encoding: 'utf8' });
    assert.equal(free.stdout, 'clone: ok\n');
    for (const call of ['mount', 'unshare', 'clone', 'io_uring']) {
      const r = jail(['0', '65534', '65534', probe(), call]);
      assert.equal(r.stdout, `${call}: Operation not permitted\n`, r.stderr);
    }
  });

  test('a write past FILE_BYTES is killed by SIGXFSZ; with -s the status line says so and the command cannot see the fd', () => {
    const w = join(kit.dir, 'w');
    mkdirSync(w);
    chmodSync(w, 0o777);
    const r = jail(['-s', '3', '4096', '65534', '65534', 'sh', '-c', `if (: >&3) 2>/dev/null; then echo fd3-open; fi; exec dd if=/dev/zero of=${w}/big bs=8192 count=1`], true);
    assert.equal(r.status3, 'signal 25\n');
    assert.equal(r.status, 128 + 25);
    assert.doesNotMatch(r.stdout, /fd3-open/, 'fd 3 is not inherited by the command');
    const ok = jail(['-s', '3', '0', '65534', '65534', 'sh', '-c', 'exit 7'], true);
    assert.equal(ok.status3, 'exit 7\n');
    assert.equal(ok.status, 7);
  });

  test('refuses uid 0, a malformed number and a missing command, saying which', () => {
    assert.match(jail(['0', '0', '0', 'true']).stderr, /refusing to run as uid 0 gid 0/);
    assert.match(jail(['1x', '65534', '65534', 'true']).stderr, /FILE_BYTES "1x" is not a number/);
    const r = jail(['0', '65534', '65534', 'no-such-command-here']);
    assert.equal(r.status, 127);
    assert.match(r.stderr, /cannot execute "no-such-command-here"/);
    assert.equal(jail(['0']).status, 126);
  });
});
