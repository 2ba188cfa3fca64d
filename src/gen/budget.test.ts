// Size budget and no import cycles for src/gen (STYLE.md: small files, no cycles), checked on the
// TypeScript sources. Type-only imports are erased and do not count.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('../../src/gen/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('src/gen shape', () => {
  it('keeps every file under 400 lines', () => {
    for (const f of files) {
      const lines = readFileSync(join(dir, f), 'utf8').split('\n').length;
      assert.ok(lines <= 400, `${f} has ${lines} lines`);
    }
  });
  it('has no runtime import cycles and imports no other subsystem', () => {
    const deps = new Map<string, string[]>();
    for (const f of files) {
      const src = readFileSync(join(dir, f), 'utf8');
      const imports = [...src.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
      for (const i of imports) assert.ok(!i.startsWith('..'), `${f} imports "${i}" from outside src/gen`);
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
});
