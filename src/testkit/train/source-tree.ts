// A small synthetic source tree for trainer tests: enough files for a held-out split, repetitive enough to learn.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a fake source tree (src/*.ts, docs/*.md, README.md) and returns its folder. */
export function makeSourceTree(files = 40): string {
  const root = mkdtempSync(join(tmpdir(), 'dgtrain-src-'));
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(join(root, 'src', 'cli', 'main.ts'), '// entry\nexport const main = 1;\n');
  writeFileSync(join(root, 'README.md'), '# Fixture\n\nA tree for tests.\n');
  for (let i = 0; i < files; i++) {
    const lines = [`// Module ${i}: adds and scales numbers.`, `import { helper${i % 3} } from './helper.js';`, ''];
    for (let j = 0; j < 12; j++) {
      lines.push(`export function f${i}_${j}(x: number): number {`, `  return helper${i % 3}(x) * ${j + 1};`, '}', '');
    }
    writeFileSync(join(root, 'src', `m${i}.ts`), lines.join('\n'));
  }
  writeFileSync(join(root, 'docs', 'guide.md'), '# Guide\n\nCall `f1_2(3)` to scale.\n'.repeat(20));
  return root;
}
