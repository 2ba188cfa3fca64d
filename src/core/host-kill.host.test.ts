// Host mode, real processes: kill -9 of dialogosd while a service floods the journal. The journal keeps
// every entry written before the kill, in order, uncorrupted; `host start` detects the stale pid file and
// socket; the service is adopted or cleanly restarted.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, instanceAt, service, startInstance, until, type Instance } from '../testkit/core/hostkit.js';
import { isDialogosd } from './pidfile.js';

const SPEW = 'let i=0;setInterval(()=>{for(let k=0;k<200;k++)console.log("line "+(++i))},5)';

describe('host mode: kill -9 of dialogosd mid-write', () => {
  let i: Instance;
  after(async () => { await i?.dispose(); });

  it('keeps the journal intact, cleans the stale pid file and socket, and recovers the service', async () => {
    i = await startInstance();
    assert.equal((await i.apply([service('spew', `exec ${process.execPath} -e '${SPEW}'`)])).code, 0);
    await until('lines in flight', async () => (Number((await i.journal('unit=spew&order=desc&limit=1'))[0]?.message.slice(5) ?? 0) > 3000 ? true : undefined), 60_000);
    const pid = Number(await readFile(join(i.state, 'run', 'dialogosd.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await until('dialogosd gone', async () => (!(await isDialogosd(pid)) ? true : undefined));

    const down = await i.cli('status');
    assert.equal(down.code, 4, 'a dead daemon is reported as unreachable');
    const again = await cli(['host', 'start', '--state', i.state]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /removed stale .*dialogosd\.pid/);
    assert.match(again.stdout, /removed stale .*api\.sock/);
    i = instanceAt(i.state);

    const all = await i.journal('limit=100000');
    for (let k = 1; k < all.length; k++) assert.ok(all[k]!.seq > all[k - 1]!.seq, `seq grows at ${k}`);
    const restartAt = all.findIndex((e, k) => k > 0 && e.unit === 'dialogosd' && e.message.startsWith('API listening'));
    const before = all.slice(0, restartAt).filter((e) => e.unit === 'spew' && /^line \d+$/.test(e.message)).map((e) => Number(e.message.slice(5)));
    assert.ok(before.length > 3000, `${before.length} lines before the kill`);
    before.forEach((n, k) => assert.equal(n, k + 1, 'every line up to the kill, in order, none lost or torn'));

    const s = await i.waitUnit('spew', (x) => x.state === 'running');
    assert.match(s.reason, /adopted|started/);
  });
});
