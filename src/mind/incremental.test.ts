// An incremental update equals a full rebuild: random sequences of edits, adds, deletes and renames on a
// small project whose files import each other (re-exports, classes, a script, a syntax error, a doc).
import assert from 'node:assert/strict';
import { renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildIndex, updateIndex, type IndexData } from './index.js';
import { materialize } from '../testkit/mind/project.js';

const PATHS = ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/lib/index.ts', 'src/lib/d.ts', 'src/a.test.ts', 'docs/x.md'];
const BODIES = [
  `import { f } from './b.js';\nexport function g() { return f(); }\n`,
  `// b: f and K\nexport function f() { return 1; }\nexport class K { m() { return f(); } }\n`,
  `export { f as h, K } from './b.js';\nexport * from './lib/index.js';\n`,
  `import { h, K } from './c.js';\nexport const use = () => new K().m() + h();\n`,
  `export * from './d.js';\nexport { g } from '../a.js';\n`,
  `import { g } from '../a.js';\nimport { d1 } from './index.js';\nexport function d1x() { return g() + d1(); }\nexport function d1() { return 2; }\n`,
  `export function ( {\n  broken\n`,
  `function globalThing() { return 1 }\nglobalThing();\n`,
  `# T\n\n## S\ntext about f\n`,
  `import { use } from './c.js';\nimport { g, K } from './a.js';\nuse(); g(); new K();\n`,
  `function other() { return globalThing(); }\nother();\n`,
  // Bodies behind declared return types (11, 12 differ only there) and an inferred return type (13, 14 differ
  // in what mk() returns, so what \`go\` resolves to in 15 depends on that body).
  `export function mk(): K2 { return new K2(); }\nexport class K2 { go(): number { return 1; } }\nexport class K3 { go(): number { return 3; } }\n`,
  `export function mk(): K2 { const k = new K2(); return k; }\nexport class K2 { go(): number { return 2; } }\nexport class K3 { go(): number { return 3; } }\n`,
  `export function mk() { return new K3(); }\nexport class K2 { go(): number { return 1; } }\nexport class K3 { go(): number { return 3; } }\n`,
  `export function mk() { return new K2(); }\nexport class K2 { go(): number { return 1; } }\nexport class K3 { go(): number { return 3; } }\n`,
  `import { mk } from './b.js';\nexport const r = mk().go();\nexport { mk };\n`,
  `import { mk } from './b.js';\nexport function wrap(): number { return 1; }\nexport { mk };\n`,
  `import { mk } from './b.js';\nexport function wrap(): number { return 2; }\nexport { mk };\n`,
  `import { mk } from './c.js';\nexport const r = mk().go();\n`,
];

type Op = { op: 'write'; path: string; body: number } | { op: 'delete'; path: string } | { op: 'rename'; from: string; to: string };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('write' as const), path: fc.constantFrom(...PATHS), body: fc.nat(BODIES.length - 1) }),
  // Edits of b under a c that reads through it: the cases where skipping importers would be wrong.
  { arbitrary: fc.record({ op: fc.constant('write' as const), path: fc.constant('src/b.ts'), body: fc.constantFrom(11, 12, 13, 14) }), weight: 4 },
  fc.record({ op: fc.constant('write' as const), path: fc.constantFrom('src/c.ts', 'src/a.ts'), body: fc.constant(15) }),
  fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...PATHS) }),
  fc.record({ op: fc.constant('rename' as const), from: fc.constantFrom(...PATHS), to: fc.constantFrom(...PATHS) }),
);

function apply(dir: string, o: Op): void {
  if (o.op === 'write') { mkdirSync(dirname(join(dir, o.path)), { recursive: true }); writeFileSync(join(dir, o.path), BODIES[o.body]!); }
  else if (o.op === 'delete') rmSync(join(dir, o.path), { force: true });
  else {
    try { mkdirSync(dirname(join(dir, o.to)), { recursive: true }); renameSync(join(dir, o.from), join(dir, o.to)); } catch { /* a missing source: nothing to rename */ }
  }
}

const initial = Object.fromEntries(PATHS.map((p, i) => [p, BODIES[[0, 1, 2, 4, 5, 9, 8][i]!]!]));

test('incremental update equals a full rebuild after random edits, adds, deletes and renames', async () => {
  const start = fc.constantFrom(initial, { ...initial, 'src/b.ts': BODIES[11]!, 'src/c.ts': BODIES[15]! });
  // Several edits may land between two updates (a checkout, a rebuilt generation): batches of 1 to 3.
  const batches = fc.array(fc.array(opArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });
  await fc.assert(fc.asyncProperty(start, batches, async (tree, ops) => {
    const fx = materialize(tree);
    try {
      let data: IndexData = (await buildIndex(fx.dir)).data;
      for (const o of ops) {
        for (const one of o) apply(fx.dir, one);
        const { index } = await updateIndex(data);
        const full = await buildIndex(fx.dir);
        assert.deepStrictEqual(index.data, full.data, `after ${JSON.stringify(o)}`);
        data = index.data;
      }
    } finally { fx.cleanup(); }
  }), { numRuns: 40 });
});

test('an update re-analyses the changed file and its importers only', async () => {
  const fx = materialize(initial);
  try {
    const ix = await buildIndex(fx.dir);
    writeFileSync(join(fx.dir, 'src/b.ts'), BODIES[1] + 'export const extra = 1;\n');
    const { summary } = await updateIndex(ix);
    assert.deepEqual(summary.changed, ['src/b.ts']);
    // a imports b; c re-exports b; lib/index re-exports a; d imports a and lib; the test imports c and a.
    assert.deepEqual(summary.dependents, ['src/a.test.ts', 'src/a.ts', 'src/c.ts', 'src/lib/d.ts', 'src/lib/index.ts']);
    writeFileSync(join(fx.dir, 'docs/x.md'), '# changed\n');
    const again = await updateIndex(ix.data);
    assert.deepEqual([again.summary.changed, again.summary.dependents], [['docs/x.md', 'src/b.ts'], ['src/a.test.ts', 'src/a.ts', 'src/c.ts', 'src/lib/d.ts', 'src/lib/index.ts']]);
    const none = await updateIndex((await updateIndex(ix)).index);
    assert.deepEqual([none.summary.changed, none.summary.added, none.summary.removed, none.summary.dependents], [[], [], [], []]);
  } finally { fx.cleanup(); }
});

test('an edit inside a body behind a declared return type re-analyses that file alone', async () => {
  const fx = materialize({ ...initial, 'src/b.ts': BODIES[11]!, 'src/c.ts': BODIES[15]! });
  try {
    const ix = await buildIndex(fx.dir);
    writeFileSync(join(fx.dir, 'src/b.ts'), BODIES[12]!);
    const body = await updateIndex(ix);
    assert.deepEqual([body.summary.changed, body.summary.dependents], [['src/b.ts'], []]);
    writeFileSync(join(fx.dir, 'src/b.ts'), BODIES[13]!);
    const inferred = await updateIndex(body.index);
    assert.ok(inferred.summary.dependents.includes('src/c.ts'));
    assert.deepEqual(inferred.index.references('K3.go').map((r) => r.path), ['src/c.ts']);
    writeFileSync(join(fx.dir, 'src/b.ts'), BODIES[14]!);
    const again = await updateIndex(inferred.index);
    assert.deepEqual(again.index.references('K3.go'), []);
    assert.deepStrictEqual(again.index.data, (await buildIndex(fx.dir)).data);
  } finally { fx.cleanup(); }
});

test('a body-only edit does not hide a shape change behind it in the same update', async () => {
  // a reads mk() through c; in one update b changes what mk() returns and c changes only a body.
  const fx = materialize({ 'src/b.ts': BODIES[13]!, 'src/c.ts': BODIES[16]!, 'src/a.ts': BODIES[18]! });
  try {
    const ix = await buildIndex(fx.dir);
    assert.deepEqual(ix.references('K3.go').map((r) => r.path), ['src/a.ts']);
    writeFileSync(join(fx.dir, 'src/b.ts'), BODIES[14]!);
    writeFileSync(join(fx.dir, 'src/c.ts'), BODIES[17]!);
    const { index, summary } = await updateIndex(ix);
    assert.deepEqual(summary.dependents, ['src/a.ts']);
    assert.deepEqual(index.references('K2.go').map((r) => r.path), ['src/a.ts']);
    assert.deepStrictEqual(index.data, (await buildIndex(fx.dir)).data);
  } finally { fx.cleanup(); }
});

test('scripts share one global scope: adding a declaration re-resolves the other scripts', async () => {
  const fx = materialize({ 'src/x.ts': BODIES[10]! });
  try {
    const ix = await buildIndex(fx.dir);
    assert.deepEqual(ix.references('globalThing'), []);
    writeFileSync(join(fx.dir, 'src/y.ts'), BODIES[7]!);
    const { index, summary } = await updateIndex(ix);
    assert.deepEqual(summary.dependents, ['src/x.ts']);
    assert.deepEqual(index.references('globalThing').map((r) => `${r.path}:${r.line}`), ['src/x.ts:1', 'src/y.ts:2']);
    assert.deepStrictEqual(index.data, (await buildIndex(fx.dir)).data);
  } finally { fx.cleanup(); }
});
