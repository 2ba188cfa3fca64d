// rm and apply --prune planning against real spec directories: what is removed, what is refused and why.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitApply, planApply, planRemove } from './spec-store.js';

const svc = (name: string, more: object = {}) => ({ kind: 'service', name, command: '/bin/true', ...more });
const roots: string[] = [];
after(async () => { for (const r of roots) await rm(r, { recursive: true, force: true }); });

async function dirs() {
  const root = await mkdtemp(join(tmpdir(), 'specrm-'));
  roots.push(root);
  const defaults = join(root, 'defaults');
  const data = join(root, 'data');
  await mkdir(defaults);
  await mkdir(data);
  await writeFile(join(defaults, 'base.json'), JSON.stringify(svc('base')));
  return { defaults, data };
}

describe('planRemove', () => {
  it('takes one spec out of a shared file, drops its override, and keeps the rest', async () => {
    const d = await dirs();
    await writeFile(join(d.data, 'pair.json'), JSON.stringify([svc('a'), svc('b')]));
    await writeFile(join(d.data, 'service-a.override.json'), JSON.stringify({ kind: 'service', name: 'a', enabled: false }));
    const plan = await planRemove(d.defaults, d.data, 'service', 'a');
    assert.deepEqual([...plan.set.services.keys()].sort(), ['b', 'base']);
    await commitApply(plan);
    assert.deepEqual(await readdir(d.data), ['pair.json']);
    assert.deepEqual((JSON.parse(await readFile(join(d.data, 'pair.json'), 'utf8')) as { name: string }).name, 'b');
    const last = await planRemove(d.defaults, d.data, 'service', 'b');
    await commitApply(last);
    assert.deepEqual(await readdir(d.data), [], 'a file left empty is removed');
  });

  it('refuses a generation default, pointing at disable', async () => {
    const d = await dirs();
    await assert.rejects(planRemove(d.defaults, d.data, 'service', 'base'), (e: Error) => e.name === 'SpecRemoveError' && /default.*svc disable base/.test(e.message));
  });

  it('refuses a spec other services require or follow, naming them', async () => {
    const d = await dirs();
    await writeFile(join(d.data, 'x.json'), JSON.stringify([svc('db'), svc('web', { requires: ['db'] }), svc('cron', { after: ['db'] })]));
    await assert.rejects(planRemove(d.defaults, d.data, 'service', 'db'), (e: Error) => {
      assert.equal(e.name, 'SpecRemoveError');
      assert.match(e.message, /service "web" requires it; service "cron" is ordered after it/);
      return true;
    });
  });

  it('says a missing spec is not found', async () => {
    const d = await dirs();
    await assert.rejects(planRemove(d.defaults, d.data, 'mount', 'nope'), { name: 'UnitNotFoundError' });
  });
});

describe('planApply with prune', () => {
  it('removes the machine specs not named, keeps defaults, and refuses when a kept one needs a pruned one', async () => {
    const d = await dirs();
    await writeFile(join(d.data, 'a.json'), JSON.stringify(svc('a')));
    await writeFile(join(d.data, 'b.json'), JSON.stringify(svc('b')));
    await writeFile(join(d.data, 'base.json'), JSON.stringify({ kind: 'service', name: 'base', args: ['patched'] }));
    const plan = await planApply(d.defaults, d.data, [svc('c')], { prune: true });
    assert.deepEqual([...plan.set.services.keys()].sort(), ['base', 'c']);
    assert.deepEqual(plan.set.services.get('base')?.args, [], 'the machine patch over the default is pruned too');
    await assert.rejects(planApply(d.defaults, d.data, [svc('c', { requires: ['a'] })], { prune: true }), { name: 'SpecValidationError' });
    await commitApply(plan);
    assert.deepEqual((await readdir(d.data)).sort(), ['service-c.json']);
  });
});
