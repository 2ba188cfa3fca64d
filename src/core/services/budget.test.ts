// Size budget and import hygiene of the service layer: small files, and no import of dialogosd's files
// (src/core uses this layer, so that would be a cycle).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const src = join(dirname(fileURLToPath(import.meta.url)), '../../../src/core/services');

describe('services budget', () => {
  const files = readdirSync(src).filter((f) => f.endsWith('.ts'));
  it('keeps every file under 400 lines', () => {
    for (const f of files) {
      const lines = readFileSync(join(src, f), 'utf8').split('\n').length;
      assert.ok(lines < 400, `${f} has ${lines} lines`);
    }
  });
  it("imports none of dialogosd's files (src/core) only the base layer src/std and src/gen", () => {
    for (const f of files) {
      const text = readFileSync(join(src, f), 'utf8');
      assert.doesNotMatch(text, /from '\.\.\/index\.js'/, f);
      for (const m of text.matchAll(/from '(\.\.\/[^']+)'/g)) {
        const kit = f.endsWith('.test.ts') && m[1]!.startsWith('../../testkit/');
        assert.ok(kit || ['../../std/index.js', '../../gen/index.js'].includes(m[1]!), `${f} imports ${m[1]}`);
      }
    }
  });
});
