// apply's planning against real spec directories: replace in place, add, drop overrides, refuse whole.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitApply, planApply } from './spec-store.js';

const svc = (name: string, more: object = {}) => ({ kind: 'service', name, command: '/bin/true', ...more });

async function dirs() {
  const root = await mkdtemp(join(tmpdir(), 'specstore-'));
  const defaults = join(root, 'defaults');
  const data = join(root, 'data');
  await mkdir(defaults);
  await mkdir(data);
  return { defaults, data };
}

describe('planApply / commitApply', () => {
  it('replaces a spec inside the file that holds it, adds new ones, and drops the unit\'s override', async () => {
    const d = await dirs();
    await writeFile(join(d.defaults, 'base.json'), JSON.stringify(svc('base')));
    await writeFile(join(d.data, 'pair.json'), JSON.stringify([svc('a'), svc('b')]));
    await writeFile(join(d.data, 'service-a.override.json'), JSON.stringify({ kind: 'service', name: 'a', enabled: false }));
    const plan = await planApply(d.defaults, d.data, [svc('a', { args: ['x'] }), svc('c', { requires: ['base'] })]);
    assert.deepEqual([...plan.set.services.keys()].sort(), ['a', 'b', 'base', 'c']);
    assert.equal(plan.set.services.get('a')?.enabled, true, 'the override is dropped');
    const files = await commitApply(plan);
    assert.deepEqual(files.sort(), ['pair.json', 'service-a.override.json', 'service-c.json']);
    assert.deepEqual((await readdir(d.data)).sort(), ['pair.json', 'service-c.json']);
    const pair = JSON.parse(await readFile(join(d.data, 'pair.json'), 'utf8')) as { name: string; args?: string[] }[];
    assert.deepEqual(pair.map((s) => [s.name, s.args]), [['a', ['x']], ['b', undefined]]);
  });

  it('refuses the whole set, naming the request, and plans no write', async () => {
    const d = await dirs();
    await writeFile(join(d.data, 'a.json'), JSON.stringify(svc('a')));
    await assert.rejects(planApply(null, d.data, [svc('b', { requires: ['nope'] }), { kind: 'service', name: 'c', command: 1 }]), (err: Error & { issues: { file?: string; path: string }[] }) => {
      assert.equal(err.name, 'SpecValidationError');
      assert.ok(err.issues.some((i) => i.file === 'request specs[1]' && i.path === 'command'), JSON.stringify(err.issues));
      assert.ok(err.issues.some((i) => /nope/.test(JSON.stringify(i))));
      return true;
    });
    assert.deepEqual(await readdir(d.data), ['a.json']);
  });
});
