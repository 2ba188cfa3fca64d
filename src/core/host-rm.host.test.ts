// Host mode, real processes: `dialogos svc rm` and `svc apply --prune` stop and forget units, and refuse
// generation defaults and units others require.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { service, startInstance, type Instance } from '../testkit/core/hostkit.js';

describe('host mode: removing specs', () => {
  const instances: Instance[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const i of instances) await i.dispose();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('rm stops and removes a unit, refuses a default and a required unit, and prune removes the rest', async () => {
    const defaults = await mkdtemp(join(tmpdir(), 'dlg-defaults-'));
    dirs.push(defaults);
    await writeFile(join(defaults, 'base.json'), JSON.stringify(service('base', 'exec sleep 1000')));
    const i = await startInstance(['--defaults', defaults]);
    instances.push(i);
    assert.equal((await i.apply([service('db', 'exec sleep 1000'), service('web', 'exec sleep 1000', { requires: ['db'] }), service('spare', 'exec sleep 1000')])).code, 0);
    const web = await i.waitUnit('web', (s) => s.state === 'running');

    const needed = await i.cli('svc', 'rm', 'db');
    assert.equal(needed.code, 1, needed.stdout);
    assert.match(needed.stderr, /service "web" requires it/);
    assert.equal((await i.unit('db')).state, 'running', 'a refused rm disturbs nothing');

    const dflt = await i.cli('svc', 'rm', 'service/base');
    assert.equal(dflt.code, 1);
    assert.match(dflt.stderr, /default of the running generation.*svc disable base/);

    const dry = await i.cli('svc', 'rm', 'web', '--dry-run', '--json');
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual((JSON.parse(dry.stdout) as { removed: string[] }).removed, ['web']);
    assert.equal((await i.unit('web')).state, 'running', 'a dry run changes nothing');

    const gone = await i.cli('svc', 'rm', 'web');
    assert.equal(gone.code, 0, gone.stderr);
    assert.match(gone.stdout, /removed web/);
    const ls = await i.cli('svc', 'ls', '--json');
    assert.ok(!(JSON.parse(ls.stdout) as { units: { name: string }[] }).units.some((u) => u.name === 'web'));
    assert.throws(() => process.kill(web.pid!, 0), { code: 'ESRCH' }, 'its process is gone');
    assert.equal((await i.cli('svc', 'rm', 'web')).code, 3, 'a second rm: not found');
    assert.equal((await i.cli('svc', 'rm', 'no/such/thing')).code, 2, 'a malformed reference is a usage error');

    const f = join(i.state, 'only-db.json');
    await writeFile(f, JSON.stringify([service('db', 'exec sleep 1000')]));
    const pruned = await i.cli('svc', 'apply', '--prune', f);
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.match(pruned.stdout, /removed spare/);
    assert.deepEqual((await readdir(join(i.state, 'specs'))).sort(), ['service-db.json']);
    assert.equal((await i.unit('base')).state, 'running', 'the generation default stays');
    const journal = await i.journal('unit=dialogosd&grep=remove');
    assert.ok(journal.some((e) => /remove service "web" done/.test(e.message)), 'the removal is journaled');
  });
});
