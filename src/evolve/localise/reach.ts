// The import graph in both directions, read from the sources (mind's testsFor in reverse, without needing
// a code index): which source files a test file can reach through relative imports, and which test files
// reach a given source file. Localisation uses the first to keep suspects to what failing tests reach.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

const IMPORT = /^(?:import|export)\s+(?:type\s+)?[^;]*?from\s+'(\.[^']+)'|^import\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/gm;

/** Relative imports of one file, as root-relative .ts paths that exist. */
function importsOf(root: string, path: string): string[] {
  const text = readFileSync(join(root, path), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2] ?? m[3])!;
    const target = posix.normalize(posix.join(posix.dirname(path), spec)).replace(/\.js$/, '.ts');
    if (existsSync(join(root, target))) out.push(target);
  }
  return out;
}

/** Every file `from` reaches through relative imports (themselves included). */
export function reachedFiles(root: string, from: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f) || !existsSync(join(root, f))) continue;
    seen.add(f);
    stack.push(...importsOf(root, f));
  }
  return seen;
}

function testFiles(root: string, dir = 'src', out: string[] = []): string[] {
  for (const name of readdirSync(join(root, dir)).sort()) {
    const p = `${dir}/${name}`;
    if (statSync(join(root, p)).isDirectory()) testFiles(root, p, out);
    else if (/\.test\.ts$/.test(name) && !/\.vm(long)?\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

/** Unit test files of src/ (VM tests aside) that reach any of `paths`: the candidates for passing runs. */
export function testFilesReaching(root: string, paths: string[]): string[] {
  const want = new Set(paths);
  return testFiles(root).filter((t) => [...reachedFiles(root, [t])].some((f) => want.has(f)));
}

