// What a tree needs so that the evaluator can judge candidates against it (issue 10 item 1): the compiler's
// default libraries and node's types for the typecheck, the test-only packages and kits the test files import,
// compiled test files, and the parent's test runner and reporter. On a build host the checkout has them all
// (after tsc); a generation ships them (src/image/generation-tree.ts), and `dialogos test` inside the OS names
// each gap of a tree that lacks one.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface SelfTestNeed {
  /** Path relative to the tree's root (a folder, or a file). */
  path: string;
  /** Which stage or which tests need it. */
  why: string;
}

/** Everything the evaluator's stages need in the tree they judge against. */
export const SELF_TEST_NEEDS: readonly SelfTestNeed[] = [
  { path: 'tsconfig.json', why: 'the typecheck reads the parent\'s compiler settings' },
  { path: 'node_modules/typescript/lib/typescript.js', why: 'the typecheck\'s LanguageService' },
  { path: 'node_modules/typescript/lib/lib.es2023.d.ts', why: 'the typecheck: tsconfig "lib": ["ES2023"] (and the lib.es20*.d.ts it references)' },
  { path: 'node_modules/typescript/lib/lib.decorators.d.ts', why: 'the typecheck: referenced by lib.es5.d.ts' },
  { path: 'node_modules/@types/node/index.d.ts', why: 'the typecheck: tsconfig "types": ["node"]' },
  { path: 'node_modules/undici-types/index.d.ts', why: 'the typecheck: @types/node imports it' },
  { path: 'node_modules/fast-check/package.json', why: 'the property tests import fast-check' },
  { path: 'node_modules/pure-rand/package.json', why: 'fast-check imports it' },
  { path: 'node_modules/openai/package.json', why: 'the llm service\'s API tests import the openai client' },
  { path: 'src/testkit', why: 'test files import the kits (host instances, fakes, fixtures)' },
  { path: 'dist', why: 'the test stages run the compiled test files (dist/**/*.test.js)' },
  { path: 'scripts/test-reporter.mjs', why: 'the parent\'s reporter writes the per-test records' },
  { path: 'scripts/run-tests.mjs', why: '`dialogos test` (and the unit stage\'s equivalent) run the suite with it' },
];

/** The needs `root` does not meet (empty: the evaluator can judge against it). */
export function selfTestGaps(root: string): SelfTestNeed[] {
  return SELF_TEST_NEEDS.filter((n) => !existsSync(join(root, n.path)) || (n.path === 'dist' && !hasTests(join(root, 'dist'))));
}

function hasTests(dir: string): boolean {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith('.test.js'));
}
