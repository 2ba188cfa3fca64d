// The API-backed commands without a daemon: man-page help, usage errors exit 2, no daemon exits 4.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../testkit/core/hostkit.js';

describe('status, svc, logs, host without a daemon', () => {
  it('prints help with DESCRIPTION, EXAMPLES and EXIT STATUS', async () => {
    for (const args of [['status'], ['svc'], ['logs'], ['host'], ['reboot']]) {
      const r = await cli([...args, '--help']);
      assert.equal(r.code, 0, args.join(' '));
      for (const h of ['DESCRIPTION', 'EXAMPLES', 'EXIT STATUS']) assert.match(r.stdout, new RegExp(h), `${args.join(' ')}: ${h}`);
      assert.match(r.stdout, /4 +dialogosd is not running|0  ok/);
    }
  });

  it('exits 2 on usage errors and 4 when no dialogosd answers', async () => {
    const state = await mkdtemp(join(tmpdir(), 'dlgc-'));
    assert.equal((await cli(['svc', 'start'])).code, 2, 'missing unit name');
    assert.equal((await cli(['logs', '-n', 'many'])).code, 2);
    assert.equal((await cli(['svc', 'start', 'x', '--timeout', 'soon'])).code, 2);
    assert.equal((await cli(['host', 'start'])).code, 2, 'no --state and no DIALOGOS_STATE');
    for (const args of [['status'], ['svc', 'ls'], ['logs'], ['svc', 'restart', 'web'], ['reboot']]) {
      const r = await cli([...args, '--state', state]);
      assert.equal(r.code, 4, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /Cannot reach dialogosd/);
    }
    const j = await cli(['status', '--json'], { DIALOGOS_STATE: state });
    assert.equal(j.code, 4);
    assert.equal(JSON.parse(j.stdout).error.name, 'DaemonUnreachableError');
    const stop = await cli(['host', 'stop', '--state', state]);
    assert.equal(stop.code, 0);
    assert.match(stop.stdout, /not running/);
  });
});
