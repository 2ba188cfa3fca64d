// House rules as tests (STYLE.md): small files, no import cycles, and subsystems that meet only through
// their index.ts. Composition roots (src/cli, src/boot/stage-main.ts) and tests may reach further.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const files = walk(src).map((p) => relative(src, p));
const isTest = (f: string) => f.endsWith('.test.ts');
const subsystem = (f: string) => f.split('/')[0]!;
const COMPOSITION_ROOTS = new Set(['boot/stage-main.ts']);
/**
 * The shared data model: files of src/gen every subsystem may import directly, at run time too. Types, and
 * the handover format (pure: parse and format, no store), which the boot stage writes and dialogosd reads.
 */
const SHARED_MODEL = new Set(['gen/types.ts', 'gen/handover.ts']);

/** Relative imports of a file: [target path relative to src, type-only?]. */
function importsOf(f: string): Array<{ target: string; typeOnly: boolean }> {
  const text = readFileSync(join(src, f), 'utf8');
  const out: Array<{ target: string; typeOnly: boolean }> = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'/gms)) {
    const target = relative(src, resolve(dirname(join(src, f)), m[2]!)).replace(/\.js$/, '.ts');
    out.push({ target, typeOnly: Boolean(m[1]) });
  }
  return out;
}

test('no source file is longer than 400 lines', () => {
  const long = files.filter((f) => readFileSync(join(src, f), 'utf8').split('\n').length > 400);
  assert.deepEqual(long, [], `split these along their purposes: ${long.join(', ')}`);
});

test('subsystems import each other only through index.ts (or the shared data model of src/gen)', () => {
  const bad: string[] = [];
  for (const f of files) {
    if (isTest(f) || subsystem(f) === 'cli' || COMPOSITION_ROOTS.has(f)) continue;
    for (const { target } of importsOf(f)) {
      if (subsystem(target) === subsystem(f)) continue;
      const rest = target.split('/').slice(1).join('/');
      if (rest !== 'index.ts' && !SHARED_MODEL.has(target)) bad.push(`${f} -> ${target}`);
    }
  }
  assert.deepEqual(bad, []);
});

/** The base layer, usable by every subsystem (and using none). */
const BASE = 'std';

/** Which subsystems each may use at run time (type-only imports aside); composition roots and tests excepted. */
const LAYERS: Record<string, string[]> = {
  std: [], // the base layer: durable writes, HTTP plumbing; every other subsystem may use it
  gen: [],
  boot: [], // src/boot/stage-main.ts binds src/gen; the rest of the stage gets it injected
  core: ['gen'], // the journal and services use the store's FileSystem
  image: ['gen', 'train', 'mind'], // the image build trains the default model and indexes the tree it ships
  vm: ['image'],
  e2e: ['vm', 'image', 'gen'],
  train: [], // dialogos-mini: tokenizer, trainer, GGUF writer, evaluation
  llm: ['train'], // the llm service: runtime, model store, OpenAI-compatible API
  mind: [], // the code index of the generation's own source
  evolve: [], // the self-improvement loop: so far its static gates (typescript is injected)
  dialog: ['mind', 'core'], // the dialog agent and console: code tools from mind, OS tools through core's API client
};

test('subsystems use only the layers below them at run time', () => {
  const bad: string[] = [];
  for (const f of files) {
    const allowed = LAYERS[subsystem(f)];
    // Benchmark drivers are entry points too: they may boot a VM or build an image to measure against.
    if (!allowed || isTest(f) || COMPOSITION_ROOTS.has(f) || f.split('/').includes('bench')) continue;
    for (const { target, typeOnly } of importsOf(f)) {
      const to = subsystem(target);
      const permitted = to === subsystem(f) || to === BASE || allowed.includes(to) || SHARED_MODEL.has(target);
      if (!typeOnly && !permitted && target.includes('/')) bad.push(`${f} -> ${target}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the shared data model stays pure: it imports only gen/errors.ts, gen/id.ts and itself', () => {
  const allowed = new Set([...SHARED_MODEL, 'gen/errors.ts', 'gen/id.ts']);
  const bad = [...SHARED_MODEL].flatMap((f) => importsOf(f).filter((i) => !allowed.has(i.target)).map((i) => `${f} -> ${i.target}`));
  assert.deepEqual(bad, []);
});

test('the base layer src/std imports no other subsystem, not even its types', () => {
  const bad = files.filter((f) => subsystem(f) === BASE && !isTest(f))
    .flatMap((f) => importsOf(f).filter((i) => subsystem(i.target) !== BASE).map((i) => `${f} -> ${i.target}`));
  assert.deepEqual(bad, []);
});

test('no error class name is defined twice in src (one class per failure kind, one owner)', () => {
  const where = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(join(src, f), 'utf8');
    // Class names, and the `name` a class gives its errors (what callers test): each once per file.
    const names = new Set([...text.matchAll(/\bclass\s+(\w+Error)\b/g), ...text.matchAll(/\bname\s*=\s*'(\w+Error)'/g)].map((m) => m[1]!));
    for (const n of names) where.set(n, [...(where.get(n) ?? []), f]);
  }
  const twice = [...where].filter(([, fs]) => fs.length > 1).map(([n, fs]) => `${n}: ${fs.join(', ')}`);
  assert.deepEqual(twice, [], 'give each failure kind one class, owned by one subsystem; import it elsewhere or name the other kind precisely');
});

test('no runtime import cycles', () => {
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => !i.typeOnly).map((i) => i.target)]));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (f: string, path: string[]): void => {
    if (state.get(f) === 'done') return;
    assert.notEqual(state.get(f), 'open', `import cycle: ${[...path, f].join(' -> ')}`);
    state.set(f, 'open');
    for (const d of graph.get(f) ?? []) visit(d, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of files) visit(f, []);
});
