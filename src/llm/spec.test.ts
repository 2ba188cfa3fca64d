// The shipped default spec is what llmServiceSpec() makes for a machine, and it validates as a spec.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { llmServiceSpec } from './spec.js';

describe('llm service spec', () => {
  it('defaults/specs/llm.json equals the machine spec', async () => {
    const file = fileURLToPath(new URL('../../defaults/specs/llm.json', import.meta.url));
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), llmServiceSpec());
  });
  it('points a host instance at its own state and run directory', () => {
    const s = llmServiceSpec({ state: '/tmp/x', cli: '/repo/dist/cli/main.js' }) as { args: string[]; readiness: { path: string }; command: string };
    assert.deepEqual(s.args, ['/repo/dist/cli/main.js', 'llm', 'serve', '--state', '/tmp/x']);
    assert.equal(s.readiness.path, '/tmp/x/run/llm.sock');
    assert.equal(s.command, process.execPath);
  });
});
