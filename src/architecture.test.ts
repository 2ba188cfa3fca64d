// House rules as tests (STYLE.md): small files, no import cycles, and subsystems that meet only through
// their index.ts. Composition roots (src/cli, src/boot/stage-main.ts) and tests may reach further.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

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
/** Test-only code that is not a test: kits, fakes, fixtures, shared suites, child processes of tests. */
const isKit = (f: string) => f.startsWith('testkit/');
/** Benchmark drivers are entry points that measure; they may use the kits. */
const isBench = (f: string) => f.split('/').includes('bench');
/** Folders inside a top-level folder that are subsystems of their own, with their own index.ts. */
const NESTED = ['core/services', 'core/journal', 'core/api'];
const subsystem = (f: string) => NESTED.find((n) => f.startsWith(`${n}/`)) ?? f.split('/')[0]!;
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
    if (isTest(f) || isKit(f) || subsystem(f) === 'cli' || COMPOSITION_ROOTS.has(f)) continue;
    for (const { target } of importsOf(f)) {
      if (subsystem(target) === subsystem(f) || (isBench(f) && isKit(target))) continue;
      if (target !== `${subsystem(target)}/index.ts` && !SHARED_MODEL.has(target)) bad.push(`${f} -> ${target}`);
    }
  }
  assert.deepEqual(bad, []);
});

/** The base layer, usable by every subsystem (and using none). */
const BASE = 'std';

/** Which subsystems each may use at run time (type-only imports aside); composition roots and tests excepted. */
const LAYERS: Record<string, string[]> = {
  std: [], // the base layer: durable writes, HTTP plumbing, benchmark statistics; every other subsystem may use it
  gen: [],
  boot: [], // src/boot/stage-main.ts binds src/gen; the rest of the stage gets it injected
  core: ['gen', 'core/services', 'core/journal', 'core/api'], // dialogosd composes the three below
  'core/journal': ['gen'], // the store's FileSystem
  'core/services': ['gen'], // the store's FileSystem and the base layer src/std
  'core/api': ['core/journal', 'core/services'], // journal queries; the services' status types
  image: ['gen', 'train', 'mind'], // the image build trains the default model and indexes the tree it ships
  vm: ['image'],
  e2e: ['vm', 'image', 'gen'],
  train: [], // dialogos-mini: tokenizer, trainer, GGUF writer, evaluation
  llm: ['train'], // the llm service: runtime, model store, OpenAI-compatible API
  mind: [], // the code index of the generation's own source
  // the self-improvement loop (typescript is injected): its sandbox limits and measures runs with the services'
  // cgroups; the benchmark workloads of src/evolve/speed/workloads run the hot paths of gen (canonicalJson) and mind
  // (tokenize) through their faces; train: the 5-gram and dialogos-mini rank edits and lines
  evolve: ['core/services', 'gen', 'mind', 'train'],
  // the grid: js-libp2p peers (src/grid/net) admitted by certificates (src/grid/trust)
  grid: [],
  dialog: ['mind', 'core/api'], // the dialog agent and console: code tools from mind, OS tools through core's API client
};

test('subsystems use only the layers below them at run time', () => {
  const bad: string[] = [];
  for (const f of files) {
    const allowed = LAYERS[subsystem(f)];
    // Benchmark drivers are entry points too: they may boot a VM or build an image to measure against.
    if (!allowed || isTest(f) || COMPOSITION_ROOTS.has(f) || isBench(f)) continue;
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

test('the layers form a DAG of known subsystems', () => {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (s: string, path: string[]): void => {
    assert.ok(LAYERS[s], `${path.at(-1)} uses "${s}", which has no LAYERS entry`);
    if (state.get(s) === 'done') return;
    assert.notEqual(state.get(s), 'open', `layer cycle: ${[...path, s].join(' -> ')}`);
    state.set(s, 'open');
    for (const d of LAYERS[s]!) visit(d, [...path, s]);
    state.set(s, 'done');
  };
  for (const s of Object.keys(LAYERS)) visit(s, []);
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

/** Names a module exports, following `export * from` (a textual reading: enough for export lists). */
function exportedNames(f: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(f)) return names;
  seen.add(f);
  const text = readFileSync(join(src, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const kinds = 'function\\*?|const|let|var|class|interface|type|enum|namespace';
  const declared = new RegExp(`^export\\s+(?:declare\\s+)?(?:default\\s+)?(?:async\\s+)?(?:abstract\\s+)?(?:${kinds})\\s+([A-Za-z_$][\\w$]*)`, 'gm');
  for (const m of text.matchAll(declared)) names.add(m[1]!);
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop();
      if (name) names.add(name);
    }
  }
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\*\s+as\s+([\w$]+)/gm)) names.add(m[1]!);
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\*\s+from\s+'([^']+)'/gm)) {
    const target = relative(src, resolve(dirname(join(src, f)), m[1]!)).replace(/\.js$/, '.ts');
    for (const n of exportedNames(target, seen)) names.add(n);
  }
  return names;
}

/** An index.ts is a face, not a warehouse; these are wider today and may only shrink. */
const INDEX_NAMES = 60;
const WIDE_INDEXES: Record<string, number> = { 'gen/index.ts': 95, 'train/index.ts': 63 };

test(`an index.ts exports at most ${INDEX_NAMES} names`, () => {
  const wide = files.filter((f) => f.endsWith('/index.ts'))
    .map((f) => ({ f, n: exportedNames(f).size }))
    .filter(({ f, n }) => n > (WIDE_INDEXES[f] ?? INDEX_NAMES));
  assert.deepEqual(wide, [], 'export only what other subsystems use; tests may import the modules themselves');
});

test('the export counter sees re-exports, lists, renames and declarations', () => {
  assert.ok(exportedNames('core/index.ts').has('InstanceRunningError'), 'names behind export *');
  assert.ok(exportedNames('core/index.ts').has('runDaemon'), 'names in an export list');
  assert.ok(exportedNames('core/api/server.ts').has('MAX_SOCKET_PATH'), 'declared names');
});

test('no production file imports src/testkit (tests and benchmark drivers may)', () => {
  const bad = files.filter((f) => !isTest(f) && !isKit(f) && !isBench(f))
    .flatMap((f) => importsOf(f).filter((i) => isKit(i.target)).map((i) => `${f} -> ${i.target}`));
  assert.deepEqual(bad, [], 'production code takes an interface; its in-memory implementation may live beside it');
});

test('no index.ts exports a test kit', () => {
  const reexports = (f: string, seen = new Set<string>()): string[] => {
    if (seen.has(f)) return [];
    seen.add(f);
    const text = readFileSync(join(src, f), 'utf8');
    const targets = [...text.matchAll(/^export\s[^;]*?from\s+'(\.[^']+)'/gms)]
      .map((m) => relative(src, resolve(dirname(join(src, f)), m[1]!)).replace(/\.js$/, '.ts'));
    return [f, ...targets.flatMap((t) => reexports(t, seen))];
  };
  const bad = files.filter((f) => f.endsWith('index.ts') && !isKit(f))
    .flatMap((f) => reexports(f).filter(isKit).map((k) => `${f} exports ${k}`));
  assert.deepEqual(bad, []);
});

test('code that only tests use lives in src/testkit, not among production files', () => {
  const users = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const f of files) for (const { target } of importsOf(f)) users.get(target)?.push(f);
  const testSide = (f: string) => isTest(f) || isKit(f) || isBench(f);
  const strays = files.filter((f) => !testSide(f) && users.get(f)!.length > 0 && users.get(f)!.every(testSide));
  assert.deepEqual(strays, [], 'move these into src/testkit/<subsystem>/');
});

/**
 * Functions of a source text longer than `limit` lines of their own, as "name:line (n lines)". A function's own
 * lines run from its body's opening line to its closing line; the inner lines of a nested function's body are
 * that function's, not its container's.
 */
function longFunctions(name: string, text: string, limit: number): string[] {
  const sf = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true);
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  const bodyOf = (n: ts.Node) => (ts.isFunctionLike(n) && 'body' in n && n.body ? n.body : undefined);
  const long: string[] = [];
  const visit = (n: ts.Node): void => {
    const body = bodyOf(n);
    if (body) {
      const own = new Set<number>();
      for (let l = line(body.getStart(sf)); l <= line(body.end); l++) own.add(l);
      const drop = (m: ts.Node): void => {
        const inner = bodyOf(m);
        if (!inner) return void ts.forEachChild(m, drop);
        for (let l = line(inner.getStart(sf)) + 1; l < line(inner.end); l++) own.delete(l);
      };
      ts.forEachChild(body, drop);
      if (own.size > limit) long.push(`${name}:${line(n.getStart(sf)) + 1} (${own.size} lines)`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return long;
}

const FUNCTION_LINES = 60;

test(`no function has more than ${FUNCTION_LINES} lines of its own (nested functions count for themselves)`, () => {
  const long = files.flatMap((f) => longFunctions(f, readFileSync(join(src, f), 'utf8'), FUNCTION_LINES));
  assert.deepEqual(long, [], 'split these into named steps');
});

test('the function-length counter counts own lines, and nested bodies for themselves', () => {
  const body = (n: number) => Array.from({ length: n }, (_, i) => `  f(${i});`).join('\n');
  const fn = (head: string, n: number, tail = '}') => `${head} {\n${body(n)}\n${tail}`;
  assert.deepEqual(longFunctions('a.ts', fn('function a()', 8), 10), [], 'a function within the cap');
  assert.deepEqual(longFunctions('b.ts', fn('function b()', 9), 10), ['b.ts:1 (11 lines)'], 'braces count');
  assert.deepEqual(longFunctions('c.ts', `const x = 1;\n${fn('class C { m()', 9, '} }')}`, 10), ['c.ts:2 (11 lines)'], 'methods');
  const outer = `function o() {\n${fn('  const g = () =>', 20, '  };')}\n  return g;\n}`;
  assert.deepEqual(longFunctions('o.ts', outer, 10), ['o.ts:2 (22 lines)'], 'the nested body is the arrow\'s, not o\'s');
});

const LINE_CHARS = 200;

/** Lines of a text longer than `limit` characters, as "name:line (n chars)". */
function longLines(name: string, text: string, limit: number): string[] {
  return text.split('\n').flatMap((l, i) => ([...l].length > limit ? [`${name}:${i + 1} (${[...l].length} chars)`] : []));
}

test(`no line is longer than ${LINE_CHARS} characters`, () => {
  const long = files.flatMap((f) => longLines(f, readFileSync(join(src, f), 'utf8'), LINE_CHARS));
  assert.deepEqual(long, [], 'reflow these: name a step, break an argument list, or split a message into its parts');
});

test('the line-length counter counts characters, not bytes', () => {
  assert.deepEqual(longLines('a.ts', `${'x'.repeat(10)}\n${'é'.repeat(10)}\n${'😀'.repeat(10)}`, 10), []);
  assert.deepEqual(longLines('b.ts', `ok\n${'x'.repeat(11)}`, 10), ['b.ts:2 (11 chars)']);
});
