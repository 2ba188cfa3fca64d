// Host mode without root: an instance started by an unprivileged user runs its services, and a memory
// limit it cannot apply is reported with the reason instead of failing the service.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN } from '../testkit/core/hostkit.js';
import { requireHost } from '../testkit/prerequisite.js';

const NOBODY = 65534;
const asNobody = (...args: string[]) =>
  spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, MAIN, ...args], {
    encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp' },
  });

it('runs a host instance as an unprivileged user, reporting the limits it cannot apply', async (t) => {
  if (requireHost(t, 'root', process.getuid?.() === 0, 'needs root (to become nobody)')) return;
  if (requireHost(t, 'setpriv', spawnSync('setpriv', ['--version']).status === 0, 'needs setpriv (util-linux)')) return;
  const state = await mkdtemp(join(tmpdir(), 'dlgn-'));
  await chown(state, NOBODY, NOBODY);
  try {
    const start = asNobody('host', 'start', '--state', state);
    const unreadable = start.status !== 0 && /EACCES.*(dist|main\.js)|Cannot find module/.test(start.stderr);
    if (requireHost(t, 'a build readable by nobody', !unreadable, `the build is not readable by nobody (make the checkout's path readable by others): ${start.stderr}`)) return;
    assert.equal(start.status, 0, start.stderr);
    const spec = join(state, 'm.json');
    await writeFile(spec, JSON.stringify({ kind: 'service', name: 'm', command: '/bin/sh', args: ['-c', 'exec sleep 1000'], limits: { memoryBytes: 64 << 20 } }));
    await chmod(spec, 0o644);
    assert.equal(asNobody('svc', 'apply', spec, '--state', state).status, 0);
    const show = () => JSON.parse(asNobody('svc', 'show', 'm', '--json', '--state', state).stdout) as { status: { state: string } };
    for (let k = 0; k < 100 && show().status.state !== 'running'; k++) await new Promise((r) => setTimeout(r, 100));
    const u = show() as { status: { state: string; limits: { applied: object; unsupported: { limit: string; reason: string }[] } | null } };
    assert.equal(u.status.state, 'running');
    if (u.status.limits?.unsupported.length) assert.match(u.status.limits.unsupported[0]!.reason, /EACCES|cannot|not/i);
    assert.equal(asNobody('host', 'stop', '--state', state).status, 0);
  } finally {
    await rm(state, { recursive: true, force: true });
  }
});
