// The self-test needs: met by this checkout, and each reported by name where a tree lacks it (as a
// generation's tree does today).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SELF_TEST_NEEDS, selfTestGaps } from './index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

test('this checkout has everything the evaluator needs', () => {
  assert.deepEqual(selfTestGaps(REPO), []);
});

test('a tree shaped like today\'s generation lacks the libraries, types, test packages, kits and dist', () => {
  const tree = mkdtempSync(join(tmpdir(), 'evolve-selftest-'));
  try {
    mkdirSync(join(tree, 'node_modules/typescript/lib'), { recursive: true });
    writeFileSync(join(tree, 'node_modules/typescript/lib/typescript.js'), '');
    mkdirSync(join(tree, 'scripts'));
    writeFileSync(join(tree, 'scripts/run-tests.mjs'), '');
    writeFileSync(join(tree, 'scripts/test-reporter.mjs'), '');
    writeFileSync(join(tree, 'tsconfig.json'), '{}');
    mkdirSync(join(tree, 'dist'));
    writeFileSync(join(tree, 'dist/main.js'), '');
    const gaps = selfTestGaps(tree).map((g) => g.path);
    assert.deepEqual(gaps, SELF_TEST_NEEDS.map((n) => n.path).filter((p) => !/typescript\.js|scripts\/|tsconfig/.test(p)));
    assert.ok(gaps.includes('dist'), 'a dist/ without compiled tests is a gap');
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
});
