// STYLE.md budgets for src/boot: small files, no runtime import cycles, and no runtime import of another
// subsystem (src/gen types are type-only; the composition root binds the store, see gen-binding.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../src/boot/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

test('src/boot: files under 400 lines, no runtime imports outside src/boot, no cycles', () => {
  assert.ok(files.includes('index.ts'));
  const deps = new Map<string, string[]>();
  for (const f of files) {
    const src = readFileSync(join(dir, f), 'utf8');
    assert.ok(src.split('\n').length <= 400, `${f} is over 400 lines`);
    const imports = [...src.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
    // stage-main.ts is the stage bundle's composition root: it alone binds src/gen's public face.
    const outside = f === 'stage-main.ts' ? imports.filter((i) => i !== '../gen/index.js') : imports;
    for (const i of outside) assert.ok(!i.startsWith('..'), `${f} imports "${i}" at run time from outside src/boot`);
    deps.set(f, imports.filter((i) => i.startsWith('./')).map((i) => i.slice(2).replace(/\.js$/, '.ts')));
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (f: string, path: string[]): void => {
    if (state.get(f) === 'done') return;
    assert.notEqual(state.get(f), 'visiting', `import cycle: ${[...path, f].join(' -> ')}`);
    state.set(f, 'visiting');
    for (const d of deps.get(f) ?? []) visit(d, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of files) visit(f, []);
});
