import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createMemoryFileSystem } from '../../gen/index.js';
import { loadSpecs, persistEnabled } from './load.js';
import { validateSpecs } from './validate.js';

const put = async (fs: ReturnType<typeof createMemoryFileSystem>, path: string, v: unknown): Promise<void> => {
  await fs.mkdir(path.slice(0, path.lastIndexOf('/')));
  await fs.writeFile(path, typeof v === 'string' ? v : JSON.stringify(v));
};

describe('spec loading', () => {
  it('merges /data over the generation defaults field by field', async () => {
    const fs = createMemoryFileSystem();
    await put(fs, '/gen/specs/base.json', [
      { kind: 'service', name: 'sshd', command: '/usr/sbin/sshd', args: ['-D'], restart: { policy: 'always' } },
      { kind: 'service', name: 'web', command: '/bin/web', env: { A: '1' } },
    ]);
    await put(fs, '/data/specs/web.json', { kind: 'service', name: 'web', env: { B: '2' }, args: ['--port', '80'] });
    await put(fs, '/data/specs/sshd.json', { kind: 'service', name: 'sshd', enabled: false });
    await put(fs, '/data/specs/net.json', { kind: 'network', hostname: 'box' });
    await put(fs, '/data/specs/notes.txt', 'ignored');
    const set = await loadSpecs(fs, { defaultsDir: '/gen/specs', dataDir: '/data/specs' });
    const web = set.services.get('web')!;
    assert.deepEqual([web.command, web.args, web.env], ['/bin/web', ['--port', '80'], { A: '1', B: '2' }]);
    const sshd = set.services.get('sshd')!;
    assert.deepEqual([sshd.enabled, sshd.restart.policy, sshd.args], [false, 'always', ['-D']]);
    assert.equal(set.network?.hostname, 'box');
  });

  it('a missing directory is an empty layer', async () => {
    const set = await loadSpecs(createMemoryFileSystem(), { defaultsDir: '/nope', dataDir: '/nope2' });
    assert.equal(set.services.size, 0);
  });

  it('names the file, unit, field, value and expectation of every problem', async () => {
    const fs = createMemoryFileSystem();
    await put(fs, '/data/specs/a.json', { kind: 'service', name: 'a', command: 'x', limits: { memoryBytes: 'lots' } });
    await put(fs, '/data/specs/b.json', '{"kind": "service",');
    await put(fs, '/data/specs/c.json', { kind: 'service', name: 'c', command: 'x' });
    await put(fs, '/data/specs/d.json', { kind: 'service', name: 'c', command: 'y' });
    await assert.rejects(loadSpecs(fs, { dataDir: '/data/specs' }), (err: Error & { issues: unknown[] }) => {
      assert.equal(err.name, 'SpecValidationError');
      assert.match(err.message, /\/data\/specs\/a\.json: service "a": limits\.memoryBytes: expected number, got "lots"/);
      assert.match(err.message, /\/data\/specs\/b\.json: not valid JSON/);
      assert.match(err.message, /service "c": name: defined twice \(also in \/data\/specs\/c\.json\)/);
      assert.equal(err.issues.length, 3);
      return true;
    });
  });

  it('persists enable/disable as an override applied last', async () => {
    const fs = createMemoryFileSystem();
    await put(fs, '/data/specs/web.json', { kind: 'service', name: 'web', command: '/bin/web' });
    await persistEnabled(fs, '/data/specs', 'service', 'web', false);
    assert.equal((await loadSpecs(fs, { dataDir: '/data/specs' })).services.get('web')!.enabled, false);
    await persistEnabled(fs, '/data/specs', 'service', 'web', true);
    assert.equal((await loadSpecs(fs, { dataDir: '/data/specs' })).services.get('web')!.enabled, true);
    assert.deepEqual((await fs.readdir('/data/specs')).sort(), ['service-web.override.json', 'web.json']);
  });

  it('any JSON value is either a valid set or a SpecValidationError with a message (property)', () => {
    const spec = fc.record({
      kind: fc.constantFrom('service', 'mount', 'network', 'bogus'),
      name: fc.oneof(fc.constantFrom('a', 'b', 'web'), fc.string()),
      command: fc.oneof(fc.string(), fc.integer()),
      requires: fc.array(fc.constantFrom('a', 'b', 'web', 'zz'), { maxLength: 3 }),
      restart: fc.anything(),
      limits: fc.record({ cpu: fc.oneof(fc.double(), fc.string()), memoryBytes: fc.integer() }, { requiredKeys: [] }),
    }, { requiredKeys: ['kind'] });
    fc.assert(fc.property(fc.array(fc.oneof(spec, fc.jsonValue()), { maxLength: 4 }), (values) => {
      try {
        const set = validateSpecs(values.map((value) => ({ value })));
        assert.equal(set.startOrder.length, set.services.size);
      } catch (err) {
        assert.equal((err as Error).name, 'SpecValidationError', String(err));
        assert.ok((err as { issues: unknown[] }).issues.length > 0);
      }
    }), { numRuns: 500 });
  });
});
