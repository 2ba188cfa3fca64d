// `dialogos ask --eval [SET]`: the set is named (questions, the default, or plain); another name is a usage error
// before anything is asked (the sets themselves run in src/dialog/eval.host.test.ts and bench/dialog).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../testkit/core/hostkit.js';

test('ask --eval with an unknown set exits 2 and names the sets', async () => {
  const state = await mkdtemp(join(tmpdir(), 'ask-eval-'));
  try {
    const r = await cli(['ask', '--eval', 'nosuchset', '--retrieval', '--state', state]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Cannot run question set "nosuchset": the sets are questions, plain/);
    assert.equal(r.stdout, '');
  } finally {
    await rm(state, { recursive: true, force: true });
  }
});
