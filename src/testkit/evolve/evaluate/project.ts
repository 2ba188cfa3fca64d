// A tiny real TypeScript project for the evaluator's tests: math.ts with a seeded bug in add (it subtracts),
// its test, a second test importing math.ts directly, and stats.ts importing math.ts with its own test (which
// reaches math.ts only through stats.ts). Built with the compiler into dist/, with the project's own reporter.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ts from 'typescript';
import type { FileChange } from '../../../evolve/index.js';

/** The repository this kit runs from (dist/testkit/evolve/evaluate/ → the root). */
export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

export const FILES: Record<string, string> = {
  'package.json': '{ "type": "module" }\n',
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'], types: ['node'],
      strict: true, skipLibCheck: true, sourceMap: true, rootDir: 'src', outDir: 'dist',
    },
    include: ['src/**/*.ts'],
  }, null, 2),
  'src/math.ts': [
    '// Arithmetic, with a seeded bug in add.',
    "const verbose = process.env.MATH_VERBOSE === '1' || process.env.DEBUG === 'math';",
    '',
    'export function add(a: number, b: number): number {',
    "  if (verbose) console.log('add', a, b);",
    '  return a - b;',
    '}',
    '',
    'export function mul(a: number, b: number): number {',
    '  return a * b;',
    '}',
    '',
    'export function neg(a: number): number {',
    '  return -a;',
    '}',
    '',
  ].join('\n'),
  'src/math.test.ts': [
    "import assert from 'node:assert/strict';",
    "import { test } from 'node:test';",
    "import { add } from './math.js';",
    '',
    "test('add adds', () => { assert.equal(add(2, 3), 5); });",
    "test('add keeps zero', () => { assert.equal(add(4, 0), 4); });",
    '',
  ].join('\n'),
  'src/math-table.test.ts': [
    "import assert from 'node:assert/strict';",
    "import { describe, test } from 'node:test';",
    "import { mul } from './math.js';",
    '',
    "describe('tables', () => { test('three threes', () => { assert.equal(mul(3, 3), 9); }); });",
    '',
  ].join('\n'),
  'src/stats.ts': [
    "import { mul, neg } from './math.js';",
    '',
    'export const double = (x: number): number => mul(x, 2);',
    'export const negate = (x: number): number => neg(x);',
    '',
  ].join('\n'),
  'src/stats.test.ts': [
    "import assert from 'node:assert/strict';",
    "import { test } from 'node:test';",
    "import { double, negate } from './stats.js';",
    '',
    "test('double doubles', () => { assert.equal(double(4), 8); });",
    "test('negate negates', () => { assert.equal(negate(4), -4); });",
    '',
  ].join('\n'),
};

export interface Project {
  root: string;
  read(path: string): string;
  /** A change of `path` replacing `from` by `to` (which must change it). */
  edit(path: string, from: string | RegExp, to: string): FileChange;
  cleanup(): void;
}

function build(root: string): void {
  const cfg = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram(cfg.fileNames, cfg.options);
  const diags = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  if (diags.length > 0) throw new Error(`Cannot build the fixture project: ${diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`);
}

/** Writes and builds the project in a fresh temporary folder (with `extra` files over FILES). */
export function makeProject(extra: Record<string, string> = {}): Project {
  const root = mkdtempSync(join(tmpdir(), 'evolve-project-'));
  for (const [p, text] of Object.entries({ ...FILES, ...extra })) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  mkdirSync(join(root, 'scripts'));
  copyFileSync(join(REPO, 'scripts/test-reporter.mjs'), join(root, 'scripts/test-reporter.mjs'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  build(root);
  const read = (p: string) => readFileSync(join(root, p), 'utf8');
  return {
    root, read,
    edit(path, from, to) {
      const before = read(path);
      const after = before.replace(from, to);
      if (after === before) throw new Error(`The fixture edit must change "${path}" (pattern ${String(from)})`);
      return { path, before, after };
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
